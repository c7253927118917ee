//! The JSON path (`iteration.hourlyContract`, `messages[0].status`) at the place where a decoding
//! error happened. serde_json reports the line and column of a failure; scanning the text up to
//! there gives the path without instantiating every response type a second time for path tracking.

/// The path of the value that contains byte `offset` of `json`; `.` for the top level.
pub fn path_at(json: &[u8], offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let end = offset.min(json.len());
    // In an object, whether the next string is a key.
    let mut expect_key = false;
    while i < end {
        match json[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    let key = String::from_utf8_lossy(&json[start..i.min(json.len())]).into_owned();
                    if let Some(Frame::Object(current)) = stack.last_mut() {
                        *current = Some(key);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => out.push_str(&format!("[{index}]")),
        }
    }
    if out.is_empty() { ".".into() } else { out }
}

/// The byte offset at which serde_json noticed an error it reports at 1-based `line` and
/// `column`: the column counts the byte it had just read, so the offending value starts before it.
pub fn offset_of(json: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = json.split(|b| *b == b'\n').take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    (line_start + column.saturating_sub(2)).min(json.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let err = serde_json::from_str::<T>(json).unwrap_err();
        path_at(json.as_bytes(), offset_of(json.as_bytes(), err.line(), err.column()))
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        items: Vec<Inner>,
        inner: Option<Inner>,
    }

    #[test]
    fn paths_of_real_decoding_errors() {
        assert_eq!(path_of_error::<Outer>(r#"{"name": 1, "items": []}"#), "name");
        assert_eq!(path_of_error::<Outer>(r#"{"name": "a", "items": [{"n": 1}, {"n": "x"}]}"#), "items[1].n");
        assert_eq!(path_of_error::<Outer>("{\"name\": \"a\",\n \"items\": [],\n \"inner\": {\"n\": -1}}"), "inner.n");
        assert_eq!(path_of_error::<Outer>(r#"{"name": "a", "items": [], "inner": {}}"#), "inner");
        assert_eq!(path_of_error::<Outer>(r#"[1, 2]"#), ".");
    }

    #[test]
    fn strings_with_escapes_and_brackets_do_not_confuse_the_scan() {
        let json = r#"{"a\"{[": {"b": "x,]}\\", "c": [true, {"d": 5}]}}"#;
        let at = json.find("5").unwrap();
        assert_eq!(path_at(json.as_bytes(), at), "a\\\"{[.c[1].d");
    }
}
