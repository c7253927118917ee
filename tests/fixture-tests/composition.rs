//! Runs inside the generated `composition` fixture crate: allOf merges, unions decode by shape.

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
    let pet: Pet = serde_json::from_value(json!({"name": "Tom", "indoor": true})).unwrap();
    assert!(matches!(pet, Pet::Cat(Cat { indoor: Some(true), .. })));
}
