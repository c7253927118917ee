//! Serde support shared by the generated types: string enums read through `From<&str>` (so a
//! value the spec does not know becomes the enum's `Unknown` variant instead of an error), unions
//! read by their discriminator (a tag the spec does not know tries each member), and
//! `json_object!`, by which object types declare how they read and write JSON, with the functions
//! its expansion calls.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, Visitor};
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

/// One member of a union with a discriminator: its tag and how a value becomes the union.
pub type TaggedMember<T> = (&'static str, fn(serde_json::Value) -> Result<T, serde_json::Error>);

/// Deserializes a union with a discriminator `property` (`union` names it in errors): the member
/// its tag names, which sees the whole object. A tag that names no member, or none at all (a
/// server newer than the spec, a member that leaves it out), is not an error while the value
/// decodes as some member: the first that takes it, in the spec's order.
pub fn deserialize_tagged<'de, D, T>(
    deserializer: D,
    property: &'static str,
    union: &str,
    members: &[TaggedMember<T>],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let tag = value.get(property).and_then(serde_json::Value::as_str);
    if let Some(&(_, decode)) = members.iter().find(|(t, _)| Some(*t) == tag) {
        return decode(value).map_err(D::Error::custom);
    }
    let tag = tag.map(str::to_owned);
    for (_, decode) in members {
        if let Ok(decoded) = decode(value.clone()) {
            return Ok(decoded);
        }
    }
    Err(match tag {
        Some(other) => {
            D::Error::custom(format!("unknown `{property}` value `{other}` for {union}, and no member fits"))
        }
        None => D::Error::missing_field(property),
    })
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
/// a list of its fields rather than derived: no proc-macro, and a far smaller expansion than
/// serde's derive (no field enum, no sequence form, no loop per type). Reading hands the fields'
/// slots to [`read_fields`], writing hands their type-erased values to [`write_object`]; the
/// expansion per type is little more than those two slices, which is what keeps crates with
/// thousands of types quick to check.
///
/// Each field is `rust_name: "wireName" kind`, the kind one of
/// - `required`: always written; a missing key is an error naming it;
/// - `optional`: an `Option` left out when `None` (an explicit `null` could mean "clear it" to a
///   server), `None` when the key is missing;
/// - `nullable`: a required `Option`, written as `null` when `None`, `None` when missing.
///
/// Unknown keys are skipped, or with `..field` after the list kept in that `BTreeMap` field and
/// written back after the known ones.
#[doc(hidden)]
#[macro_export]
macro_rules! json_object {
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? }) => {
        $crate::json_object!(@impl $name { $($field: $wire $kind),* } []);
    };
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? } ..$extra:ident) => {
        $crate::json_object!(@impl $name { $($field: $wire $kind),* } [$extra]);
    };
    (@impl $name:ident { $($field:ident: $wire:literal $kind:ident),* } [$($extra:ident)?]) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::__private::write_object(
                    serializer,
                    &[$( ($wire, $crate::json_object!(@write $kind, &self.$field)) ),*],
                    $crate::json_object!(@some $(&self.$extra as &dyn $crate::__private::Entries)?),
                )
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    fn visit_map<A: $crate::__private::serde::de::MapAccess<'de>>(self, map: A) -> ::std::result::Result<$name, A::Error> {
                        $( let mut $field = None; )*
                        $( let mut $extra = ::std::collections::BTreeMap::new(); )?
                        // The loop over keys is the runtime's; each field is only a slot in a slice.
                        $crate::__private::read_fields(
                            map,
                            &mut [$( ($wire, $crate::json_object!(@required $kind), &mut $field as &mut dyn $crate::__private::Slot<'de, A>) ),*],
                            $crate::json_object!(@some $(&mut $extra as &mut dyn $crate::__private::ExtraSlot<'de, A>)?),
                        )?;
                        match ($( $field, )*) {
                            ($( $crate::json_object!(@read $kind, $field), )*) => Ok($name {
                                $( $field: $crate::json_object!(@value $kind, $field), )*
                                $( $extra, )?
                            }),
                            // Never taken (`read_fields` returned an error for any required field not
                            // read); the pattern above is refutable when the type has a required field.
                            #[allow(unreachable_patterns)]
                            _ => Err(<A::Error as $crate::__private::serde::de::Error>::custom(concat!("a required field of ", stringify!($name), " is missing"))),
                        }
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@write optional, $value:expr) => {
        $crate::__private::present($value)
    };
    (@write $kind:ident, $value:expr) => {
        Some($value as &dyn $crate::__private::ErasedSerialize)
    };
    (@some) => {
        None
    };
    (@some $value:expr) => {
        Some($value)
    };
    (@required required) => {
        true
    };
    (@required $kind:ident) => {
        false
    };
    (@read required, $field:ident) => {
        Some($field)
    };
    (@read $kind:ident, $field:ident) => {
        $field
    };
    (@value required, $field:ident) => {
        $field
    };
    (@value $kind:ident, $field:ident) => {
        $field.flatten()
    };
}

/// `json_object!`: where one field's value goes, `None` until its key is read.
///
/// Generic over the map being read, not over the field's type, so the fields of an object can sit
/// in one slice for [`read_fields`]: the loop over keys is written once, not once per type.
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Reads the map's next value into the slot.
    fn fill(&mut self, map: &mut A) -> Result<(), A::Error>;

    /// Whether a value has been read.
    fn is_set(&self) -> bool;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Option<T> {
    fn fill(&mut self, map: &mut A) -> Result<(), A::Error> {
        *self = Some(map.next_value()?);
        Ok(())
    }

    fn is_set(&self) -> bool {
        self.is_some()
    }
}

/// `json_object!`: where the keys an object does not declare go (its `additionalProperties`).
pub trait ExtraSlot<'de, A: MapAccess<'de>> {
    /// Reads the map's next value under `key`.
    fn fill(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> ExtraSlot<'de, A> for BTreeMap<String, T> {
    fn fill(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        self.insert(key.into_string(), map.next_value()?);
        Ok(())
    }
}

/// `json_object!`: reads an object's entries into the slots of its fields, given as
/// `(wire name, required, slot)`; other keys go to `extra`, or are skipped without it.
///
/// A key read twice keeps its last value. Errors are the map's own (serde_json's keep their line
/// and column); a required field not read is `missing_field` with its wire name, the first in
/// declaration order.
pub fn read_fields<'de, A: MapAccess<'de>>(
    mut map: A,
    fields: &mut [(&'static str, bool, &mut dyn Slot<'de, A>)],
    mut extra: Option<&mut dyn ExtraSlot<'de, A>>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        match fields.iter_mut().find(|(wire, ..)| *wire == key.as_str()) {
            Some((_, _, slot)) => slot.fill(&mut map)?,
            None => match extra.as_deref_mut() {
                Some(extra) => extra.fill(key, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            },
        }
    }
    match fields.iter().find(|(_, required, slot)| *required && !slot.is_set()) {
        Some((wire, ..)) => Err(A::Error::missing_field(wire)),
        None => Ok(()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Cat {
        meows: bool,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Dog {
        barks: bool,
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Cat),
        Dog(Dog),
    }

    fn pet(text: &str) -> Result<Pet, serde_json::Error> {
        let members: &[TaggedMember<Pet>] = &[
            ("cat", |v| serde_json::from_value(v).map(Pet::Cat)),
            ("dog", |v| serde_json::from_value(v).map(Pet::Dog)),
        ];
        let mut de = serde_json::Deserializer::from_str(text);
        deserialize_tagged(&mut de, "kind", "Pet", members)
    }

    #[test]
    fn the_tag_picks_the_member_and_an_unknown_or_missing_tag_tries_each() {
        assert_eq!(pet(r#"{"kind": "dog", "barks": true}"#).unwrap(), Pet::Dog(Dog { barks: true }));
        // The tag decides even when another member would take the value.
        assert!(pet(r#"{"kind": "cat", "barks": true}"#).unwrap_err().to_string().contains("meows"));
        // A tag newer than the spec, or none: the first member that takes the value.
        assert_eq!(pet(r#"{"kind": "puppy", "barks": false}"#).unwrap(), Pet::Dog(Dog { barks: false }));
        assert_eq!(pet(r#"{"meows": true}"#).unwrap(), Pet::Cat(Cat { meows: true }));
        let e = pet(r#"{"kind": "fish"}"#).unwrap_err().to_string();
        assert!(e.contains("unknown `kind` value `fish` for Pet, and no member fits"), "{e}");
        assert!(pet(r#"{"swims": true}"#).unwrap_err().to_string().contains("missing field `kind`"));
    }
}
