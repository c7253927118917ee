//! `format: byte` values: bytes that travel as base64 text (RFC 4648). Written with the standard
//! alphabet and padding; read in either alphabet, with or without padding.

use std::fmt;

/// Bytes sent and received as base64 text (`format: byte`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Base64 {
    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// The bytes of base64 `text` (standard or URL-safe alphabet, padding optional).
    pub fn decode(text: &str) -> Result<Base64, String> {
        let digits: Vec<u8> = text.trim_end_matches('=').bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if digits.len() % 4 == 1 {
            return Err("base64 text of impossible length".into());
        }
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        for chunk in digits.chunks(4) {
            let mut n = 0u32;
            for (i, d) in chunk.iter().enumerate() {
                let v = match d {
                    b'A'..=b'Z' => d - b'A',
                    b'a'..=b'z' => d - b'a' + 26,
                    b'0'..=b'9' => d - b'0' + 52,
                    b'+' | b'-' => 62,
                    b'/' | b'_' => 63,
                    _ => return Err(format!("`{}` is not a base64 digit", *d as char)),
                };
                n |= u32::from(v) << (18 - 6 * i);
            }
            let bytes = n.to_be_bytes();
            out.extend_from_slice(&bytes[1..chunk.len()]);
        }
        Ok(Base64(out))
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl std::ops::Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(serde::de::Error::custom)
    }
}

impl super::params::ToParam for Base64 {
    fn to_param(&self) -> String {
        self.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_vectors_round_trip() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(Base64(plain.as_bytes().to_vec()).encode(), encoded);
            assert_eq!(Base64::decode(encoded).unwrap().0, plain.as_bytes());
            assert_eq!(Base64::decode(encoded.trim_end_matches('=')).unwrap().0, plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(Base64::decode(&Base64(all.clone()).encode()).unwrap().0, all);
        assert_eq!(Base64::decode("-_8").unwrap().0, [0xfb, 0xff]);
        assert!(Base64::decode("abc!").is_err() && Base64::decode("a").is_err());
    }

    #[test]
    fn travels_as_a_json_string() {
        let value = Base64(b"hi".to_vec());
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"aGk=\"");
        assert_eq!(serde_json::from_str::<Base64>("\"aGk=\"").unwrap(), value);
        assert!(serde_json::from_str::<Base64>("\"*\"").is_err());
    }
}
