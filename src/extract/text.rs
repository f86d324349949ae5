//! Text helpers shared by the extractors: word tokens with byte offsets, word boundaries.
//! Input is any UTF-8 text; every offset returned lies on a char boundary.

/// A word: a run of letters/digits, with inner apostrophes, hyphens and dots (as in "O'Brien",
/// "al-Qaeda", "U.S.") kept inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word.
    pub text: &'a str,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset after its last byte.
    pub end: usize,
}

fn inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.')
}

/// The character starting at byte `i` of `text`, or None past the end or off a character
/// boundary; ASCII without decoding. Shared by the extractors' byte-oriented scanners.
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text.get(i..).and_then(|s| s.chars().next()),
        None => None,
    }
}

/// Splits text into word tokens.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // Byte by byte, decoding only non-ASCII characters: this runs over every article body, and
    // a loop over `char_indices` with a peek at each joiner cost twice as much.
    let mut out = Vec::with_capacity(text.len() / 8);
    let n = text.len();
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        i += c.len_utf8();
        let end = loop {
            let Some(c) = char_at(text, i) else {
                break n;
            };
            let len = c.len_utf8();
            if c.is_alphanumeric() {
                i += len;
                continue;
            }
            // A joiner stays inside the word only when a letter follows it.
            if inner_joiner(c) && char_at(text, i + len).is_some_and(char::is_alphanumeric) {
                i += len;
                continue;
            }
            // "U.S." keeps its final dot when the word is dotted initials.
            let dotted = c == '.' && text[start..i].contains('.');
            i += len;
            break if dotted { i } else { i - len };
        };
        out.push(Token {
            text: &text[start..end],
            start,
            end,
        });
    }
    out
}

/// Whether `[start, end)` in `text` is bounded by non-word characters on both sides.
pub fn on_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].chars().next();
    !alnum_before(text, start) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether the character before byte `i` of `text` (a character boundary) is a letter or digit.
pub(crate) fn alnum_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_names_and_initials() {
        let t: Vec<_> = tokens("Mr O'Brien met al-Assad in the U.S. today, he said.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            [
                "Mr", "O'Brien", "met", "al-Assad", "in", "the", "U.S.", "today", "he", "said"
            ]
        );
        let t = tokens("é日本 x");
        assert_eq!(t[0].text, "é日本");
        assert_eq!((t[1].start, t[1].end), (t[1].start, t[1].start + 1));
    }

    /// The definition, one character at a time: what `tokens` must return.
    fn tokens_by_chars(text: &str) -> Vec<Token<'_>> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start {
                let next_alnum = iter.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
                if inner_joiner(c) && next_alnum {
                    continue;
                }
                let end = if c == '.' && text[s..i].contains('.') {
                    i + 1
                } else {
                    i
                };
                out.push(Token {
                    text: &text[s..end],
                    start: s,
                    end,
                });
                start = None;
            }
        }
        if let Some(s) = start {
            out.push(Token {
                text: &text[s..],
                start: s,
                end: text.len(),
            });
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_those_of_the_definition(text in "[a-zA-Z0-9 .,'’\\-éÉ日本\n]{0,60}") {
            proptest::prop_assert_eq!(tokens(&text), tokens_by_chars(&text));
        }
    }

    #[test]
    fn word_boundaries() {
        let s = "Chad said. Chadwick";
        assert!(on_word_boundary(s, 0, 4));
        assert!(!on_word_boundary(s, 11, 15));
    }
}
