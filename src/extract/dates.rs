//! Publication-date parsing for metadata strings, text headers (wire-service lines, datelines) and file paths.
//! Input is arbitrary UTF-8; output is a `DateValue` (date, optional time and UTC offset) or a unix-seconds bound.
//! It must never invent a missing year or guess an ambiguous order beyond the documented rules, never panic on
//! input, and never allocate while scanning (only `to_iso` and error messages build strings).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};

/// A calendar date with an optional time of day and optional UTC offset, as written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    /// The calendar date as written (local to `offset` when there is one).
    pub date: NaiveDate,
    /// The time of day as written, when the source gives one.
    pub time: Option<NaiveTime>,
    /// Offset from UTC when the source states one ("Z", "+05:00", "GMT", "EST"...).
    pub offset: Option<FixedOffset>,
}

impl DateValue {
    /// Seconds since the Unix epoch, taking a missing time as 00:00 and a missing offset as UTC.
    pub fn unix_seconds(&self) -> i64 {
        let local = self
            .date
            .and_time(self.time.unwrap_or(NaiveTime::MIN))
            .and_utc()
            .timestamp();
        local.saturating_sub(i64::from(self.offset.map_or(0, |o| o.local_minus_utc())))
    }

    /// ISO 8601 text: "2026-11-24" when there is no time, "2026-11-24T15:01:01" with a time and no offset,
    /// "2026-11-24T15:01:01+05:00" / "...Z" (offset 0 written as "Z") with both.
    pub fn to_iso(&self) -> String {
        let mut out = String::with_capacity(32);
        let d = self.date;
        // Writing into a String cannot fail, so the fmt::Results below carry no information.
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        let Some(t) = self.time else {
            return out;
        };
        // chrono stores a leap second as second 59 with an extra 1e9 nanoseconds.
        let (sec, nano) = match t.nanosecond().checked_sub(1_000_000_000) {
            Some(extra) => (60, extra),
            None => (t.second(), t.nanosecond()),
        };
        let _ = write!(out, "T{:02}:{:02}:{:02}", t.hour(), t.minute(), sec);
        if nano != 0 {
            let _ = if nano % 1_000_000 == 0 {
                write!(out, ".{:03}", nano / 1_000_000)
            } else if nano % 1_000 == 0 {
                write!(out, ".{:06}", nano / 1_000)
            } else {
                write!(out, ".{nano:09}")
            };
        }
        match self.offset.map(|o| o.local_minus_utc()) {
            None => {}
            Some(0) => out.push('Z'),
            Some(secs) => {
                let sign = if secs < 0 { '-' } else { '+' };
                let abs = secs.unsigned_abs();
                let _ = write!(out, "{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60);
            }
        }
        out
    }
}

/// Metadata dates are short; anything longer is prose and not worth scanning.
const MAX_DATE_LEN: usize = 96;
/// Only the top of a text can hold its header.
const HEADER_BYTES: usize = 1500;
const HEADER_LINES: usize = 15;
/// A bare date line further down is more likely a date quoted in the body than the publication date.
const BARE_DATE_LINES: usize = 5;
/// Header labels and datelines sit at the start of a line; the rest of a long line is body text.
const LINE_VIEW: usize = 256;
/// Place names in datelines are short ("RIO DE JANEIRO"); a longer capitals run is a shouted headline.
const PLACE_MAX_BYTES: usize = 48;
const PLACE_MAX_WORDS: usize = 5;
/// Agency names in datelines are short ("(Reuters)", "(Newsdex Wire)").
const AGENCY_MAX_BYTES: usize = 40;
/// 2101-01-01T00:00:00Z: timestamps after 2100 are ids or garbage, not publication times.
const UNIX_2101: i64 = 4_133_980_800;

/// Parses a string that is entirely a date (surrounding whitespace and a trailing "." ignored), as found
/// in metadata fields: JSON/CSV columns, HTML meta tags, front matter. None when it is not a date or not a
/// valid calendar date (no 31 February). Never guesses: ambiguous numeric forms follow the rules below.
///
/// Slash dates are month/day/year when the first number is at most 12 (news metadata is mostly US) and
/// day/month/year otherwise; two-digit years are rejected. An all-digit string is a date only as YYYYMMDD
/// (year 1900-2100) or as a unix timestamp of 10 digits (seconds) or 13 digits (milliseconds) in 1970-2100.
pub fn parse_date(s: &str) -> Option<DateValue> {
    let t = s.trim();
    let t = t.strip_suffix('.').unwrap_or(t).trim_end();
    if t.is_empty() || t.len() > MAX_DATE_LEN {
        return None;
    }
    let b = t.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return parse_all_digits(b);
    }
    let raw = scan_date(b, 0, false)?;
    if raw.end != b.len() {
        return None;
    }
    raw.resolve(None)
}

/// Finds the publication date in the header of a text (wire-service header lines and datelines), looking only
/// at the first ~15 lines / 1500 bytes. Returns the date and the byte span [start, end) of the date text in `text`.
/// `year_hint` supplies the year for a year-less dateline ("ISLAMABAD, Nov 24 (Reuters) -"); when a year is needed
/// and there is no hint, returns None (never invent a year).
///
/// Recognised lines: labelled ones ("DATE_TIME", "DATE:" / "Date:", "DD = 891030", "AP-NR-08-16-90 1200EDT",
/// "Published:", "Posted on", SGML tags such as "<DATE_TIME>"), a line that is only a date (first 5
/// non-blank lines), and a dateline ("LONDON, March 3, 2025 (Wire) -"). "Updated:" is used only when nothing
/// better is found. A dateline ends the search, because the body starts there.
pub fn date_from_header(text: &str, year_hint: Option<i32>) -> Option<(DateValue, (usize, usize))> {
    let mut fallback = None;
    let mut line_no = 0;
    let mut start = 0;
    while start < text.len() && start < HEADER_BYTES && line_no < HEADER_LINES {
        let rest = text.get(start..)?;
        // Bounding the newline search keeps a single-line text (no '\n' at all) from being scanned whole.
        let window = prefix(
            rest,
            HEADER_BYTES.saturating_sub(start).saturating_add(LINE_VIEW),
        );
        let (line, next) = match window.find('\n') {
            Some(n) => (window.get(..n)?, start.saturating_add(n).saturating_add(1)),
            None => (window, text.len()),
        };
        let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let base = start.saturating_add(line.len() - body.len());
        let body = body.trim_end();
        if !body.is_empty() {
            let span = |(v, s, e): Hit| (v, (base.saturating_add(s), base.saturating_add(e)));
            match header_line(body, line_no, year_hint) {
                LineHit::Strong(hit) => return Some(span(hit)),
                LineHit::Weak(hit) => {
                    if fallback.is_none() {
                        fallback = Some(span(hit));
                    }
                }
                LineHit::Stop => break,
                LineHit::Miss => {}
            }
            line_no += 1;
        }
        start = next;
    }
    fallback
}

/// A date written in a file path: folders "2026/11/24/", or "2026-11-24", "20261124" (only with plausible
/// year 1900-2100, month, day) in a file or folder name, e.g. "news/2026-11-24-slug.txt". None otherwise.
///
/// When several dates appear the rightmost wins, since the file name is more specific than its folders.
pub fn date_from_path(path: &str) -> Option<DateValue> {
    let b = path.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i < b.len() {
        let n = digit_run(b, i);
        if n == 0 {
            i += 1;
            continue;
        }
        if let Some(date) = path_date_at(b, i, n) {
            found = Some(DateValue {
                date,
                time: None,
                offset: None,
            });
        }
        i = i.saturating_add(n);
    }
    found
}

