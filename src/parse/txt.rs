//! Plain text: the first line is the headline when it looks like one (short, no closing full
//! stop, followed by a blank line), as in the BBC dataset; otherwise there is no title and the
//! whole text is the body.

use crate::article::Article;

/// Whether a line reads as a headline rather than the first sentence of a body.
pub fn looks_like_headline(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    !line.is_empty()
        && line.len() <= 200
        && words <= 30
        && line.chars().any(char::is_alphabetic)
        && !line.ends_with(['.', ',', ';', ':'])
        || line.ends_with("...") && words <= 30
}

/// Splits text into title and body.
pub fn parse(text: &str) -> Article {
    let text = normalize_newlines(text);
    let trimmed = text.trim_start_matches(['\n', ' ', '\t']);
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let blank_follows = rest.is_empty()
        || rest.starts_with('\n')
        || rest.trim_start_matches([' ', '\t']).starts_with('\n');
    let (title, body) = if blank_follows && looks_like_headline(first) {
        (first.trim().to_string(), rest.trim().to_string())
    } else {
        (String::new(), trimmed.trim_end().to_string())
    };
    Article {
        title,
        body,
        ..Default::default()
    }
}

/// CRLF and lone CR become LF, so rules see one kind of line end.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_or_not() {
        let cases = [
            (
                "Labour plans maternity pay rise\n\nMaternity pay for new mothers.\n",
                "Labour plans maternity pay rise",
                "Maternity pay for new mothers.",
            ),
            (
                "Title with CRLF\r\n\r\nBody line.\r\n",
                "Title with CRLF",
                "Body line.",
            ),
            ("\n\nLeading blanks\n\nBody.", "Leading blanks", "Body."),
            ("Is this a headline?\n\nYes.", "Is this a headline?", "Yes."),
            (
                "This is a sentence that ends with a full stop.\n\nMore.",
                "",
                "This is a sentence that ends with a full stop.\n\nMore.",
            ),
            (
                "DATE_TIME 02/27/1998 08:17:00\nBody follows directly.\n",
                "",
                "DATE_TIME 02/27/1998 08:17:00\nBody follows directly.",
            ),
            ("Only a title", "Only a title", ""),
            ("", "", ""),
        ];
        for (text, title, body) in cases {
            let a = parse(text);
            assert_eq!(
                (a.title.as_str(), a.body.as_str()),
                (title, body),
                "{text:?}"
            );
        }
    }
}
