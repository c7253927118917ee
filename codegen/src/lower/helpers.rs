//! Pass: what each operation brings besides its method, named. A list operation's page stream
//! (its paging resolved with the operation, in `paging.rs`) and poll helpers are named in their
//! group's scope, after every operation kept its name; each operation's descriptor (a static of its group's module) is named, and so are the
//! parts of the mock layer (expectations, calls, matchers), in the `mock` module's own scope.

use crate::ir::*;
use crate::naming::{Scope, camel, snake, type_name};
use crate::runtime_names::runtime_names;

use super::operations::GROUP_RESERVED;

pub(super) fn plan_helpers(api: &mut Api) {
    let mut statics = Scope::default();
    let names = runtime_names();
    let reserved: Vec<&str> = names.mock_types.iter().chain(&names.types).map(String::as_str).collect();
    let mut mock_types = Scope::with_reserved(&reserved);
    let matcher_reserved: Vec<&str> = names.expectation_methods.iter().map(String::as_str).collect();
    for group in &mut api.groups {
        let base = camel(if group.tag == "default" { "untagged" } else { &group.tag });
        group.mock_type = mock_types.claim(type_name(&format!("{base}Mock")));
        group.received_type = mock_types.claim(type_name(&format!("{base}Received")));
        for op in &mut group.operations {
            let id = camel(&op.id);
            let mut matchers = Scope::with_reserved(&matcher_reserved);
            op.mock = MockNames {
                expectation: mock_types.claim(type_name(&format!("{id}Expectation"))),
                call: mock_types.claim(type_name(&format!("{id}Call"))),
                body: matchers.claim("body".into()),
                body_matching: matchers.claim("body_matching".into()),
                matchers: op.params.iter().map(|p| matchers.claim(p.rust_name.raw().to_string())).collect(),
            };
        }
    }
    for group in &mut api.groups {
        let mut methods = Scope::with_reserved(GROUP_RESERVED);
        for op in &group.operations {
            methods.claim(op.rust_name.raw().to_string());
        }
        for op in &mut group.operations {
            op.descriptor = statics.claim(RustName::new(snake(&op.id)).screaming().raw().to_string());
            if let Some(paging) = &mut op.pagination {
                paging.rust_name = methods.claim(op.rust_name.suffixed("_stream"));
            }
            if let Some(poll) = &mut op.poll {
                poll.rust_name = methods.claim(poll.rust_name.raw().to_string());
            }
        }
    }
}