/// Parses a command-line date bound: "2024", "2024-03", "2024-03-01", or a full RFC 3339 timestamp.
/// `end = false` gives the first instant of the period, `end = true` the first instant AFTER it
/// (exclusive upper bound: "2024-03" → 2024-04-01T00:00:00Z). Returns unix seconds (UTC), or an Err with a
/// one-line human message saying what is wrong and what forms are accepted.
///
/// A timestamp is already an instant, so it is returned as is for both ends; one without an offset is UTC.
pub fn parse_bound(s: &str, end: bool) -> Result<i64, String> {
    const FORMS: &str =
        "expected YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 timestamp such as 2024-03-01T12:00:00Z";
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("empty date bound: {FORMS}"));
    }
    let shown = quoted(t);
    let invalid = || format!("invalid date bound {shown}: {FORMS}");
    let b = t.as_bytes();
    let (year, j) = num(b, 0, 4, 4).ok_or_else(invalid)?;
    let year = i32::try_from(year).map_err(|_| invalid())?;
    if year < 1000 {
        return Err(format!(
            "year {year} is out of range in date bound {shown}: {FORMS}"
        ));
    }
    let midnight = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d)
            .map(|date| date.and_time(NaiveTime::MIN).and_utc().timestamp())
            .ok_or_else(invalid)
    };
    if j == b.len() {
        return midnight(if end { year.saturating_add(1) } else { year }, 1, 1);
    }
    if at(b, j) != b'-' {
        return Err(invalid());
    }
    let (month, k) = num(b, j + 1, 2, 2).ok_or_else(invalid)?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "month {month} is out of range (01-12) in date bound {shown}: {FORMS}"
        ));
    }
    if k == b.len() {
        return match (end, month) {
            (false, _) => midnight(year, month, 1),
            (true, 12) => midnight(year.saturating_add(1), 1, 1),
            (true, _) => midnight(year, month + 1, 1),
        };
    }
    if at(b, k) != b'-' {
        return Err(invalid());
    }
    let (day, e) = num(b, k + 1, 2, 2).ok_or_else(invalid)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("{shown} is not a valid calendar date: {FORMS}"))?;
    if e == b.len() {
        let date = if end {
            date.succ_opt().ok_or_else(invalid)?
        } else {
            date
        };
        return Ok(date.and_time(NaiveTime::MIN).and_utc().timestamp());
    }
    match scan_date(b, 0, false) {
        Some(raw) if raw.end == b.len() && raw.time.is_some() => raw
            .resolve(None)
            .map(|v| v.unix_seconds())
            .ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Byte-level scanning. Every token that matters is ASCII, so positions only ever move over ASCII bytes (or
// whole UTF-8 sequences such as U+00A0) and always stay on char boundaries of the original &str.

/// The byte at `i`, or 0 past the end: 0 is never a digit, letter or separator, so it ends every token.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn digit_run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

fn alpha_run(b: &[u8], i: usize) -> usize {
    b.get(i..).map_or(0, |r| {
        r.iter().take_while(|c| c.is_ascii_alphabetic()).count()
    })
}

fn ident_run(b: &[u8], i: usize) -> usize {
    b.get(i..).map_or(0, |r| {
        r.iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count()
    })
}

/// The whole digit run at `i` as a number, if its length is within `min..=max` (max <= 9 so it fits a u32).
/// Taking the whole run means "2026" never matches as a two-digit day and "123456789" never as a year.
fn num(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = digit_run(b, i);
    if n < min || n > max {
        return None;
    }
    let end = i.checked_add(n)?;
    let value = b.get(i..end)?.iter().try_fold(0u32, |acc, &c| {
        acc.checked_mul(10)?.checked_add(u32::from(c - b'0'))
    })?;
    Some((value, end))
}

/// A four-digit year; earlier years are placeholders such as Go's zero time "0001-01-01".
fn year4(b: &[u8], i: usize) -> Option<(i32, usize)> {
    let (y, e) = num(b, i, 4, 4)?;
    let y = i32::try_from(y).ok()?;
    (y >= 1000).then_some((y, e))
}

/// Skips ASCII whitespace and no-break spaces (U+00A0, common in HTML-derived text).
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        match at(b, i) {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            0xC2 if at(b, i + 1) == 0xA0 => i += 2,
            _ => return i,
        }
    }
}

fn word_is(b: &[u8], i: usize, w: &str) -> bool {
    alpha_run(b, i) == w.len()
        && b.get(i..i + w.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
}

fn lookup<T: Copy>(table: &[(&str, T)], w: &[u8]) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

const WEEKDAYS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
];

/// Zone abbreviations with their offset in hours. The bare US zones ("ET", "PT"...) switch between standard
/// and daylight time, so they are understood but give no offset rather than a guessed one.
const ZONES: &[(&str, Option<i32>)] = &[
    ("z", Some(0)),
    ("ut", Some(0)),
    ("utc", Some(0)),
    ("gmt", Some(0)),
    ("est", Some(-5)),
    ("edt", Some(-4)),
    ("cst", Some(-6)),
    ("cdt", Some(-5)),
    ("mst", Some(-7)),
    ("mdt", Some(-6)),
    ("pst", Some(-8)),
    ("pdt", Some(-7)),
    ("bst", Some(1)),
    ("cet", Some(1)),
    ("cest", Some(2)),
    ("et", None),
    ("ct", None),
    ("mt", None),
    ("pt", None),
];

/// A month name or abbreviation ("Nov", "NOV", "Sept.", "November") → (month, end).
fn month_tok(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let n = alpha_run(b, i);
    let m = lookup(MONTHS, b.get(i..i.checked_add(n)?)?)?;
    let e = i + n;
    Some((m, if at(b, e) == b'.' { e + 1 } else { e }))
}

/// Skips "Tuesday, " / "Tue. " before a date; a weekday alone is not a date, so the caller still needs one.
/// The weekday is not checked against the date: sources get it wrong more often than the numbers.
fn skip_weekday(b: &[u8], i: usize) -> usize {
    let n = alpha_run(b, i);
    let is_weekday = b.get(i..i + n).is_some_and(|w| {
        WEEKDAYS
            .iter()
            .any(|d| d.as_bytes().eq_ignore_ascii_case(w))
    });
    if n == 0 || !is_weekday {
        return i;
    }
    let mut j = i + n;
    if at(b, j) == b'.' {
        j += 1;
    }
    if at(b, j) == b',' {
        j += 1;
    }
    let k = skip_ws(b, j);
    if k == i + n { i } else { k }
}

/// Skips an ordinal suffix: "24th", "1st", "2nd", "3rd".
fn skip_ordinal(b: &[u8], i: usize) -> usize {
    if alpha_run(b, i) != 2 {
        return i;
    }
    match b.get(i..i + 2) {
        Some(s)
            if [b"st", b"nd", b"rd", b"th"]
                .iter()
                .any(|o| s.eq_ignore_ascii_case(*o)) =>
        {
            i + 2
        }
        _ => i,
    }
}

