//! Leniency for one thing strict YAML 1.2 refuses and libyaml, go-yaml and js-yaml accept: a
//! flow collection opened at the end of a line (`example: {`) whose following lines sit at or
//! left of the key's indentation. Hand-written specs do this often, usually for examples.
//!
//! [`indent_flow_lines`] shifts each such continuation line to the right of its key. Inside a
//! flow collection, indentation carries no meaning (line breaks fold, leading spaces go), so the
//! shifted text means what the lenient parsers read; line numbers stay the same.

/// The text with the continuation lines of multi-line flow collections indented past their
/// key, or `None` when no line needed it.
pub(super) fn indent_flow_lines(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    // Inside a flow collection: the indentation its lines must exceed, and the scanner's state.
    let mut flow: Option<(usize, Scan)> = None;
    // Inside a block scalar (`|`, `>`): the indentation of the line that opened it.
    let mut block_scalar: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(opener) = block_scalar {
            if blank || indent > opener {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        if let Some((key_indent, mut scan)) = flow.take() {
            if !blank && indent <= key_indent {
                out.extend(std::iter::repeat_n(' ', key_indent + 1 - indent));
                changed = true;
            }
            out.push_str(line);
            scan.feed(line);
            if scan.depth > 0 {
                flow = Some((key_indent, scan));
            }
            continue;
        }
        out.push_str(line);
        let content = line.trim();
        if content.starts_with('#') || blank {
            continue;
        }
        // Only a value that starts with a bracket is a flow collection: a plain scalar may hold
        // brackets (`description: see {id}`) but cannot start with one.
        let value = value_of(content);
        if value.starts_with(['{', '[']) {
            let mut scan = Scan::default();
            scan.feed(value);
            if scan.depth > 0 {
                flow = Some((indent, scan));
            }
        } else if opens_block_scalar(content) {
            block_scalar = Some(indent);
        }
    }
    changed.then_some(out)
}

/// The value part of a block line: after any `- ` and after the first `key:` (a key in quotes
/// may hold a colon).
fn value_of(content: &str) -> &str {
    let mut rest = content;
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start();
    }
    if rest.starts_with(['{', '[']) {
        return rest;
    }
    let key_end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(0, |i| i + 2),
        _ => 0,
    };
    match rest[key_end..].find(": ") {
        Some(i) => rest[key_end + i + 2..].trim_start(),
        None => "",
    }
}

/// Whether a line's value is a block scalar indicator (`key: |`, `- >-`, `key: |2`).
fn opens_block_scalar(content: &str) -> bool {
    let content = content.split(" #").next().unwrap_or(content).trim_end();
    let last = content.rsplit([' ', '\t']).next().unwrap_or(content);
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
        && (content.len() == last.len() || content[..content.len() - last.len()].trim_end().ends_with([':', '-']))
}

/// Bracket depth of flow collections across lines, outside quotes and comments.
#[derive(Default)]
struct Scan {
    depth: usize,
    quote: Option<char>,
}

impl Scan {
    fn feed(&mut self, line: &str) {
        let mut previous = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (self.quote, c) {
                (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => self.quote = None,
                (Some(_), _) => {}
                // A quote opens a quoted scalar only where a scalar starts.
                (None, '"' | '\'') if matches!(previous, ' ' | '{' | '[' | ',' | ':' | '\t') => self.quote = Some(c),
                (None, '#') if matches!(previous, ' ' | '\t') => return,
                (None, '{' | '[') => self.depth += 1,
                (None, '}' | ']') => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            previous = c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::indent_flow_lines;

    #[test]
    fn continuation_lines_move_past_their_key() {
        let text = "a:\n  example: {\n  \"x\": 1,\n    \"y\": [1,\n 2]\n}\n  next: 2\n";
        let fixed = indent_flow_lines(text).unwrap();
        assert_eq!(fixed, "a:\n  example: {\n   \"x\": 1,\n    \"y\": [1,\n   2]\n   }\n  next: 2\n");
    }

    #[test]
    fn brackets_in_quotes_comments_and_block_scalars_do_not_open_anything() {
        let text = "a: \"{\"\nb: '[it''s'\nc: x # {\nd: |\n  {\ne: 1\n";
        assert_eq!(indent_flow_lines(text), None);
    }

    #[test]
    fn well_indented_text_is_left_alone() {
        assert_eq!(indent_flow_lines("a:\n  b: {\n    c: 1\n    }\n"), None);
        // Brackets inside a plain scalar open nothing.
        assert_eq!(indent_flow_lines("a: see {id\nb: 1\n"), None);
        assert_eq!(indent_flow_lines("- - [1,\n2]\n").as_deref(), Some("- - [1,\n 2]\n"));
    }
}
