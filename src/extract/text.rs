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

/// Splits text into word tokens.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start {
            // A joiner stays inside the word only when a letter follows it.
            let next_alnum = iter.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            if inner_joiner(c) && next_alnum {
                continue;
            }
            // "U.S." keeps its final dot when the word is dotted initials.
            let mut end = i;
            if c == '.' && text[s..i].contains('.') {
                end = i + 1;
            }
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

/// Whether `[start, end)` in `text` is bounded by non-word characters on both sides.
pub fn on_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
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

    #[test]
    fn word_boundaries() {
        let s = "Chad said. Chadwick";
        assert!(on_word_boundary(s, 0, 4));
        assert!(!on_word_boundary(s, 11, 15));
    }
}