/// "am", "PM", "a.m.", "p.m" (the final dot may have been trimmed as sentence punctuation) → (is_pm, end).
fn ampm(b: &[u8], i: usize) -> Option<(bool, usize)> {
    let pm = match at(b, i).to_ascii_lowercase() {
        b'a' => false,
        b'p' => true,
        _ => return None,
    };
    let mut j = i + 1;
    if at(b, j) == b'.' {
        j += 1;
    }
    if !at(b, j).eq_ignore_ascii_case(&b'm') {
        return None;
    }
    j += 1;
    if at(b, j) == b'.' {
        j += 1;
    }
    (!at(b, j).is_ascii_alphanumeric()).then_some((pm, j))
}

/// "15:01", "15:01:01", "15:01:01.79", "3:05 PM", "3pm" → (time, end).
fn time_at(b: &[u8], i: usize) -> Option<(NaiveTime, usize)> {
    let (h, mut j) = num(b, i, 1, 2)?;
    let (mut m, mut s, mut nano, mut minutes) = (0, 0, 0, false);
    if at(b, j) == b':' {
        let (mm, k) = num(b, j + 1, 2, 2)?;
        (m, j, minutes) = (mm, k, true);
        if at(b, j) == b':'
            && let Some((ss, k)) = num(b, j + 1, 2, 2)
        {
            (s, j) = (ss, k);
            if matches!(at(b, j), b'.' | b',') && at(b, j + 1).is_ascii_digit() {
                let n = digit_run(b, j + 1);
                // Digits past nanoseconds carry nothing chrono can store; they are consumed and dropped.
                let kept = n.min(9);
                let (digits, _) = b.get(j + 1..j + 1 + kept).and_then(|f| num(f, 0, 1, 9))?;
                let scale = 10u32.checked_pow(u32::try_from(9 - kept).ok()?)?;
                nano = digits.checked_mul(scale)?;
                j += 1 + n;
            }
        }
    }
    let h = match ampm(b, skip_ws(b, j)) {
        Some((pm, e)) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            j = e;
            h % 12 + if pm { 12 } else { 0 }
        }
        // A bare number after a date is a count or a page, not an hour.
        None if !minutes => return None,
        None => h,
    };
    let t = if s == 60 {
        // RFC 3339 leap second; chrono keeps it as :59 plus one extra second of nanoseconds.
        NaiveTime::from_hms_nano_opt(h, m, 59, nano.checked_add(1_000_000_000)?)?
    } else {
        NaiveTime::from_hms_nano_opt(h, m, s, nano)?
    };
    Some((t, j))
}

