//! What satisfies an operation's security requirements when calling it against a mock server:
//! the first requirement the spec lists whose every scheme can be met, met with made-up
//! credentials (a bearer token for `http: bearer`, OAuth2 and OpenID Connect; a `Basic` header;
//! an API key in its header, query parameter or cookie).

use serde_json::Value;

use super::samples::Samples;
use crate::ir::Operation;

/// Made-up credentials for one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// A bearer token, for the client's own `Authorization: Bearer` header.
    pub bearer: Option<String>,
    /// Headers to send with every request.
    pub headers: Vec<(String, String)>,
    /// Query parameters to add to every request.
    pub query: Vec<(String, String)>,
}

/// The credentials that satisfy `op`'s security (none when it has none, or when an empty
/// requirement makes it optional).
pub fn credentials(samples: &Samples, op: &Operation) -> Credentials {
    first_met(samples, &samples.security(op))
}

/// What meets the first of `requirements` whose every scheme can be met.
fn first_met(samples: &Samples, requirements: &[serde_json::Map<String, Value>]) -> Credentials {
    if requirements.iter().any(|r| r.is_empty()) {
        return Credentials::default();
    }
    for requirement in requirements {
        let mut out = Credentials::default();
        if requirement.keys().all(|name| meet(samples.security_scheme(name), &mut out)) {
            return out;
        }
    }
    Credentials::default()
}

/// Adds what meets one scheme; false when the scheme is unknown or of a kind not met here.
fn meet(scheme: Option<&Value>, out: &mut Credentials) -> bool {
    let Some(scheme) = scheme else { return false };
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
    match (text("type"), text("scheme").to_ascii_lowercase().as_str()) {
        ("http", "bearer") | ("oauth2" | "openIdConnect", _) => out.bearer = Some("contract-token".into()),
        // `contract:secret`.
        ("http", "basic") => out.headers.push(("Authorization".into(), "Basic Y29udHJhY3Q6c2VjcmV0".into())),
        ("apiKey", _) if !text("name").is_empty() => {
            let name = text("name").to_string();
            match text("in") {
                "header" => out.headers.push((name, "contract-key".into())),
                "query" => out.query.push((name, "contract-key".into())),
                "cookie" => out.headers.push(("Cookie".into(), format!("{name}=contract-key"))),
                _ => return false,
            }
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_requirement_that_can_be_met_is() {
        let doc = json!({"components": {"securitySchemes": {
            "digest": {"type": "http", "scheme": "digest"},
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
            "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "basic": {"type": "http", "scheme": "basic"},
            "oauth": {"type": "oauth2", "flows": {}}
        }}});
        let samples = Samples::new(&doc);
        let meet = |requirements: Value| {
            let list: Vec<serde_json::Map<String, Value>> = serde_json::from_value(requirements).unwrap();
            first_met(&samples, &list)
        };
        let both = meet(json!([{"digest": []}, {"key": [], "session": []}]));
        assert_eq!(both.query, vec![("api_key".to_string(), "contract-key".to_string())]);
        assert_eq!(both.headers, vec![("Cookie".to_string(), "sid=contract-key".to_string())]);
        assert_eq!(meet(json!([{"oauth": ["read"]}])).bearer.as_deref(), Some("contract-token"));
        assert_eq!(meet(json!([{"basic": []}])).headers[0].1, "Basic Y29udHJhY3Q6c2VjcmV0");
        assert_eq!(meet(json!([{"digest": []}])), Credentials::default());
        assert_eq!(meet(json!([{"digest": []}, {}])), Credentials::default(), "an empty requirement: none needed");
    }
}
