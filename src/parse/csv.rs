//! CSV and TSV with a header row: one article a row, columns named as scraped news datasets name
//! them. Quoted fields may span lines. A malformed row is a warning with its line number.

use super::Parsed;
use super::fields::Record;

/// Parses delimited text (`b','` or `b'\t'`) whose first row names the columns.
pub fn parse(text: &str, delimiter: u8, out: &mut Parsed) {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.warnings.push(format!("header row: {e}"));
            return;
        }
    };
    let mut row = 0u64;
    for result in rdr.records() {
        row += 1;
        match result {
            Ok(rec) => {
                let mut r = Record::default();
                for (name, value) in headers.iter().zip(rec.iter()) {
                    r.offer(name, value.to_string());
                }
                if r.is_article() {
                    out.articles.push(r.into_article(row));
                } else {
                    let line = rec.position().map_or(0, |p| p.line());
                    out.warnings.push(format!(
                        "row {row} (line {line}): no title or body column with text"
                    ));
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.warnings.push(format!("row {row} (line {line}): {e}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_multiline_bodies() {
        let text = "title,date_publish,article\n\
                    \"Talks resume, again\",2025-11-02 14:05:00,\"First para, with \"\"quotes\"\".\n\nSecond para.\"\n\
                    Second,2025-11-03,plain\n";
        let mut p = Parsed::default();
        parse(text, b',', &mut p);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.articles[0].title, "Talks resume, again");
        assert_eq!(
            p.articles[0].body,
            "First para, with \"quotes\".\n\nSecond para."
        );
        assert_eq!(p.articles[1].location, Some(2));
    }

    #[test]
    fn tsv_and_rows_without_text() {
        let mut p = Parsed::default();
        parse(
            "headline\tpubDate\tcontent\nA\tTue, 04 Nov 2025 10:00:00 +0000\tx\n\t\t\n",
            b'\t',
            &mut p,
        );
        assert_eq!(p.articles.len(), 1);
        assert_eq!(
            p.articles[0].date_raw.as_deref(),
            Some("Tue, 04 Nov 2025 10:00:00 +0000")
        );
        assert_eq!(p.warnings.len(), 1);
    }
}
