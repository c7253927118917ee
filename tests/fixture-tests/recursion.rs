//! Runs inside the generated `recursion` fixture crate: boxed recursive types decode and encode.

use fixture_recursion::types::Node;
use serde_json::json;

#[test]
fn a_recursive_tree_round_trips() {
    let value = json!({
        "value": "root",
        "parent": {"value": "up"},
        "children": [{"value": "a", "owner": {"favourite": {"value": "fav"}}}]
    });
    let node: Node = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(node.parent.as_ref().unwrap().value.as_deref(), Some("up"));
    let favourite = node.children.as_ref().unwrap()[0].owner.as_ref().unwrap().favourite.as_ref().unwrap();
    assert_eq!(favourite.value.as_deref(), Some("fav"));
    assert_eq!(serde_json::to_value(&node).unwrap(), value);
}
