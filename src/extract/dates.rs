//! TEMPORARY STUB
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub offset: Option<FixedOffset>,
}
impl DateValue {
    pub fn unix_seconds(&self) -> i64 {
        0
    }
    pub fn to_iso(&self) -> String {
        String::new()
    }
}
pub fn parse_date(s: &str) -> Option<DateValue> {
    let _ = s;
    let _: Option<DateTime<FixedOffset>> = None;
    None
}
pub fn date_from_header(text: &str, year_hint: Option<i32>) -> Option<(DateValue, (usize, usize))> {
    let _ = (text, year_hint);
    None
}
pub fn date_from_path(path: &str) -> Option<DateValue> {
    let _ = path;
    None
}
pub fn parse_bound(s: &str, end: bool) -> Result<i64, String> {
    let _ = (s, end);
    Err("stub".into())
}
