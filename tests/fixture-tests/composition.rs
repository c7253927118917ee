//! Runs inside the generated `composition` fixture crate: allOf merges, untagged unions decode by
//! shape, unions with a discriminator by their tag.

use fixture_composition::types::{Cat, Dog, IdOrName, Pet};
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
    let missing = serde_json::from_value::<Pet>(json!({"name": "Tom"})).unwrap_err().to_string();
    assert!(missing.contains("petType"), "{missing}");
    let unknown = serde_json::from_value::<Pet>(json!({"petType": "bird", "name": "Tweety"})).unwrap_err().to_string();
    assert!(unknown.contains("bird"), "{unknown}");
    // Written with its tag, even when the member leaves the field unset.
    let cat: Cat = serde_json::from_value(json!({"name": "Tom"})).unwrap();
    assert_eq!(serde_json::to_value(Pet::Cat(cat)).unwrap(), json!({"name": "Tom", "petType": "cat"}));
}
