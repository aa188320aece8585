//! A path exactly as the file system names it: the bytes, not a string made for a screen.
//!
//! Reports keep paths in this form so that every renderer starts from the truth: text
//! output escapes what a terminal must not see, JSON writes the exact name (see
//! [`RawPath`]'s `Serialize`), SARIF percent-encodes the bytes into a URI.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// The bytes of a path: relative to the context (`/`-separated, no leading `./`), or a
/// path as the user gave it (the context, the ignore file).
///
/// In JSON a path whose bytes are UTF-8 is that string; any other is
/// `{"bytes": "<standard base64 of the bytes>"}` (docs/json.md, "Paths"). A string cannot
/// carry every Unix name, and a lossy or escaped one could not be told from a file that is
/// really named that way.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RawPath(Vec<u8>);

impl RawPath {
    pub fn new(bytes: impl Into<Vec<u8>>) -> RawPath {
        RawPath(bytes.into())
    }

    /// A path of the file system, byte for byte.
    pub fn from_path(path: &Path) -> RawPath {
        RawPath(path.as_os_str().as_bytes().to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn as_path(&self) -> &Path {
        Path::new(OsStr::from_bytes(&self.0))
    }

    /// The path as text, when its bytes are UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `relative` (to the context this path names) as seen from where the context was
    /// given: `ctx/relative`, or `relative` itself for the context `.`.
    pub fn join_relative(&self, relative: &[u8]) -> RawPath {
        let context = &self.0;
        let mut trimmed: &[u8] = context;
        while let [rest @ .., b'/'] = trimmed {
            trimmed = rest;
        }
        let mut joined = Vec::with_capacity(trimmed.len() + 1 + relative.len());
        match trimmed {
            b"" if context.starts_with(b"/") => joined.push(b'/'),
            b"" | b"." => {}
            _ => {
                joined.extend_from_slice(trimmed);
                joined.push(b'/');
            }
        }
        joined.extend_from_slice(relative);
        RawPath(joined)
    }
}

impl From<&[u8]> for RawPath {
    fn from(bytes: &[u8]) -> RawPath {
        RawPath(bytes.to_vec())
    }
}

impl From<Vec<u8>> for RawPath {
    fn from(bytes: Vec<u8>) -> RawPath {
        RawPath(bytes)
    }
}

impl From<&str> for RawPath {
    fn from(text: &str) -> RawPath {
        RawPath(text.as_bytes().to_vec())
    }
}

impl PartialEq<&str> for RawPath {
    fn eq(&self, text: &&str) -> bool {
        self.0 == text.as_bytes()
    }
}

/// The key of the object form, as in ripgrep's JSON output.
const BYTES_KEY: &str = "bytes";

impl Serialize for RawPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(BYTES_KEY, &STANDARD.encode(&self.0))?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for RawPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawPath, D::Error> {
        deserializer.deserialize_any(RawPathVisitor)
    }
}

struct RawPathVisitor;

impl<'de> Visitor<'de> for RawPathVisitor {
    type Value = RawPath;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a path: a string, or {\"bytes\": base64}")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<RawPath, E> {
        Ok(RawPath::from(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPath, A::Error> {
        let mut bytes = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != BYTES_KEY || bytes.is_some() {
                return Err(de::Error::unknown_field(&key, &[BYTES_KEY]));
            }
            let encoded: String = map.next_value()?;
            bytes = Some(STANDARD.decode(encoded).map_err(de::Error::custom)?);
        }
        bytes.map(RawPath).ok_or_else(|| de::Error::missing_field(BYTES_KEY))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(path: &[u8]) -> String {
        serde_json::to_string(&RawPath::from(path)).unwrap()
    }

    #[test]
    fn utf8_names_are_their_own_strings() {
        assert_eq!(json(b"back\\slash.txt"), r#""back\\slash.txt""#);
        assert_eq!(json(b"tab\tthere"), r#""tab\tthere""#);
        assert_eq!(json("été/x y".as_bytes()), r#""été/x y""#);
    }

    #[test]
    fn other_names_are_base64_bytes() {
        assert_eq!(json(b"caf\xe9"), r#"{"bytes":"Y2Fm6Q=="}"#);
    }

    #[test]
    fn both_forms_read_back_to_the_same_bytes() {
        for name in [&b"caf\xe9"[..], b"caf\\xe9", b"line\nbreak", b"", b"\xff\xfe/x"] {
            let back: RawPath = serde_json::from_str(&json(name)).unwrap();
            assert_eq!(back.as_bytes(), name);
        }
        assert!(serde_json::from_str::<RawPath>(r#"{"text":"a"}"#).is_err());
    }

    #[test]
    fn relative_paths_join_the_context_as_given() {
        let join = |context: &str, path: &str| {
            String::from_utf8(RawPath::from(context).join_relative(path.as_bytes()).0).unwrap()
        };
        assert_eq!(join(".", "a/b"), "a/b");
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("ctx/", "a"), "ctx/a");
        assert_eq!(join("ctx", "a"), "ctx/a");
        assert_eq!(join("/", "a"), "/a");
        assert_eq!(join("/srv/app", "a"), "/srv/app/a");
    }
}
