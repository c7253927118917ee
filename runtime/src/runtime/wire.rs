//! Serde support shared by the generated types: string enums read through `From<&str>` (so a
//! value the spec does not know becomes the enum's `Unknown` variant instead of an error), and
//! `json_object!`, by which object types declare how they read and write JSON, with the functions
//! its expansion calls.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// Deserializes a JSON string into a string enum `T` through `T::from(&str)`.
pub fn deserialize_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StringEnum<T>(PhantomData<T>);

    impl<T: for<'a> From<&'a str>> Visitor<'_> for StringEnum<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }

    deserializer.deserialize_str(StringEnum(PhantomData))
}

/// An object key as the deserializer hands it over: borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `Serialize` and `Deserialize` for a generated struct that travels as a JSON object, written as
/// a list of its fields rather than derived (no proc-macro, and a smaller expansion than serde's
/// derive: one map visitor, no field enum, no sequence form; writing goes through the one
/// type-erased [`write_object`]).
///
/// Each field is `rust_name: "wireName" kind`, the kind one of
/// - `required`: always written; a missing key is an error naming it;
/// - `optional`: an `Option` left out when `None` (an explicit `null` could mean "clear it" to a
///   server), `None` when the key is missing;
/// - `nullable`: a required `Option`, written as `null` when `None`, `None` when missing.
///
/// Unknown keys are skipped, or with `..field` after the list kept in that `BTreeMap` field and
/// written back after the known ones.
// A spec without object types does not use it.
#[allow(unused_macros)]
macro_rules! json_object {
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? }) => {
        $crate::runtime::json_object!(@impl $name { $($field: $wire $kind),* } []);
    };
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? } ..$extra:ident) => {
        $crate::runtime::json_object!(@impl $name { $($field: $wire $kind),* } [$extra]);
    };
    (@impl $name:ident { $($field:ident: $wire:literal $kind:ident),* } [$($extra:ident)?]) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::runtime::write_object(
                    serializer,
                    &[$( ($wire, $crate::runtime::json_object!(@value $kind, &self.$field)) ),*],
                    $crate::runtime::json_object!(@extra $(&self.$extra)?),
                )
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $( let mut $field = None; )*
                        $( let mut $extra = ::std::collections::BTreeMap::new(); )?
                        while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                            // One `?` per key, not one per field: a `?` in every arm made type
                            // and borrow checking grow with the square of the field count.
                            let read = match key.as_str() {
                                $( $wire => $crate::runtime::json_object!(@take map, $kind, $field), )*
                                _ => $crate::runtime::json_object!(@other map, key $(, $extra)?),
                            };
                            read?;
                        }
                        // One check and one pattern for all required fields, not a `?` each.
                        let unset = [$( ($wire, $crate::runtime::json_object!(@unset $kind, $field)) ),*];
                        if let Some(wire) = $crate::runtime::first_unset(&unset) {
                            return Err(<A::Error as ::serde::de::Error>::missing_field(wire));
                        }
                        match ($( $field, )*) {
                            ($( $crate::runtime::json_object!(@read $kind, $field), )*) => Ok($name { $( $field, )* $( $extra, )? }),
                            // Never taken (`first_unset` returned for any unset required field); the
                            // pattern above is refutable when the type has a required field.
                            #[allow(unreachable_patterns)]
                            _ => Err(<A::Error as ::serde::de::Error>::custom(concat!("a required field of ", stringify!($name), " is missing"))),
                        }
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@value optional, $value:expr) => {
        $crate::runtime::present($value)
    };
    (@value $kind:ident, $value:expr) => {
        Some($value as &dyn $crate::runtime::ErasedSerialize)
    };
    (@extra) => {
        None
    };
    (@extra $extra:expr) => {
        Some($extra as &dyn $crate::runtime::Entries)
    };
    (@take $map:ident, required, $field:ident) => {
        $crate::runtime::fill_some(&mut $map, &mut $field)
    };
    (@take $map:ident, $kind:ident, $field:ident) => {
        $crate::runtime::fill(&mut $map, &mut $field)
    };
    (@unset required, $field:ident) => {
        $field.is_none()
    };
    (@unset $kind:ident, $field:ident) => {
        false
    };
    (@read required, $field:ident) => {
        Some($field)
    };
    (@read $kind:ident, $field:ident) => {
        $field
    };
    (@other $map:ident, $key:ident) => {
        $map.next_value::<::serde::de::IgnoredAny>().map(drop)
    };
    (@other $map:ident, $key:ident, $extra:ident) => {
        $crate::runtime::fill_extra(&mut $map, &mut $extra, $key)
    };
}

pub(crate) use json_object;

/// `json_object!`: the next value into a field's slot.
pub fn fill<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut T) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// `json_object!`: the next value into a required field's slot.
pub fn fill_some<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// `json_object!`: an unknown key and its value, kept.
pub fn fill_extra<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    extra: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    extra.insert(key.into_string(), map.next_value()?);
    Ok(())
}

/// `json_object!`: the first required field not read, of `(wire name, unset)` pairs.
pub fn first_unset(fields: &[(&'static str, bool)]) -> Option<&'static str> {
    fields.iter().find(|(_, unset)| *unset).map(|(wire, _)| *wire)
}

pub use erased_serde::Serialize as ErasedSerialize;

/// `json_object!`: an optional field's value, `None` (left out) when unset.
pub fn present<T: Serialize>(value: &Option<T>) -> Option<&dyn ErasedSerialize> {
    value.as_ref().map(|value| value as &dyn ErasedSerialize)
}

/// `json_object!`: the additional properties written after an object's known fields.
pub trait Entries {
    /// The keys and values, in the map's order.
    fn entries(&self) -> Box<dyn Iterator<Item = (&str, &dyn ErasedSerialize)> + '_>;
}

impl<T: Serialize> Entries for BTreeMap<String, T> {
    fn entries(&self) -> Box<dyn Iterator<Item = (&str, &dyn ErasedSerialize)> + '_> {
        Box::new(self.iter().map(|(key, value)| (key.as_str(), value as &dyn ErasedSerialize)))
    }
}

/// `json_object!`: writes an object's fields (`None` ones left out), then `extra`'s entries.
///
/// The values arrive type-erased, so this is the one generic body (per serializer) that writes
/// every generated object: written out per type, the same loop cost a third of the type checking
/// of a large crate (GitHub's: 1,924 object types), for no gain at run time worth measuring.
pub fn write_object<S: Serializer>(
    serializer: S,
    fields: &[(&str, Option<&dyn ErasedSerialize>)],
    extra: Option<&dyn Entries>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (key, value) in fields {
        if let Some(value) = value {
            map.serialize_entry(key, value)?;
        }
    }
    for (key, value) in extra.into_iter().flat_map(|extra| extra.entries()) {
        map.serialize_entry(key, value)?;
    }
    map.end()
}
