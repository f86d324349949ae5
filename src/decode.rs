//! Bytes → text. Input: a file's raw bytes. Output: a `String` plus a note when the bytes were
//! not clean UTF-8. News folders hold Latin-1, Windows-1252 and UTF-16 files next to UTF-8 ones,
//! so decoding never fails; it must not guess an encoding for valid UTF-8.

/// How the bytes were turned into text, when it was not plain UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// Valid UTF-8 (a BOM, if any, removed).
    Utf8,
    /// Bytes that are not UTF-8 were read as Windows-1252 (a superset of Latin-1's printable
    /// range), so a bare 0xA3 stays "£".
    Windows1252 {
        /// How many bytes were not valid UTF-8.
        invalid_bytes: usize,
    },
    /// UTF-16 with a byte-order mark.
    Utf16,
}

/// Whether the bytes look like a binary file (NUL bytes in the first 8 KiB, outside UTF-16).
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Decodes bytes to text: UTF-8 (BOM stripped), UTF-16 with BOM, and otherwise UTF-8 with every
/// invalid byte read as Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Decoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8ish(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (decode_utf16(rest, u16::from_le_bytes), Decoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (decode_utf16(rest, u16::from_be_bytes), Decoding::Utf16);
    }
    decode_utf8ish(bytes)
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn decode_utf8ish(mut bytes: &[u8]) -> (String, Decoding) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), Decoding::Utf8);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut invalid = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                // `good` was just validated, so this cannot fail.
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len()).max(1);
                for &b in &rest[..bad.min(rest.len())] {
                    out.push(cp1252(b));
                    invalid += 1;
                }
                bytes = &rest[bad.min(rest.len())..];
            }
        }
    }
    (
        out,
        Decoding::Windows1252 {
            invalid_bytes: invalid,
        },
    )
}

/// Windows-1252 for one byte; the five undefined positions map to U+FFFD.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding() {
        let cases: &[(&[u8], &str, Decoding)] = &[
            (b"plain", "plain", Decoding::Utf8),
            (b"\xEF\xBB\xBFbom", "bom", Decoding::Utf8),
            ("£5".as_bytes(), "£5", Decoding::Utf8),
            // Latin-1 pound sign, as in BBC sport/199.txt.
            (
                b"\xA35m deal",
                "£5m deal",
                Decoding::Windows1252 { invalid_bytes: 1 },
            ),
            // Windows-1252 curly quotes mixed with valid UTF-8.
            (
                b"\x93Yes\x94 \xC2\xA3",
                "“Yes” £",
                Decoding::Windows1252 { invalid_bytes: 2 },
            ),
            (b"\xFF\xFEh\0i\0", "hi", Decoding::Utf16),
            (b"\xFE\xFF\0h\0i", "hi", Decoding::Utf16),
            // A truncated multi-byte sequence at the end.
            (
                b"ab\xE2\x82",
                "abâ‚",
                Decoding::Windows1252 { invalid_bytes: 2 },
            ),
        ];
        for (bytes, text, how) in cases {
            assert_eq!(decode(bytes), (text.to_string(), *how), "{bytes:?}");
        }
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\xFF\xD8\xFF\xE0\0\x10JFIF"));
        assert!(!looks_binary(b"ordinary text"));
        assert!(!looks_binary(b"\xFF\xFEh\0i\0"));
    }
}
