//! Runs inside the generated `composition` fixture crate: allOf merges, untagged unions decode by
//! shape, unions with a discriminator by their tag.

use fixture_composition::types::{Cat, Dog, IdOrName, Owner, Pet, Repo};
use serde_json::json;

#[test]
fn all_of_merges_the_fields_of_its_members() {
    let dog: Dog = serde_json::from_value(json!({"name": "Rex", "petType": "dog", "barks": true})).unwrap();
    assert_eq!(dog.name, "Rex");
    assert_eq!(dog.barks, Some(true));
    assert!(serde_json::from_value::<Dog>(json!({"name": "Rex"})).is_err(), "`petType` is required by Dog");
}

#[test]
fn unions_pick_the_member_that_fits() {
    assert_eq!(serde_json::from_value::<IdOrName>(json!(5)).unwrap(), IdOrName::Integer(5));
    assert_eq!(serde_json::from_value::<IdOrName>(json!("five")).unwrap(), IdOrName::String("five".into()));
}

#[test]
fn a_discriminator_selects_the_member_by_its_tag() {
    // By shape this object fits Cat too (Cat comes first and requires only `name`): the tag decides.
    let pet: Pet = serde_json::from_value(json!({"petType": "dog", "name": "Rex", "barks": true})).unwrap();
    assert!(matches!(&pet, Pet::Dog(Dog { barks: Some(true), .. })), "{pet:?}");
    let pet: Pet = serde_json::from_value(json!({"petType": "cat", "name": "Tom", "indoor": true})).unwrap();
    assert!(matches!(&pet, Pet::Cat(Cat { indoor: Some(true), .. })), "{pet:?}");
    // No tag, or one newer than the spec: the first member that takes the value, data kept.
    let untagged: Pet = serde_json::from_value(json!({"name": "Tom"})).unwrap();
    assert!(matches!(&untagged, Pet::Cat(Cat { name, .. }) if name == "Tom"), "{untagged:?}");
    let newer: Pet = serde_json::from_value(json!({"petType": "bird", "name": "Tweety"})).unwrap();
    assert!(matches!(&newer, Pet::Cat(Cat { pet_type: Some(t), .. }) if t == "bird"), "{newer:?}");
    assert_eq!(serde_json::to_value(&newer).unwrap()["petType"], "bird");
    // A value no member takes is still an error, naming the tag.
    let unknown = serde_json::from_value::<Pet>(json!({"petType": "bird"})).unwrap_err().to_string();
    assert!(unknown.contains("unknown `petType` value `bird`"), "{unknown}");
    let missing = serde_json::from_value::<Pet>(json!({})).unwrap_err().to_string();
    assert!(missing.contains("petType"), "{missing}");
    // Written with its tag, even when the member leaves the field unset.
    let cat: Cat = serde_json::from_value(json!({"name": "Tom"})).unwrap();
    assert_eq!(serde_json::to_value(Pet::Cat(cat)).unwrap(), json!({"name": "Tom", "petType": "cat"}));
}

#[test]
fn a_nullable_component_admits_null_where_it_is_required() {
    let repo: Repo = serde_json::from_value(json!({"owner": null, "items": {"not": "a list"}})).unwrap();
    assert_eq!(repo.owner, None);
    assert_eq!(repo.items, json!({"not": "a list"}));
    let repo: Repo = serde_json::from_value(json!({"owner": {"login": "ann"}, "items": ["a"]})).unwrap();
    assert_eq!(repo.owner, Some(Owner::new("ann".into())));
    assert_eq!(repo.items, json!(["a"]));
    // Written as null when unset: the field is required.
    let unset = serde_json::to_value(Repo::new(None, json!([])));
    assert_eq!(unset.unwrap(), json!({"owner": null, "items": []}));
}
