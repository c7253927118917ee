//! `format: byte` values: bytes that travel as base64 text (RFC 4648), through the `base64` crate
//! (already in the tree through hyper-util). Written with the standard alphabet and padding; read
//! in either alphabet, with or without padding, and with the unused bits of the last digit
//! ignored, as most decoders do (RFC 4648 lets a decoder refuse them; an encoder that leaves them
//! set still meant the bytes the other bits say).

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Bytes sent and received as base64 text (`format: byte`).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

/// How text is read: padding optional, the last digit's unused bits ignored.
const READING: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
/// Standard alphabet with padding when writing.
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, READING);
/// The URL-safe alphabet (`-`, `_`): some servers send it.
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, READING);

impl Base64 {
    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// The bytes of base64 `text` (standard or URL-safe alphabet, padding optional, whitespace
    /// ignored).
    pub fn decode(text: &str) -> Result<Base64, String> {
        let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let engine = if digits.contains(['-', '_']) { &URL_SAFE } else { &STANDARD };
        engine.decode(digits).map(Base64).map_err(|e| format!("invalid base64: {e}"))
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
        // The last digit's unused bits set (`Zh==` for `Zg==`): the bytes the other bits say.
        assert_eq!(Base64::decode("Zh==").unwrap().0, b"f");
        assert_eq!(Base64::decode("Zm9").unwrap().0, b"fo");
        assert_eq!(Base64::decode("Zm-").unwrap().0, b"fo");
    }

    #[test]
    fn travels_as_a_json_string() {
        let value = Base64(b"hi".to_vec());
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"aGk=\"");
        assert_eq!(serde_json::from_str::<Base64>("\"aGk=\"").unwrap(), value);
        assert!(serde_json::from_str::<Base64>("\"*\"").is_err());
    }
}
