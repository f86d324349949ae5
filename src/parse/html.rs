//! TEMPORARY STUB
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    pub body: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
}
pub fn parse_html(html: &str) -> HtmlArticle {
    HtmlArticle {
        body: html.to_string(),
        ..Default::default()
    }
}