/// "+05:00", "+0500", "+05" (and "+5" after GMT/UTC) → (offset, end).
fn numeric_offset(b: &[u8], i: usize, short_hours: bool) -> Option<(FixedOffset, usize)> {
    let sign = match at(b, i) {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m, e) = match digit_run(b, i + 1) {
        4 => {
            let (v, e) = num(b, i + 1, 4, 4)?;
            (v / 100, v % 100, e)
        }
        2 => {
            let (h, e) = num(b, i + 1, 2, 2)?;
            match (at(b, e) == b':').then(|| num(b, e + 1, 2, 2)).flatten() {
                Some((m, e2)) => (h, m, e2),
                None => (h, 0, e),
            }
        }
        1 if short_hours => {
            let (h, e) = num(b, i + 1, 1, 1)?;
            (h, 0, e)
        }
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    let secs = i32::try_from(h * 3600 + m * 60).ok()?;
    Some((FixedOffset::east_opt(sign * secs)?, e))
}

/// An optional zone after a time: "Z", "+05:00", " +0000 (UTC)", " GMT", "GMT+2", " EST", " ET".
/// Returns None when nothing zone-like follows; Some((None, end)) for a zone with no fixed offset.
fn zone_at(b: &[u8], i: usize) -> Option<(Option<FixedOffset>, usize)> {
    let j = skip_ws(b, i);
    let (offset, mut e) = if matches!(at(b, j), b'+' | b'-') {
        let (o, e) = numeric_offset(b, j, false)?;
        (Some(o), e)
    } else {
        let n = alpha_run(b, j);
        let hours = lookup(ZONES, b.get(j..j.checked_add(n)?)?)?;
        let e = j + n;
        if let Some((o, e2)) = numeric_offset(b, e, true)
            && hours == Some(0)
        {
            (Some(o), e2)
        } else if at(b, e).is_ascii_digit() {
            return None;
        } else {
            let offset = match hours {
                Some(h) => Some(FixedOffset::east_opt(h * 3600)?),
                None => None,
            };
            (offset, e)
        }
    };
    // Mail-style "+0000 (UTC)": the comment repeats the zone and belongs to the date.
    let k = skip_ws(b, e);
    if at(b, k) == b'(' {
        let n = alpha_run(b, k + 1);
        if n > 0
            && at(b, k + 1 + n) == b')'
            && b.get(k + 1..k + 1 + n)
                .and_then(|w| lookup(ZONES, w))
                .is_some()
        {
            e = k + n + 2;
        }
    }
    Some((offset, e))
}

/// A date found by `scan_date`, before the year (possibly absent) is resolved.
#[derive(Clone, Copy)]
struct Raw {
    year: Option<i32>,
    month: u32,
    day: u32,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
    end: usize,
}

impl Raw {
    fn new(year: Option<i32>, month: u32, day: u32, end: usize) -> Self {
        Raw {
            year,
            month,
            day,
            time: None,
            offset: None,
            end,
        }
    }

    /// The calendar check happens here, once the year is known (29 February needs it).
    fn resolve(&self, hint: Option<i32>) -> Option<DateValue> {
        let date = NaiveDate::from_ymd_opt(self.year.or(hint)?, self.month, self.day)?;
        Some(DateValue {
            date,
            time: self.time,
            offset: self.time.and(self.offset),
        })
    }

    /// Extends the date with a following time and zone when there is one. ISO dates take "T" or spaces
    /// before the time; written dates also take ", " and "at" ("November 24, 2026 at 3:05 PM").
    fn with_time(mut self, b: &[u8], iso: bool) -> Self {
        let e = self.end;
        let start = if iso && matches!(at(b, e), b'T' | b't') {
            e + 1
        } else {
            let k = if !iso && at(b, e) == b',' { e + 1 } else { e };
            let k2 = skip_ws(b, k);
            if k2 == k {
                return self;
            }
            if !iso && word_is(b, k2, "at") && skip_ws(b, k2 + 2) > k2 + 2 {
                skip_ws(b, k2 + 2)
            } else {
                k2
            }
        };
        if let Some((t, te)) = time_at(b, start) {
            self.time = Some(t);
            self.end = te;
            if let Some((offset, ze)) = zone_at(b, te) {
                self.offset = offset;
                self.end = ze;
            }
        }
        self
    }
}

/// Scans one date starting exactly at `i` and returns it with its end; trailing text is left to the caller.
/// `yearless` allows "Nov 24" / "24 November" (datelines and labelled header lines, resolved with a hint).
fn scan_date(b: &[u8], i: usize, yearless: bool) -> Option<Raw> {
    let i = skip_weekday(b, i);
    let c = at(b, i);
    if c.is_ascii_digit() {
        scan_number_first(b, i, yearless)
    } else if c.is_ascii_alphabetic() {
        scan_month_first(b, i, yearless)
    } else {
        None
    }
}

/// "2026-11-24[T15:01:01Z]", "2026/11/24", "02/26/1998", "24-NOV-2026", "24 November 2026", "24th of Nov".
fn scan_number_first(b: &[u8], i: usize, yearless: bool) -> Option<Raw> {
    let n = digit_run(b, i);
    if n == 4 {
        let (y, j) = year4(b, i)?;
        let sep = at(b, j);
        if sep != b'-' && sep != b'/' {
            return None;
        }
        let (m, k) = num(b, j + 1, 1, 2)?;
        if at(b, k) != sep {
            return None;
        }
        let (d, e) = num(b, k + 1, 1, 2)?;
        return Some(Raw::new(Some(y), m, d, e).with_time(b, true));
    }
    let (a, j) = num(b, i, 1, 2)?;
    match at(b, j) {
        b'/' => {
            let (x, k) = num(b, j + 1, 1, 2)?;
            if at(b, k) != b'/' {
                return None;
            }
            let (y, e) = year4(b, k + 1)?;
            // US order unless the first number cannot be a month (see parse_date).
            let (m, d) = if a <= 12 { (a, x) } else { (x, a) };
            Some(Raw::new(Some(y), m, d, e).with_time(b, false))
        }
        b'-' => {
            let n = alpha_run(b, j + 1);
            let m = lookup(MONTHS, b.get(j + 1..j + 1 + n)?)?;
            let k = j + 1 + n;
            if at(b, k) != b'-' {
                return None;
            }
            let (y, e) = year4(b, k + 1)?;
            Some(Raw::new(Some(y), m, a, e).with_time(b, false))
        }
        _ => {
            let j = skip_ordinal(b, j);
            let mut k = skip_ws(b, j);
            if k == j {
                return None;
            }
            if word_is(b, k, "of") && skip_ws(b, k + 2) > k + 2 {
                k = skip_ws(b, k + 2);
            }
            let (m, me) = month_tok(b, k)?;
            let comma = if at(b, me) == b',' { me + 1 } else { me };
            let ys = skip_ws(b, comma);
            if ys > me
                && let Some((y, e)) = year4(b, ys)
            {
                return Some(Raw::new(Some(y), m, a, e).with_time(b, false));
            }
            yearless.then_some(Raw::new(None, m, a, me))
        }
    }
}

/// "November 24, 2026", "Nov. 24 2026 3:05 PM", "Sept. 3, 2025", "Oct 10 20:19:24 +0000 2018", "Nov 24".
fn scan_month_first(b: &[u8], i: usize, yearless: bool) -> Option<Raw> {
    let (m, j) = month_tok(b, i)?;
    let k = skip_ws(b, j);
    if k == j {
        return None;
    }
    let (d, k) = num(b, k, 1, 2)?;
    let day_end = skip_ordinal(b, k);
    let comma = if at(b, day_end) == b',' {
        day_end + 1
    } else {
        day_end
    };
    let ys = skip_ws(b, comma);
    if ys > day_end {
        if let Some((y, e)) = year4(b, ys) {
            return Some(Raw::new(Some(y), m, d, e).with_time(b, false));
        }
        // ctime / Twitter order: the time (and zone) come before the year.
        if let Some((t, te)) = time_at(b, ys) {
            let (offset, ze) = zone_at(b, te).unwrap_or((None, te));
            let yy = skip_ws(b, ze);
            if yy > ze
                && let Some((y, e)) = year4(b, yy)
            {
                let mut raw = Raw::new(Some(y), m, d, e);
                raw.time = Some(t);
                raw.offset = offset;
                return Some(raw);
            }
        }
    }
    yearless.then_some(Raw::new(None, m, d, day_end))
}

/// YYYYMMDD with a plausible year: eight digits alone are too often ids to accept 0001-9999.
fn compact_ymd(b: &[u8], i: usize) -> Option<NaiveDate> {
    if digit_run(b, i) != 8 {
        return None;
    }
    let part = |from: usize, len: usize| {
        b.get(i + from..i + from + len)
            .and_then(|s| num(s, 0, len, len))
    };
    let (y, _) = part(0, 4)?;
    let (m, _) = part(4, 2)?;
    let (d, _) = part(6, 2)?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// An all-digit metadata value: YYYYMMDD, or a unix timestamp in seconds (10 digits) or milliseconds (13).
fn parse_all_digits(b: &[u8]) -> Option<DateValue> {
    match b.len() {
        8 => compact_ymd(b, 0).map(|date| DateValue {
            date,
            time: None,
            offset: None,
        }),
        // A leading zero means a zero-padded placeholder, never a real timestamp of that width.
        10 | 13 if at(b, 0) != b'0' => {
            let v = b.iter().try_fold(0i64, |acc, &c| {
                acc.checked_mul(10)?.checked_add(i64::from(c - b'0'))
            })?;
            let (secs, nanos) = if b.len() == 13 {
                (
                    v / 1000,
                    u32::try_from(v % 1000).ok()?.checked_mul(1_000_000)?,
                )
            } else {
                (v, 0)
            };
            if secs >= UNIX_2101 {
                return None;
            }
            let dt = DateTime::from_timestamp(secs, nanos)?.naive_utc();
            Some(DateValue {
                date: dt.date(),
                time: Some(dt.time()),
                offset: FixedOffset::east_opt(0),
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Headers.

/// A date found in a header line: value and [start, end) within the line.
type Hit = (DateValue, usize, usize);

enum LineHit {
    /// A publication date: the search ends.
    Strong(Hit),
    /// A modification date: used only if no publication date is found.
    Weak(Hit),
    /// A dateline without a usable date: the body has started, so nothing below is a header.
    Stop,
    Miss,
}

fn header_line(line: &str, line_no: usize, hint: Option<i32>) -> LineHit {
    let first = at(line.as_bytes(), 0);
    // Every header shape starts with a letter, a digit, '<' or (for accented place names) a non-ASCII
    // letter; anything else ("--", "*", quotes) is decoration or body.
    if !(first.is_ascii_alphanumeric() || first == b'<' || first >= 0x80) {
        return LineHit::Miss;
    }
    let view = prefix(line, LINE_VIEW);
    match labelled(view.as_bytes(), hint) {
        LineHit::Miss => {}
        hit => return hit,
    }
    if line_no < BARE_DATE_LINES && line.len() <= MAX_DATE_LEN {
        let t = line.strip_suffix('.').unwrap_or(line).trim_end();
        let b = t.as_bytes();
        if let Some(raw) = scan_date(b, 0, false)
            && raw.end == b.len()
            && let Some(v) = raw.resolve(None)
        {
            return LineHit::Strong((v, 0, raw.end));
        }
    }
    dateline(view, hint)
}

#[derive(Clone, Copy)]
enum Label {
    Published,
    Updated,
}

/// A line starting with a label: "Published:", "DATE_TIME", "<DATE_TIME>", "DD =", "<FILEID>AP-NR-...".
fn labelled(b: &[u8], hint: Option<i32>) -> LineHit {
    if at(b, 0) != b'<' {
        return label_at(b, 0, hint);
    }
    let n = ident_run(b, 1);
    if n == 0 || at(b, 1 + n) != b'>' {
        return LineHit::Miss;
    }
    // The tag name may be the label ("<DATE_TIME> 02/27/1998") or wrap one ("<FILEID>AP-NR-...").
    match label_at(b, 1, hint) {
        LineHit::Miss => label_at(b, skip_ws(b, n + 2), hint),
        hit => hit,
    }
}

fn label_at(b: &[u8], i: usize, hint: Option<i32>) -> LineHit {
    let n = ident_run(b, i);
    let Some(word) = b.get(i..i + n) else {
        return LineHit::Miss;
    };
    let mut j = i + n;
    let next_word_is = |j: usize, words: &[&str]| {
        let k = skip_ws(b, j);
        (k > j && words.iter().any(|w| word_is(b, k, w))).then(|| k + alpha_run(b, k))
    };
    let eq = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
    let label = if word == b"AP" && at(b, j) == b'-' {
        return ap_line(b, j);
    } else if eq("dd") {
        return dd_line(b, j);
    } else if [
        "date_time",
        "date",
        "dated",
        "published",
        "posted",
        "pubdate",
        "released",
    ]
    .iter()
    .any(|w| eq(w))
    {
        Label::Published
    } else if eq("updated") || eq("modified") {
        Label::Updated
    } else if eq("first") || eq("originally") {
        let Some(e) = next_word_is(j, &["published", "posted"]) else {
            return LineHit::Miss;
        };
        j = e;
        Label::Published
    } else if eq("publication") || eq("publish") {
        let Some(e) = next_word_is(j, &["date"]) else {
            return LineHit::Miss;
        };
        j = e;
        Label::Published
    } else if eq("last") {
        let Some(e) = next_word_is(j, &["updated", "modified"]) else {
            return LineHit::Miss;
        };
        j = e;
        Label::Updated
    } else {
        return LineHit::Miss;
    };
    let mut k = skip_seps(b, j);
    if (word_is(b, k, "on") || word_is(b, k, "at")) && skip_ws(b, k + 2) > k + 2 {
        k = skip_ws(b, k + 2);
    }
    let Some(raw) = scan_date(b, k, true) else {
        return LineHit::Miss;
    };
    // "Date: 2026-11-24abc" is not a date followed by text but some other token.
    if at(b, raw.end).is_ascii_alphanumeric() {
        return LineHit::Miss;
    }
    match (raw.resolve(hint), label) {
        (Some(v), Label::Published) => LineHit::Strong((v, k, raw.end)),
        (Some(v), Label::Updated) => LineHit::Weak((v, k, raw.end)),
        (None, _) => LineHit::Miss,
    }
}

/// Separators between a label and its value: "Date: ", "DD = ", "<DATE_TIME> ".
fn skip_seps(b: &[u8], mut i: usize) -> usize {
    loop {
        let j = skip_ws(b, i);
        if matches!(at(b, j), b':' | b'=' | b'>') {
            i = j + 1;
        } else {
            return j;
        }
    }
}

/// Two-digit years of old newswire headers: 00-29 → 2000s, 30-99 → 1900s.
fn expand_yy(yy: u32) -> Option<i32> {
    let yy = i32::try_from(yy).ok()?;
    Some(if yy < 30 { 2000 + yy } else { 1900 + yy })
}

/// The TIPSTER/Dow Jones "DD = 891030" header (YYMMDD), after the "DD" label at `j`.
fn dd_line(b: &[u8], j: usize) -> LineHit {
    let k = skip_seps(b, j);
    if k == j {
        return LineHit::Miss;
    }
    let Some((v, e)) = num(b, k, 6, 6) else {
        return LineHit::Miss;
    };
    let date =
        expand_yy(v / 10000).and_then(|y| NaiveDate::from_ymd_opt(y, v / 100 % 100, v % 100));
    match date {
        Some(date) => LineHit::Strong((
            DateValue {
                date,
                time: None,
                offset: None,
            },
            k,
            e,
        )),
        None => LineHit::Miss,
    }
}

/// The AP wire line "AP-NR-08-16-90 1200EDT" (MM-DD-YY, then HHMM and zone), with `j` at the '-' after "AP".
fn ap_line(b: &[u8], j: usize) -> LineHit {
    let parse = || -> Option<Hit> {
        let n = b
            .get(j + 1..)?
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if n == 0 || n > 4 || at(b, j + 1 + n) != b'-' {
            return None;
        }
        let start = j + 2 + n;
        let (m, k) = num(b, start, 2, 2)?;
        let (d, k) = (at(b, k) == b'-').then(|| num(b, k + 1, 2, 2)).flatten()?;
        let (yy, k) = (at(b, k) == b'-').then(|| num(b, k + 1, 2, 2)).flatten()?;
        let mut raw = Raw::new(Some(expand_yy(yy)?), m, d, k);
        let t0 = skip_ws(b, k);
        if t0 > k
            && let Some((hhmm, te)) = num(b, t0, 4, 4)
            && let Some(t) = NaiveTime::from_hms_opt(hhmm / 100, hhmm % 100, 0)
        {
            raw.time = Some(t);
            raw.end = te;
            if let Some((offset, ze)) = zone_at(b, te) {
                raw.offset = offset;
                raw.end = ze;
            }
        }
        Some((raw.resolve(None)?, start, raw.end))
    };
    parse().map_or(LineHit::Miss, LineHit::Strong)
}

/// A dateline opening the body: "ISLAMABAD, Nov 24 (Reuters) -", "LONDON, March 3, 2025 (Wire) -",
/// "SAN FRANCISCO, Calif., Nov 24 -", "WASHINGTON (AP) —" (no date: Stop).
fn dateline(line: &str, hint: Option<i32>) -> LineHit {
    let b = line.as_bytes();
    let Some(mut i) = caps_place(line) else {
        return LineHit::Miss;
    };
    // At most a region or two ("Pakistan", "Calif.") between the place and the date.
    for _ in 0..3 {
        let j = skip_spaces(b, i);
        match at(b, j) {
            b',' => {
                let k = skip_ws(b, j + 1);
                if let Some(raw) = scan_date(b, k, true)
                    && dateline_tail(line, raw.end)
                {
                    return match raw.resolve(hint) {
                        Some(v) => LineHit::Strong((v, k, raw.end)),
                        // A year-less dateline without a hint: this is the date, but its year is unknown.
                        None => LineHit::Stop,
                    };
                }
                match region(line, k) {
                    Some(e) => i = e,
                    None => return LineHit::Miss,
                }
            }
            b'(' if agency_then_dash(line, j) => return LineHit::Stop,
            _ => return LineHit::Miss,
        }
    }
    LineHit::Miss
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(at(b, i), b' ' | b'\t') {
        i += 1;
    }
    i
}

/// A place in capitals at the start of the line ("KABUL", "ST. LOUIS", "SÃO PAULO") → its end.
fn caps_place(line: &str) -> Option<usize> {
    let (mut end, mut letters, mut words, mut in_word) = (0, 0, 1, false);
    for (idx, c) in line.char_indices() {
        if idx > PLACE_MAX_BYTES {
            return None;
        }
        if c.is_uppercase() {
            letters += 1;
            in_word = true;
            end = idx + c.len_utf8();
        } else if in_word && matches!(c, '.' | '-' | '\'' | '\u{2019}') {
            end = idx + c.len_utf8();
        } else if in_word && c == ' ' {
            in_word = false;
            words += 1;
            if words > PLACE_MAX_WORDS {
                return None;
            }
        } else {
            break;
        }
    }
    (letters >= 2).then_some(end)
}

/// A region after the place: capitalised words ("Pakistan", "Calif.", "New South Wales") → its end.
fn region(line: &str, i: usize) -> Option<usize> {
    let rest = line.get(i..)?;
    let (mut end, mut words, mut word_start) = (None, 0, true);
    for (idx, c) in rest.char_indices() {
        let after = i + idx + c.len_utf8();
        if word_start {
            if !c.is_uppercase() {
                break;
            }
            word_start = false;
            words += 1;
            if words > PLACE_MAX_WORDS {
                return None;
            }
            end = Some(after);
        } else if c.is_alphabetic() || matches!(c, '.' | '-' | '\'') {
            end = Some(after);
        } else if c == ' ' {
            word_start = true;
        } else {
            break;
        }
    }
    end
}

/// What may follow a dateline's date: the agency, a dash, "/PRNewswire/", or nothing.
fn dateline_tail(line: &str, i: usize) -> bool {
    let rest = line.get(i..).unwrap_or("").trim_start();
    let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
    rest.is_empty() || rest.starts_with(['(', '-', '\u{2013}', '\u{2014}', '/'])
}

/// "(AP) —" after a place: the dateline shape, with no date in it.
fn agency_then_dash(line: &str, i: usize) -> bool {
    let Some(rest) = line.get(i..) else {
        return false;
    };
    let Some(close) = rest.bytes().take(AGENCY_MAX_BYTES).position(|c| c == b')') else {
        return false;
    };
    rest.get(close + 1..)
        .is_some_and(|r| r.trim_start().starts_with(['-', '\u{2013}', '\u{2014}']))
}

// ---------------------------------------------------------------------------------------------------------
// Paths and helpers.

/// A date starting at the digit run `b[i..i + n]` of a path, which is preceded by a non-digit.
fn path_date_at(b: &[u8], i: usize, n: usize) -> Option<NaiveDate> {
    match n {
        4 => {
            let (y, j) = num(b, i, 4, 4)?;
            let sep = at(b, j);
            if !(1900..=2100).contains(&y) || !matches!(sep, b'/' | b'\\' | b'-' | b'_') {
                return None;
            }
            let (m, k) = num(b, j + 1, 1, 2)?;
            if at(b, k) != sep {
                return None;
            }
            let (d, _) = num(b, k + 1, 1, 2)?;
            NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
        }
        8 => {
            // Letters on both sides means a hash or an id ("a3f20261124b"), not a dated name ("APW19980227.0087").
            let before = i.checked_sub(1).map_or(0, |p| at(b, p));
            if before.is_ascii_alphabetic() && at(b, i + 8).is_ascii_alphabetic() {
                return None;
            }
            compact_ymd(b, i)
        }
        _ => None,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut n = max;
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    s.get(..n).unwrap_or("")
}

/// The user's input for an error message: quoted and escaped so the message stays on one line.
fn quoted(s: &str) -> String {
    let short = prefix(s, 40);
    if short.len() < s.len() {
        format!("{short:?}...")
    } else {
        format!("{short:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(v: Option<DateValue>) -> Option<String> {
        v.map(|v| v.to_iso())
    }

    #[test]
    fn parse_date_table() {
        let cases: &[(&str, Option<&str>)] = &[
            // ISO 8601 / RFC 3339
            ("2026-11-24", Some("2026-11-24")),
            ("2026-11-24T15:01:01Z", Some("2026-11-24T15:01:01Z")),
            (
                "2026-11-24T15:01:01.123+05:00",
                Some("2026-11-24T15:01:01.123+05:00"),
            ),
            (
                "2026-11-24T15:01:01+0500",
                Some("2026-11-24T15:01:01+05:00"),
            ),
            (
                "2026-11-24T15:01:01-08:00",
                Some("2026-11-24T15:01:01-08:00"),
            ),
            ("2026-11-24 15:01:01", Some("2026-11-24T15:01:01")),
            ("2016-11-09 00:00:00", Some("2016-11-09T00:00:00")),
            ("2026-11-24T15:01", Some("2026-11-24T15:01:00")),
            ("2026-11-24 15:01:01 UTC", Some("2026-11-24T15:01:01Z")),
            ("2026/11/24", Some("2026-11-24")),
            ("1998-12-31T23:59:60Z", Some("1998-12-31T23:59:60Z")),
            ("20261124", Some("2026-11-24")),
            // RFC 2822 and relatives
            (
                "Tue, 24 Nov 2026 15:01:01 +0000",
                Some("2026-11-24T15:01:01Z"),
            ),
            ("24 Nov 2026 15:01:01 GMT", Some("2026-11-24T15:01:01Z")),
            (
                "24 Nov 2026 15:01:01 EST",
                Some("2026-11-24T15:01:01-05:00"),
            ),
            (
                "Mon, 23 Nov 2026 10:00:00 PDT",
                Some("2026-11-23T10:00:00-07:00"),
            ),
            (
                "Tue, 24 Nov 2026 15:01:01 +0000 (UTC)",
                Some("2026-11-24T15:01:01Z"),
            ),
            ("24 Nov 2026 15:01 GMT+2", Some("2026-11-24T15:01:00+02:00")),
            (
                "Wed Oct 10 20:19:24 +0000 2018",
                Some("2018-10-10T20:19:24Z"),
            ),
            // written forms
            ("24 November 2026", Some("2026-11-24")),
            ("24 Nov 2026", Some("2026-11-24")),
            ("November 24, 2026", Some("2026-11-24")),
            ("Nov. 24, 2026", Some("2026-11-24")),
            ("Nov 24 2026", Some("2026-11-24")),
            ("Sept. 3, 2025", Some("2025-09-03")),
            ("Tuesday, 24 November 2026", Some("2026-11-24")),
            (
                "Tuesday 24 November 2026 15:01 GMT",
                Some("2026-11-24T15:01:00Z"),
            ),
            ("24th November 2026", Some("2026-11-24")),
            ("24th of November 2026", Some("2026-11-24")),
            ("November 24th, 2026", Some("2026-11-24")),
            ("March 22, 2013", Some("2013-03-22")),
            ("NOVEMBER 24, 2026", Some("2026-11-24")),
            ("November 24, 2026 3:05 PM", Some("2026-11-24T15:05:00")),
            ("November 24, 2026 12:00 AM", Some("2026-11-24T00:00:00")),
            (
                "Nov 24, 2026 at 3:05 p.m. EST",
                Some("2026-11-24T15:05:00-05:00"),
            ),
            ("Nov 24, 2026, 3:05 p.m.", Some("2026-11-24T15:05:00")),
            ("Nov 24, 2026 3:05 PM ET", Some("2026-11-24T15:05:00")),
            ("24 November 2026 15:01:01", Some("2026-11-24T15:01:01")),
            ("24\u{a0}November\u{a0}2026", Some("2026-11-24")),
            // DD-MON-YYYY
            ("24-NOV-2026 15:01:01.79", Some("2026-11-24T15:01:01.790")),
            ("24-Nov-2026", Some("2026-11-24")),
            // slash numeric
            ("02/26/1998 21:26:00", Some("1998-02-26T21:26:00")),
            ("02/26/1998", Some("1998-02-26")),
            ("03/04/2020", Some("2020-03-04")),
            ("26/02/1998", Some("1998-02-26")),
            // unix timestamps
            ("1764000000", Some("2025-11-24T16:00:00Z")),
            ("1764000000123", Some("2025-11-24T16:00:00.123Z")),
            // whitespace and a trailing full stop
            ("  2026-11-24 \n", Some("2026-11-24")),
            ("24 November 2026.", Some("2026-11-24")),
            // rejects
            ("", None),
            ("   ", None),
            ("yesterday", None),
            ("Tuesday", None),
            ("2026", None),
            ("12345", None),
            ("123456789", None),
            ("0000000000", None),
            ("9999999999", None),
            ("99999999999999", None),
            ("18991231", None),
            ("21010101", None),
            ("20261324", None),
            ("Published on 24 November 2026", None),
            ("24 November 2026 is the date", None),
            ("talks on 24 November", None),
            ("24 November", None),
            ("Nov 24", None),
            ("November 2026", None),
            ("2026-02-31", None),
            ("31 February 2026", None),
            ("02/30/2026", None),
            ("02/26/98", None),
            ("13/13/2026", None),
            ("99/99/9999", None),
            ("2026-11-24T25:00", None),
            ("2026-11-24T15:01:01+25:00", None),
            ("November 24, 2026 13:05 PM", None),
            ("24 November 2026 3", None),
            ("0001-01-01T00:00:00Z", None),
            ("2026-11-2é", None),
            ("2026-11-24T15:01:01ZZ", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                iso(parse_date(input)).as_deref(),
                *want,
                "parse_date({input:?})"
            );
        }
        assert!(cases.len() >= 40);
    }

    #[test]
    fn unix_seconds_and_offsets() {
        let cases: &[(&str, i64)] = &[
            ("1970-01-01", 0),
            ("2026-11-24T15:01:01Z", 1_795_532_461),
            ("2026-11-24T20:01:01+05:00", 1_795_532_461),
            ("24 Nov 2026 10:01:01 EST", 1_795_532_461),
            ("2026-11-24 15:01:01", 1_795_532_461),
            ("1795532461", 1_795_532_461),
        ];
        for (input, want) in cases {
            let v = parse_date(input).map(|v| v.unix_seconds());
            assert_eq!(v, Some(*want), "unix_seconds({input:?})");
        }
        let v = DateValue {
            date: NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date"),
            time: None,
            offset: FixedOffset::east_opt(3600),
        };
        // An offset without a time cannot be written in ISO form, so it is left out.
        assert_eq!(v.to_iso(), "2026-11-24");
    }

    /// (text, year hint, expected (ISO date, text of the span)).
    type HeaderCase = (
        &'static str,
        Option<i32>,
        Option<(&'static str, &'static str)>,
    );

    #[test]
    fn header_table() {
        let cases: &[HeaderCase] = &[
            (
                "DATE_TIME 02/27/1998 08:17:00\nBody text.",
                None,
                Some(("1998-02-27T08:17:00", "02/27/1998 08:17:00")),
            ),
            (
                "<DOC>\n<DOCNO> APW19980227.0087 </DOCNO>\n<DATE_TIME> 02/27/1998 08:17:00.00 </DATE_TIME>\n",
                None,
                Some(("1998-02-27T08:17:00", "02/27/1998 08:17:00.00")),
            ),
            (
                "DATE_TIME: 1998-02-27 08:17:00",
                None,
                Some(("1998-02-27T08:17:00", "1998-02-27 08:17:00")),
            ),
            (
                "DOCNO x\nDATE: 1998-02-27\n",
                None,
                Some(("1998-02-27", "1998-02-27")),
            ),
            (
                "DD = 891030\nSO WALL STREET JOURNAL (J)",
                None,
                Some(("1989-10-30", "891030")),
            ),
            ("DD = 051030", None, Some(("2005-10-30", "051030"))),
            (
                "<FILEID>AP-NR-08-16-90 1200EDT</FILEID>\n<FIRST>r a PM-Budget</FIRST>",
                None,
                Some(("1990-08-16T12:00:00-04:00", "08-16-90 1200EDT")),
            ),
            ("AP-NR-08-16-90", None, Some(("1990-08-16", "08-16-90"))),
            (
                "Talks resume\nPublished: 24 November 2026\n\nBody.",
                None,
                Some(("2026-11-24", "24 November 2026")),
            ),
            (
                "Talks resume\nPublished on 24 November 2026 | By A. Writer\n",
                None,
                Some(("2026-11-24", "24 November 2026")),
            ),
            (
                "Talks\nUpdated: 25 November 2026\nPosted: 24 November 2026\n",
                None,
                Some(("2026-11-24", "24 November 2026")),
            ),
            (
                "Talks\nLast updated: 25 November 2026\nBody text here.",
                None,
                Some(("2026-11-25", "25 November 2026")),
            ),
            (
                "Talks resume\nMarch 22, 2013\nBody.",
                None,
                Some(("2013-03-22", "March 22, 2013")),
            ),
            (
                "Headline\n\nTuesday 24 November 2026\n",
                None,
                Some(("2026-11-24", "Tuesday 24 November 2026")),
            ),
            (
                "Date: Tue, 24 Nov 2026 15:01:01 +0000\nSubject: x",
                None,
                Some(("2026-11-24T15:01:01Z", "Tue, 24 Nov 2026 15:01:01 +0000")),
            ),
            (
                "Posted: Nov 24\nBody",
                Some(2026),
                Some(("2026-11-24", "Nov 24")),
            ),
            ("Posted: Nov 24\nBody", None, None),
            (
                "\u{feff}Published: 2026-11-24\r\nBody",
                None,
                Some(("2026-11-24", "2026-11-24")),
            ),
            (
                "Pakistan talks\n\nISLAMABAD, Nov 24 (Reuters) - Pakistan said on Tuesday...",
                Some(2026),
                Some(("2026-11-24", "Nov 24")),
            ),
            (
                "ISLAMABAD, Nov 24 (Reuters) - Pakistan said on Tuesday...",
                None,
                None,
            ),
            (
                "LONDON, March 3, 2025 (Newsdex Wire) - Shares rose.",
                None,
                Some(("2025-03-03", "March 3, 2025")),
            ),
            (
                "KABUL, 24 November - Afghan officials said",
                Some(2026),
                Some(("2026-11-24", "24 November")),
            ),
            (
                "ISLAMABAD, Pakistan, Nov 24 (Reuters) -",
                Some(2026),
                Some(("2026-11-24", "Nov 24")),
            ),
            (
                "SAN FRANCISCO, Calif., Nov. 24, 2026 /PRNewswire/ --",
                None,
                Some(("2026-11-24", "Nov. 24, 2026")),
            ),
            (
                "SÃO PAULO, Nov 24 (Reuters) - Brazil",
                Some(2026),
                Some(("2026-11-24", "Nov 24")),
            ),
            (
                "WASHINGTON (AP) — The president said on Tuesday 24 November 2026 that...",
                None,
                None,
            ),
            (
                "WASHINGTON (AP) — Text.\nPublished: 24 November 2026",
                None,
                None,
            ),
            (
                "The minister said on Tuesday 24 November 2026 that talks would go on.",
                None,
                None,
            ),
            (
                "Talks\nThe talks on 24 November 2026 were held in Kabul.",
                Some(2026),
                None,
            ),
            (
                "Talks\nBREAKING NEWS, talks on 24 November",
                Some(2026),
                None,
            ),
            ("a\nb\nc\nd\ne\nMarch 22, 2013\n", None, None),
            ("DATE_TIME 02/30/1998 08:17:00", None, None),
            ("Date: 2026-11-24abc", None, None),
            ("", None, None),
        ];
        for (text, hint, want) in cases {
            let got = date_from_header(text, *hint);
            let got = got.map(|(v, (s, e))| {
                (
                    v.to_iso(),
                    text.get(s..e).unwrap_or("<bad span>").to_string(),
                )
            });
            let want = want.map(|(d, span)| (d.to_string(), span.to_string()));
            assert_eq!(got, want, "date_from_header({text:?}, {hint:?})");
        }
        assert!(cases.len() >= 15);
    }

    #[test]
    fn header_limits() {
        let deep = format!("{}Published: 24 November 2026\n", "x\n".repeat(20));
        assert_eq!(
            date_from_header(&deep, None),
            None,
            "past the first 15 lines"
        );
        let far = format!("{}\nPublished: 24 November 2026\n", "y".repeat(1600));
        assert_eq!(
            date_from_header(&far, None),
            None,
            "past the first 1500 bytes"
        );
        let long_line = format!("Published: 24 November 2026 {}", "z".repeat(100_000));
        assert!(
            date_from_header(&long_line, None).is_some(),
            "a long first line still has its prefix read"
        );
    }

    #[test]
    fn path_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("news/2026/11/24/slug.html", Some("2026-11-24")),
            ("news/2026-11-24-slug.txt", Some("2026-11-24")),
            ("news/2026_11_24_slug.txt", Some("2026-11-24")),
            ("data/20261124_report.txt", Some("2026-11-24")),
            ("corpus/APW19980227.0087", Some("1998-02-27")),
            ("C:\\news\\2026\\11\\24\\a.txt", Some("2026-11-24")),
            ("archive/2025/01/05/2026-11-24-slug.txt", Some("2026-11-24")),
            ("日本/2026-11-24/記事.txt", Some("2026-11-24")),
            ("2026/11/slug.txt", None),
            ("file-12345678.txt", None),
            ("hash/a3f20261124b.txt", None),
            ("id/202611240/x.txt", None),
            ("news/1899-12-31-old.txt", None),
            ("news/2101-01-01.txt", None),
            ("x/2026-02-30.txt", None),
            ("x/12026-11-24.txt", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(
                iso(date_from_path(path)).as_deref(),
                *want,
                "date_from_path({path:?})"
            );
        }
    }

    #[test]
    fn bound_table() {
        let ts = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("test timestamp")
                .timestamp()
        };
        let ok: &[(&str, bool, &str)] = &[
            ("2024", false, "2024-01-01T00:00:00Z"),
            ("2024", true, "2025-01-01T00:00:00Z"),
            ("2024-03", false, "2024-03-01T00:00:00Z"),
            ("2024-03", true, "2024-04-01T00:00:00Z"),
            ("2024-12", true, "2025-01-01T00:00:00Z"),
            ("2024-03-01", false, "2024-03-01T00:00:00Z"),
            ("2024-02-29", true, "2024-03-01T00:00:00Z"),
            (" 2024-12-31 ", true, "2025-01-01T00:00:00Z"),
            ("2024-03-01T12:00:00Z", false, "2024-03-01T12:00:00Z"),
            ("2024-03-01T12:00:00Z", true, "2024-03-01T12:00:00Z"),
            ("2024-03-01T12:00:00+02:00", false, "2024-03-01T10:00:00Z"),
        ];
        for (input, end, want) in ok {
            assert_eq!(
                parse_bound(input, *end),
                Ok(ts(want)),
                "parse_bound({input:?}, {end})"
            );
        }
        let err: &[(&str, &str)] = &[
            ("2024-13", "month 13 is out of range"),
            ("2024-00", "month 0 is out of range"),
            ("tomorrow", "invalid date bound \"tomorrow\""),
            ("", "empty date bound"),
            ("2023-02-29", "not a valid calendar date"),
            ("2024-3", "invalid date bound"),
            ("24", "invalid date bound"),
            ("0999", "year 999 is out of range"),
            ("2024-03-01 junk", "invalid date bound"),
            ("2024-03-01T12:00:00Zjunk", "invalid date bound"),
            ("line\nbreak", "invalid date bound \"line\\nbreak\""),
        ];
        for (input, want) in err {
            for end in [false, true] {
                let msg = parse_bound(input, end).expect_err(input);
                assert!(
                    msg.contains(want),
                    "parse_bound({input:?}) = {msg:?}, want {want:?}"
                );
                assert!(
                    msg.contains("YYYY-MM-DD"),
                    "message names the accepted forms: {msg:?}"
                );
                assert!(!msg.contains('\n'), "one line: {msg:?}");
            }
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        let long_digits = "9".repeat(5000);
        let long_text = "日本é".repeat(2000);
        let seeds: Vec<String> = [
            "é",
            "日本",
            "2026-11-2é",
            "2026-11-24T15:01:01.1234567890123+05:00",
            "1",
            "0",
            "99/99/9999",
            "00/00/0000",
            "12/31/9999 23:59:60",
            "Nov 日 2026",
            "Tue, 日本 Nov",
            "DD = 99999",
            "DD = 999999",
            "AP-NR-99-99-99 9999EDT",
            "AP-",
            "<",
            "<DATE_TIME>",
            "Published:",
            "Published: é",
            "ISLAMABAD,",
            "ÉÉ, Nov 24 (",
            "A, B, C, D, E, F",
            "2026/11/",
            "+99:99",
            "24 Nov 2026 23:59:59 +9999",
            "1764000000123456",
            "\u{feff}",
            "\u{a0}\u{c2}",
            "p.m.",
            "Sept.",
            &long_digits,
            &long_text,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut inputs = Vec::new();
        for s in &seeds {
            // Every char-boundary cut, so scanners see inputs ending in the middle of every token.
            for (i, _) in s.char_indices().take(80) {
                inputs.push(s[..i].to_string());
                inputs.push(s[i..].to_string());
            }
            inputs.push(s.clone());
            inputs.push(format!("Published: {s}"));
            inputs.push(format!("LONDON, {s} (X) -"));
            inputs.push(format!("news/{s}/x.txt"));
        }
        for input in &inputs {
            if let Some(v) = parse_date(input) {
                let _ = (v.to_iso(), v.unix_seconds());
            }
            for hint in [None, Some(2026), Some(i32::MAX), Some(i32::MIN)] {
                if let Some((v, (s, e))) = date_from_header(input, hint) {
                    assert!(
                        input.get(s..e).is_some(),
                        "span on char boundaries for {input:?}"
                    );
                    let _ = (v.to_iso(), v.unix_seconds());
                }
            }
            let _ = date_from_path(input);
            let _ = (parse_bound(input, false), parse_bound(input, true));
        }
        let extreme = DateValue {
            date: NaiveDate::MAX,
            time: NaiveTime::from_hms_nano_opt(23, 59, 59, 1_999_999_999),
            offset: FixedOffset::west_opt(86_399),
        };
        let _ = (extreme.to_iso(), extreme.unix_seconds());
    }
}
