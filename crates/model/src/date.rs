//! Partial dates (`2021`, `2021-05`, `2021-05-28`) and the written forms that
//! name them in prose (`May 2021`, `November 25, 2020`, `25 November 2020`).

use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// How much of a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap {
                29
            } else {
                28
            }
        }
    }
}

impl PartialDate {
    /// A date known to the year. Years 1000–2999 are accepted.
    pub fn year(year: u16) -> Option<Self> {
        (1000..3000).contains(&year).then_some(PartialDate {
            year,
            month: None,
            day: None,
        })
    }

    /// A date known to the month.
    pub fn month(year: u16, month: u8) -> Option<Self> {
        let mut d = Self::year(year)?;
        (1..=12).contains(&month).then(|| {
            d.month = Some(month);
            d
        })
    }

    /// A date known to the day; `None` when the day does not exist.
    pub fn day(year: u16, month: u8, day: u8) -> Option<Self> {
        let mut d = Self::month(year, month)?;
        (day >= 1 && day <= days_in_month(year, month)).then(|| {
            d.day = Some(day);
            d
        })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn year_value(&self) -> u16 {
        self.year
    }

    /// Parses a written form that is the whole of `text`: ISO (`2021-05-28`,
    /// `2021-05`, `2021`) or prose (`May 2021`, `November 25, 2020`,
    /// `25 November 2020`, `Nov. 25th, 2020`).
    pub fn parse_written(text: &str) -> Option<Self> {
        let text = text.trim();
        let found = find_dates(text);
        match found.as_slice() {
            [one] if one.start == 0 && one.end == text.len() => Some(one.date),
            _ => None,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = ModelError;

    /// Parses the ISO form only: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, ModelError> {
        let bad = || ModelError::InvalidDate(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u16, ModelError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let date = match parts.as_slice() {
            [y] => PartialDate::year(num(y, 4)?),
            [y, m] => PartialDate::month(num(y, 4)?, num(m, 2)? as u8),
            [y, m, d] => PartialDate::day(num(y, 4)?, num(m, 2)? as u8, num(d, 2)? as u8),
            _ => None,
        };
        date.ok_or_else(bad)
    }
}

/// A date found in prose: what it is and where (byte offsets into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMatch {
    pub date: PartialDate,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Number,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: TokKind,
    text: &'a str,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let kind = if c.is_alphabetic() {
            TokKind::Word
        } else if c.is_ascii_digit() {
            TokKind::Number
        } else if c.is_whitespace() {
            continue;
        } else {
            TokKind::Other
        };
        let mut end = start + c.len_utf8();
        if kind != TokKind::Other {
            while let Some(&(i, n)) = iter.peek() {
                let same = match kind {
                    TokKind::Word => n.is_alphabetic(),
                    _ => n.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
        }
        out.push(Tok {
            kind,
            text: &text[start..end],
            start,
            end,
        });
    }
    out
}

/// The month a word names, full or abbreviated (`May`, `Sept`, `Nov`).
pub fn month_number(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_lowercase();
    if let Some(i) = MONTHS.iter().position(|m| *m == w) {
        return Some(i as u8 + 1);
    }
    if w == "sept" {
        return Some(9);
    }
    if w.len() == 3 && w != "may" {
        return MONTHS
            .iter()
            .position(|m| m.starts_with(&w))
            .map(|i| i as u8 + 1);
    }
    None
}

fn as_year(t: &Tok<'_>) -> Option<u16> {
    if t.kind == TokKind::Number && t.text.len() == 4 {
        let y: u16 = t.text.parse().ok()?;
        (1800..=2099).contains(&y).then_some(y)
    } else {
        None
    }
}

fn as_day(t: &Tok<'_>) -> Option<u8> {
    if t.kind == TokKind::Number && t.text.len() <= 2 {
        t.text.parse().ok().filter(|d| (1..=31).contains(d))
    } else {
        None
    }
}

fn is_ordinal_suffix(t: Option<&Tok<'_>>) -> bool {
    matches!(
        t.map(|t| t.text.to_lowercase()).as_deref(),
        Some("st" | "nd" | "rd" | "th")
    )
}

/// Every date written in `text`, in order, without overlaps. Recognized:
/// `November 25, 2020`, `Nov. 25th 2020`, `25 November 2020`, `the 25th of
/// November, 2020`, `May 2021`, `May, 2021`, `2015 March`, ISO `2020-11-25` and
/// `2020-11`, and bare years 1800–2099 that are not part of a larger number.
pub fn find_dates(text: &str) -> Vec<DateMatch> {
    let toks = tokenize(text);
    let mut out = Vec::new();
    let mut i = 0;
    let tok = |k: usize| toks.get(k);
    let is = |k: usize, s: &str| toks.get(k).is_some_and(|t| t.text == s);
    // A number glued to another number by ',' or '.' (300,000 or 1.2019), or
    // to a currency sign, is an amount, not a year.
    let glued = |a: usize, b: usize| toks[a].end == toks[b].start;
    let is_sep = |k: usize| matches!(toks[k].text, "," | ".");
    let part_of_number = |k: usize| {
        let before = k >= 2
            && glued(k - 1, k)
            && is_sep(k - 1)
            && glued(k - 2, k - 1)
            && toks[k - 2].kind == TokKind::Number;
        let after = k + 2 < toks.len()
            && glued(k, k + 1)
            && is_sep(k + 1)
            && glued(k + 1, k + 2)
            && toks[k + 2].kind == TokKind::Number;
        let currency =
            k >= 1 && glued(k - 1, k) && matches!(toks[k - 1].text, "$" | "€" | "£" | "₪");
        before || after || currency
    };
    while i < toks.len() {
        let t = toks[i];
        // ISO: 2020-11-25 or 2020-11
        if let Some(y) = as_year(&t) {
            if is(i + 1, "-")
                && tok(i + 2).is_some_and(|m| m.kind == TokKind::Number && m.text.len() == 2)
                && toks[i + 1].start == t.end
            {
                let m: u8 = toks[i + 2].text.parse().unwrap_or(0);
                if is(i + 3, "-")
                    && tok(i + 4).is_some_and(|d| d.kind == TokKind::Number && d.text.len() == 2)
                {
                    let d: u8 = toks[i + 4].text.parse().unwrap_or(0);
                    if let Some(date) = PartialDate::day(y, m, d) {
                        out.push(DateMatch {
                            date,
                            start: t.start,
                            end: toks[i + 4].end,
                        });
                        i += 5;
                        continue;
                    }
                }
                if let Some(date) = PartialDate::month(y, m) {
                    out.push(DateMatch {
                        date,
                        start: t.start,
                        end: toks[i + 2].end,
                    });
                    i += 3;
                    continue;
                }
            }
            if part_of_number(i) {
                i += 1;
                continue;
            }
            // 2015 March
            if let Some(m) = tok(i + 1)
                .filter(|n| n.kind == TokKind::Word)
                .and_then(|n| month_number(n.text))
            {
                if toks[i + 1].text.len() > 3 {
                    if let Some(date) = PartialDate::month(y, m) {
                        out.push(DateMatch {
                            date,
                            start: t.start,
                            end: toks[i + 1].end,
                        });
                        i += 2;
                        continue;
                    }
                }
            }
            if let Some(date) = PartialDate::year(y) {
                out.push(DateMatch {
                    date,
                    start: t.start,
                    end: t.end,
                });
            }
            i += 1;
            continue;
        }
        // Month [.] Day[th] [,] Year  |  Month [,] Year
        if t.kind == TokKind::Word {
            if let Some(m) = month_number(t.text) {
                let mut k = i + 1;
                if t.text.len() == 3 || t.text.eq_ignore_ascii_case("sept") {
                    if is(k, ".") {
                        k += 1;
                    }
                } else if !t.text.chars().next().is_some_and(char::is_uppercase) {
                    // "may" in lower case is a verb, not a month.
                    i += 1;
                    continue;
                }
                if let Some(d) = tok(k).and_then(as_day) {
                    let mut j = k + 1;
                    if is_ordinal_suffix(tok(j)) && toks[j].start == toks[k].end {
                        j += 1;
                    }
                    if is(j, ",") {
                        j += 1;
                    }
                    if let Some(y) = tok(j).and_then(as_year) {
                        if let Some(date) = PartialDate::day(y, m, d) {
                            out.push(DateMatch {
                                date,
                                start: t.start,
                                end: toks[j].end,
                            });
                            i = j + 1;
                            continue;
                        }
                    }
                }
                let mut j = k;
                if is(j, ",") {
                    j += 1;
                }
                if let Some(y) = tok(j).and_then(as_year) {
                    if !part_of_number(j) {
                        if let Some(date) = PartialDate::month(y, m) {
                            out.push(DateMatch {
                                date,
                                start: t.start,
                                end: toks[j].end,
                            });
                            i = j + 1;
                            continue;
                        }
                    }
                }
            }
        }
        // [the] Day[th] [of] Month [,] Year
        if let Some(d) = as_day(&t) {
            let mut j = i + 1;
            if is_ordinal_suffix(tok(j)) && toks[j].start == t.end {
                j += 1;
            }
            if tok(j).is_some_and(|w| w.text.eq_ignore_ascii_case("of")) {
                j += 1;
            }
            if let Some(m) = tok(j)
                .filter(|w| w.kind == TokKind::Word)
                .and_then(|w| month_number(w.text))
            {
                let mut k = j + 1;
                if is(k, ".") {
                    k += 1;
                }
                if is(k, ",") {
                    k += 1;
                }
                if let Some(y) = tok(k).and_then(as_year) {
                    if let Some(date) = PartialDate::day(y, m, d) {
                        out.push(DateMatch {
                            date,
                            start: t.start,
                            end: toks[k].end,
                        });
                        i = k + 1;
                        continue;
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

    fn dates(s: &str) -> Vec<String> {
        find_dates(s).iter().map(|d| d.date.to_string()).collect()
    }

    #[test]
    fn written_forms() {
        assert_eq!(dates("In May 2021, in the context"), ["2021-05"]);
        assert_eq!(
            dates("In a November 25, 2020 Facebook post"),
            ["2020-11-25"]
        );
        assert_eq!(dates("On May 28, 2020, it published"), ["2020-05-28"]);
        assert_eq!(dates("In an October 2, 2018 article"), ["2018-10-02"]);
        assert_eq!(dates("In April 2018, one of"), ["2018-04"]);
        assert_eq!(dates("during the 2014 Gaza conflict"), ["2014"]);
        assert_eq!(
            dates("on 25 November 2020 and the 3rd of March, 2019"),
            ["2020-11-25", "2019-03-03"]
        );
        assert_eq!(dates("Nov. 25th, 2020"), ["2020-11-25"]);
        assert_eq!(
            dates("filed 2020-11-25 and 2021-02"),
            ["2020-11-25", "2021-02"]
        );
        assert_eq!(dates("in the 2015 March elections"), ["2015-03"]);
    }

    #[test]
    fn numbers_that_are_not_years() {
        assert!(dates("the 300,000 Palestinians and 2,000 more").is_empty());
        assert!(
            dates("it may 2021 be").len() == 1,
            "lower-case may is not a month"
        );
        assert!(dates("$2000 and 1.2019").is_empty());
        assert!(dates("February 30, 2020").iter().all(|d| d != "2020-02-30"));
    }

    #[test]
    fn iso_round_trip() {
        for s in ["2021", "2021-05", "2021-05-28", "2020-02-29"] {
            assert_eq!(s.parse::<PartialDate>().unwrap().to_string(), s);
        }
        for s in [
            "21",
            "2021-13",
            "2021-02-30",
            "2021-5",
            "x",
            "",
            "2019-02-29",
        ] {
            assert!(s.parse::<PartialDate>().is_err(), "{s}");
        }
    }

    #[test]
    fn parse_written_needs_whole_text() {
        assert_eq!(
            PartialDate::parse_written("April 2018")
                .unwrap()
                .to_string(),
            "2018-04"
        );
        assert_eq!(
            PartialDate::parse_written(" 2014 ").unwrap().to_string(),
            "2014"
        );
        assert!(PartialDate::parse_written("April 2018 and 2019").is_none());
    }

    proptest::proptest! {
        #[test]
        fn find_dates_never_panics(s in "\\PC*") {
            for m in find_dates(&s) {
                assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end));
            }
        }
    }
}
