//! Dates a text mentions: article body in, each date with its span and ISO value out.
//! Absolute dates ("24 November 2026", "Nov. 24, 2026", "2026-11-24") stand alone; partial and
//! relative ones ("on 24 November", "last Tuesday", "yesterday") need the publication date to
//! anchor them and are left out without it — a date is never invented.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::DateMention;
use super::text::{Token, tokens};

const MONTHS: &[(&str, u32)] = &[
    ("January", 1),
    ("February", 2),
    ("March", 3),
    ("April", 4),
    ("May", 5),
    ("June", 6),
    ("July", 7),
    ("August", 8),
    ("September", 9),
    ("October", 10),
    ("November", 11),
    ("December", 12),
    ("Jan", 1),
    ("Feb", 2),
    ("Mar", 3),
    ("Apr", 4),
    ("Jun", 6),
    ("Jul", 7),
    ("Aug", 8),
    ("Sep", 9),
    ("Sept", 9),
    ("Oct", 10),
    ("Nov", 11),
    ("Dec", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("Monday", Weekday::Mon),
    ("Tuesday", Weekday::Tue),
    ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu),
    ("Friday", Weekday::Fri),
    ("Saturday", Weekday::Sat),
    ("Sunday", Weekday::Sun),
];

fn month(t: &Token) -> Option<u32> {
    // Most tokens are lowercase words: one byte decides.
    if !t
        .text
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_uppercase)
    {
        return None;
    }
    let w = t.text.trim_end_matches('.');
    MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n)
}

/// A day of the month: "24", "24th", "3rd".
fn day(t: &Token) -> Option<u32> {
    if !t.text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = t.text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &t.text[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(t: &Token) -> Option<i32> {
    (t.text.len() == 4)
        .then(|| t.text.parse().ok())
        .flatten()
        .filter(|y| (1800..=2200).contains(y))
}

/// Only spaces, commas or a dot between two tokens.
fn close(text: &str, a: &Token, b: &Token) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 3 && gap.chars().all(|c| matches!(c, ' ' | ',' | '.'))
}

/// The most recent `wd` strictly before `anchor` ("on Tuesday" in a report is the past one;
/// the same weekday as the report is the report's own day).
fn weekday_before(anchor: NaiveDate, wd: Weekday, same_day_ok: bool) -> NaiveDate {
    let back = (7 + anchor.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    let back = if back == 0 && !same_day_ok { 7 } else { back };
    anchor
        .checked_sub_days(Days::new(u64::from(back)))
        .unwrap_or(anchor)
}

/// Every date `body` mentions, in order. `published` anchors partial and relative dates.
pub fn find(body: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
    let toks = tokens(body);
    let mut out = Vec::new();
    let mut push = |s: usize, e: usize, d: NaiveDate| {
        out.push(DateMention {
            text: body[s..e].to_string(),
            value: d.format("%Y-%m-%d").to_string(),
            span: [s, e],
        });
    };
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let next = |k: usize| toks.get(i + k).filter(|n| close(body, &toks[i + k - 1], n));
        // "24 November [2026]" or "November 24[, 2026]".
        let day_month = match (day(t), month(t), next(1)) {
            (Some(d), _, Some(n)) => month(n).map(|m| (d, m)),
            (_, Some(m), Some(n)) => day(n).map(|d| (d, m)),
            _ => None,
        };
        if let Some((d, m)) = day_month {
            let y = next(2).and_then(year);
            let last = if y.is_some() { i + 2 } else { i + 1 };
            if let Some(date) = y
                .or(published.map(|p| p.year()))
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            {
                push(t.start, toks[last].end, date);
            }
            i = last + 1;
            continue;
        }
        // 2026-11-24
        if t.text.len() == 10
            && let Ok(date) = NaiveDate::parse_from_str(t.text, "%Y-%m-%d")
        {
            push(t.start, t.end, date);
            i += 1;
            continue;
        }
        if let Some(p) = published {
            match t.text {
                "yesterday" | "Yesterday" => push(t.start, t.end, p.pred_opt().unwrap_or(p)),
                "today" | "Today" => push(t.start, t.end, p),
                "tomorrow" | "Tomorrow" => push(t.start, t.end, p.succ_opt().unwrap_or(p)),
                w => {
                    if let Some(&(_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == w) {
                        // Lowercased only here: once per token, it was an allocation per word.
                        let prev = i.checked_sub(1).map(|k| toks[k].text.to_ascii_lowercase());
                        match prev.as_deref() {
                            Some("last") => {
                                let s = toks[i - 1].start;
                                push(s, t.end, weekday_before(p, wd, false));
                            }
                            Some("next") => {
                                let s = toks[i - 1].start;
                                let ahead = weekday_before(p, wd, false)
                                    .checked_add_days(Days::new(7))
                                    .unwrap_or(p);
                                push(s, t.end, ahead);
                            }
                            Some("on") => push(t.start, t.end, weekday_before(p, wd, true)),
                            _ => {}
                        }
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_partial_and_relative_dates() {
        // Tuesday 24 November 2026.
        let published = NaiveDate::from_ymd_opt(2026, 11, 24);
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "Talks on 24 November 2026 failed.",
                &[("24 November 2026", "2026-11-24")],
            ),
            (
                "Talks on Nov. 3, 2025 failed.",
                &[("Nov. 3, 2025", "2025-11-03")],
            ),
            ("It was signed on 3 March.", &[("3 March", "2026-03-03")]),
            ("He spoke on Monday.", &[("Monday", "2026-11-23")]),
            ("He spoke on Tuesday.", &[("Tuesday", "2026-11-24")]),
            (
                "It happened last Tuesday.",
                &[("last Tuesday", "2026-11-17")],
            ),
            (
                "Talks resume next Friday.",
                &[("next Friday", "2026-11-27")],
            ),
            (
                "The vote was yesterday, 2025-01-05 in fact.",
                &[("yesterday", "2026-11-23"), ("2025-01-05", "2025-01-05")],
            ),
            ("May said March was hard.", &[]),
            ("Prices rose 24 percent in 31 days.", &[]),
            ("On 31 February nothing happened.", &[]),
        ];
        for (body, want) in cases {
            let got: Vec<(String, String)> = find(body, published)
                .into_iter()
                .map(|m| {
                    assert_eq!(&body[m.span[0]..m.span[1]], m.text);
                    (m.text, m.value)
                })
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{body}");
        }
    }

    #[test]
    fn no_anchor_no_partial_date() {
        let got = find("Signed on 3 March and on Monday; also 4 May 2024.", None);
        let values: Vec<&str> = got.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(values, ["2024-05-04"]);
    }
}
