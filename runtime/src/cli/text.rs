//! JSON text as the server sent it, laid out again without being parsed into values: keys stay in
//! the server's order, numbers as written, fields the spec does not know are kept. Pretty for a
//! terminal, compact for a pipe, and a page's items one per line. The input has been checked as
//! JSON before (a [`Check`](super::Check)); on anything else the output is still the input's
//! bytes, never a panic.

/// `json` with two-space indents, as `serde_json`'s pretty printer writes it.
pub fn pretty_json(json: &[u8]) -> String {
    layout(json, true)
}

/// `json` without the whitespace between tokens.
pub(crate) fn compact_json(json: &[u8]) -> String {
    layout(json, false)
}

fn layout(json: &[u8], pretty: bool) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(json.len() + json.len() / 4);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if pretty {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', depth * 2));
        }
    };
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                let end = string_end(json, i);
                out.extend_from_slice(&json[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = json[i + 1..].iter().position(|c| !c.is_ascii_whitespace()).map(|p| i + 1 + p);
                if next.is_some_and(|n| json[n] == close) {
                    out.extend_from_slice(&[b, close]);
                    i = next.unwrap_or(i) + 1;
                    continue;
                }
                out.push(b);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => {
                out.push(b);
                if pretty {
                    out.push(b' ');
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The index after the string that starts at `start` (its opening quote).
fn string_end(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// The items of a JSON array, each as its own text; `None` when `json` is not an array.
pub(crate) fn array_items(json: &[u8]) -> Option<Vec<&[u8]>> {
    members(json, b'[')
}

/// The value of the field at `path` of a JSON object (`["meta", "next_cursor"]`), as its text.
pub(crate) fn field_at<'j>(json: &'j [u8], path: &[&str]) -> Option<&'j [u8]> {
    let mut value = json;
    for name in path {
        value = members(value, b'{')?.into_iter().find_map(|member| {
            let end = string_end(member, 0);
            let key: String = serde_json::from_slice(member.get(..end)?).ok()?;
            let rest = member[end..].trim_ascii_start().strip_prefix(b":")?;
            (key == *name).then_some(rest.trim_ascii())
        })?;
    }
    Some(value)
}

/// A JSON string's or number's text (a page token); `None` for anything else (`null`).
pub(crate) fn token_text(json: &[u8]) -> Option<String> {
    match serde_json::from_slice::<serde_json::Value>(json).ok()? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The members of a JSON array (`open` is `[`) or object (`{`: each `"key": value`), each as
/// its own text; `None` when `json` is not one.
fn members(json: &[u8], open: u8) -> Option<Vec<&[u8]>> {
    let start = json.iter().position(|b| !b.is_ascii_whitespace())?;
    if json[start] != open {
        return None;
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start = start + 1;
    let mut i = start;
    while i < json.len() {
        match json[i] {
            b'"' => {
                i = string_end(json, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    push_trimmed(&mut items, &json[item_start..i]);
                    return Some(items);
                }
            }
            b',' if depth == 1 => {
                push_trimmed(&mut items, &json[item_start..i]);
                item_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn push_trimmed<'a>(items: &mut Vec<&'a [u8]>, item: &'a [u8]) {
    let item = item.trim_ascii();
    if !item.is_empty() {
        items.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: &[u8] = br#" { "zeta" : 1.50, "alpha": ["a,\"]b", {}, [ ], {"k": null}], "e": "\\" } "#;

    #[test]
    fn layout_keeps_the_servers_order_and_numbers_and_matches_serde_json() {
        assert_eq!(compact_json(SENT), r#"{"zeta":1.50,"alpha":["a,\"]b",{},[],{"k":null}],"e":"\\"}"#);
        let pretty = pretty_json(SENT);
        assert!(
            pretty.starts_with("{\n  \"zeta\": 1.50,\n  \"alpha\": [\n    \"a,\\\"]b\",\n    {},\n    [],"),
            "{pretty}"
        );
        // Where the numbers are written alike, the layout is serde_json's own.
        let plain = br#"{"b":[1,{"c":true,"d":[]}],"a":"x y"}"#;
        let value: serde_json::Value = serde_json::from_slice(plain).unwrap();
        let reference = serde_json::to_string_pretty(&value).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&pretty_json(plain)).unwrap();
        assert_eq!(ours, value);
        assert_eq!(pretty_json(br#"{"a":"x y"}"#), "{\n  \"a\": \"x y\"\n}");
        assert_eq!(reference.lines().count(), pretty_json(plain).lines().count());
    }

    #[test]
    fn an_arrays_items_are_split_where_the_array_splits_them() {
        let items = array_items(br#" [ {"a": [1, 2]}, "x,]y" ,3 ] "#).unwrap();
        assert_eq!(items, vec![&br#"{"a": [1, 2]}"#[..], br#""x,]y""#, b"3"]);
        assert_eq!(array_items(b"[]").unwrap(), Vec::<&[u8]>::new());
        assert_eq!(array_items(br#"{"a": 1}"#), None);
        assert_eq!(array_items(b"[1, 2"), None);
    }

    #[test]
    fn fields_are_found_by_path_in_the_servers_text() {
        let page = br#"{"data": [{"id": "a"}, {"id": "b,}"}], "meta": {"next_cursor": "c2", "n": 7}, "x": null}"#;
        assert_eq!(array_items(field_at(page, &["data"]).unwrap()).unwrap().len(), 2);
        assert_eq!(field_at(page, &["meta", "next_cursor"]).map(token_text), Some(Some("c2".into())));
        assert_eq!(field_at(page, &["meta", "n"]).and_then(token_text).as_deref(), Some("7"));
        assert_eq!(field_at(page, &["x"]).and_then(token_text), None);
        assert_eq!(field_at(page, &["missing"]), None);
        assert_eq!(field_at(page, &["data", "id"]), None, "a list has no fields");
        assert_eq!(
            field_at(br#"{"@odata.nextLink": "https://h/x?p=2"}"#, &["@odata.nextLink"])
                .and_then(token_text)
                .as_deref(),
            Some("https://h/x?p=2")
        );
    }
}
