//! A text that a simple regular expression (a schema's `pattern`) matches: literals, escapes
//! (`\d`, `\w`, `\s`), `.`, character classes with ranges, groups with alternatives (the first
//! that is not empty is taken), and the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`
//! (their least count, one for `+`). Anything else (look-arounds, back references, Unicode
//! classes) gives `None`, and the caller falls back to a plain value.

/// A text `pattern` matches, when the pattern is simple enough to read.
pub fn sample(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let text = alternatives(&chars, &mut at, 0)?;
    (at == chars.len()).then_some(text)
}

/// The first alternative of a sequence that is not empty (an empty one marks the group as
/// optional, and schemas often ask for a least length beside it: `(|[a-z]+)`), up to `)` or the
/// end; the others are read and skipped.
fn alternatives(c: &[char], at: &mut usize, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let mut chosen = sequence(c, at, depth)?;
    while *at < c.len() && c[*at] == '|' {
        *at += 1;
        let next = sequence(c, at, depth)?;
        if chosen.is_empty() {
            chosen = next;
        }
    }
    Some(chosen)
}

fn sequence(c: &[char], at: &mut usize, depth: usize) -> Option<String> {
    let mut out = String::new();
    while *at < c.len() && c[*at] != '|' && c[*at] != ')' {
        let (start, atom) = (*at, atom(c, at, depth)?);
        let count = quantifier(c, at)?;
        // An anchor carries no text and takes no quantifier.
        if matches!(c[start], '^' | '$') {
            continue;
        }
        for _ in 0..count {
            out.push_str(&atom);
        }
    }
    Some(out)
}

fn atom(c: &[char], at: &mut usize, depth: usize) -> Option<String> {
    let ch = c[*at];
    *at += 1;
    Some(match ch {
        '^' | '$' => String::new(),
        '.' => "a".into(),
        '\\' => escape(c, at)?.to_string(),
        '[' => class(c, at)?.to_string(),
        '(' => {
            if c.get(*at) == Some(&'?') {
                // Only a non-capturing group reads: `(?:`.
                if c.get(*at + 1) != Some(&':') {
                    return None;
                }
                *at += 2;
            }
            let inner = alternatives(c, at, depth + 1)?;
            if c.get(*at) != Some(&')') {
                return None;
            }
            *at += 1;
            inner
        }
        '*' | '+' | '?' | '{' | ']' | '}' => return None,
        other => other.to_string(),
    })
}

/// The character the escape at `at` (after its backslash) stands for (`\d` → `0`, `\x41` →
/// `A`); moves past it.
fn escape(c: &[char], at: &mut usize) -> Option<char> {
    let ch = *c.get(*at)?;
    *at += 1;
    match ch {
        'x' => code_point(c, at, 2),
        'u' => code_point(c, at, 4),
        'd' => Some('0'),
        'w' => Some('a'),
        's' => Some(' '),
        'D' | 'W' | 'S' => Some('-'),
        'n' => Some('\n'),
        't' => Some('\t'),
        c if c.is_ascii_alphanumeric() => None,
        c => Some(c),
    }
}

/// The character written as `digits` hexadecimal digits at `at` (`\x7F`, `\u00e9`).
fn code_point(c: &[char], at: &mut usize, digits: usize) -> Option<char> {
    let hex: String = c.get(*at..*at + digits)?.iter().collect();
    let ch = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
    *at += digits;
    Some(ch)
}

/// The first character a `[...]` class allows (for a negated class, the first of a few common
/// characters it does not exclude); moves past the `]`.
fn class(c: &[char], at: &mut usize) -> Option<char> {
    let negated = c.get(*at) == Some(&'^');
    if negated {
        *at += 1;
    }
    let mut members: Vec<(char, char)> = Vec::new();
    let mut first = true;
    loop {
        let ch = *c.get(*at)?;
        *at += 1;
        if ch == ']' && !first {
            break;
        }
        first = false;
        let low = if ch == '\\' {
            let e = *c.get(*at)?;
            match e {
                'd' => {
                    *at += 1;
                    members.push(('0', '9'));
                    continue;
                }
                'w' => {
                    *at += 1;
                    members.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                    continue;
                }
                's' => {
                    *at += 1;
                    members.push((' ', ' '));
                    continue;
                }
                _ => escape(c, at)?,
            }
        } else {
            ch
        };
        if c.get(*at) == Some(&'-') && c.get(*at + 1).is_some_and(|n| *n != ']') {
            let high = c[*at + 1];
            *at += 2;
            let high = if high == '\\' { escape(c, at)? } else { high };
            members.push((low, high));
        } else {
            members.push((low, low));
        }
    }
    if negated {
        return "a0A_-xé".chars().find(|ch| !members.iter().any(|(l, h)| (*l..=*h).contains(ch)));
    }
    members.first().map(|(low, _)| *low)
}

/// How many times the atom before it repeats; moves past it (and a lazy `?`).
fn quantifier(c: &[char], at: &mut usize) -> Option<usize> {
    let count = match c.get(*at) {
        Some('?' | '*') => {
            *at += 1;
            0
        }
        Some('+') => {
            *at += 1;
            1
        }
        Some('{') => {
            let close = c[*at..].iter().position(|ch| *ch == '}')? + *at;
            let inside: String = c[*at + 1..close].iter().collect();
            let least = inside.split(',').next()?.trim().parse().ok()?;
            *at = close + 1;
            least
        }
        _ => return Some(1),
    };
    if c.get(*at) == Some(&'?') {
        *at += 1;
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn simple_patterns_give_a_text_they_match() {
        assert_eq!(sample("^[A-Z]{3}-\\d{2}$").as_deref(), Some("AAA-00"));
        assert_eq!(sample("^(foo|bar)+\\.json$").as_deref(), Some("foo.json"));
        assert_eq!(sample("^[^0-9a]+$").as_deref(), Some("A"));
        assert_eq!(sample("^[a-z0-9-]{1,63}$").as_deref(), Some("a"));
        assert_eq!(sample("^(?:v\\d+)?x*$").as_deref(), Some(""));
        assert_eq!(sample("[\\w.]+@example\\.com").as_deref(), Some("a@example.com"));
        // An empty alternative is not taken when another gives text (Lambda's qualifiers, which
        // must be at least a character long).
        assert_eq!(sample("(|[a-zA-Z0-9$_-]+)").as_deref(), Some("a"));
        assert_eq!(sample("^(|)$").as_deref(), Some(""));
        // Hexadecimal escapes, in a negated class too (readme's file names).
        assert_eq!(sample("(([a-z0-9-_ ]|[^\\x00-\\x7F])+.(json|yaml|yml))").as_deref(), Some("aajson"));
        assert_eq!(sample("^[^\\x00-\\x7F]\\u0041$").as_deref(), Some("éA"));
    }

    #[test]
    fn what_it_cannot_read_gives_none() {
        assert_eq!(sample("^(?=.*[A-Z]).{8,}$"), None);
        assert_eq!(sample("(a)\\1"), None);
        assert_eq!(sample("\\p{L}+"), None);
        assert_eq!(sample("a{2"), None);
        assert_eq!(sample("(ab"), None);
    }
}
