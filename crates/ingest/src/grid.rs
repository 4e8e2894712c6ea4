//! Tables on a page, in either form (HTML `<table>`, or rows of cells
//! apart by tabs as a browser copies them): a header row names the
//! columns, and each row becomes one entry in the words the section
//! readers know — `Donor: amount (years)` for funding, `Name, Role (since
//! date)` for people, `Column: value; …` for anything else.

/// The entry a table row reads as, given the header row if there is one.
pub fn row_text(header: Option<&[String]>, cells: &[String]) -> String {
    let lower: Option<Vec<String>> = header.map(|h| h.iter().map(|c| c.to_lowercase()).collect());
    let col = |names: &[&str]| -> Option<usize> {
        lower
            .as_ref()?
            .iter()
            .position(|h| names.iter().any(|n| h.contains(n)))
    };
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).filter(|t| !t.is_empty());
    let donor = col(&["donor", "funder", "source", "payer", "name", "organization"]);
    let amount = col(&["amount", "sum", "value", "grant"]);
    let years = col(&["year", "period", "date"]);
    let role = col(&["role", "position", "title"]);
    match (donor, amount, years, role) {
        (Some(d), a, y, None) if a.is_some() || y.is_some() => {
            let mut t = cell(Some(d)).cloned().unwrap_or_default();
            if let Some(a) = cell(a) {
                t.push_str(": ");
                t.push_str(a);
            }
            if let Some(y) = cell(y) {
                t.push_str(&format!(" ({y})"));
            }
            t
        }
        (Some(n), None, y, Some(r)) => {
            let mut t = format!(
                "{}, {}",
                cell(Some(n)).map_or("", String::as_str),
                cell(Some(r)).map_or("", String::as_str)
            );
            if let Some(y) = cell(y) {
                t.push_str(&format!(" (since {y})"));
            }
            t
        }
        // Other columns keep their names: `Year end: 31 March 2023; Total
        // income: £412,300`.
        _ => match header.filter(|h| h.len() == cells.len()) {
            Some(h) => h
                .iter()
                .zip(cells)
                .filter(|(_, t)| !t.is_empty())
                .map(|(h, t)| {
                    if h.is_empty() {
                        t.clone()
                    } else {
                        format!("{h}: {t}")
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            None => cells
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" \u{2013} "),
        },
    }
}

/// The cells of a line copied from a table: two or more, apart by tabs.
pub fn tab_cells(line: &str) -> Option<Vec<String>> {
    if !line.contains('\t') {
        return None;
    }
    let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
    (cells.iter().filter(|c| !c.is_empty()).count() >= 2).then_some(cells)
}

/// Whether a row reads as a header: every cell words, none a number.
pub fn is_header(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        !c.is_empty()
            && c.chars().count() <= 40
            && !c.chars().any(|ch| ch.is_ascii_digit())
            && c.chars().next().is_some_and(char::is_alphabetic)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn rows_read_by_their_columns() {
        let funders = v(&["Funder", "Year", "Amount"]);
        assert_eq!(
            row_text(Some(&funders), &v(&["Fen Fund", "2022", "£85,000"])),
            "Fen Fund: £85,000 (2022)"
        );
        let people = v(&["Name", "Role", "Date appointed"]);
        assert_eq!(
            row_text(
                Some(&people),
                &v(&["Owen Pryce", "Treasurer", "2 June 2018"])
            ),
            "Owen Pryce, Treasurer (since 2 June 2018)"
        );
        let money = v(&["Year end", "Income"]);
        assert_eq!(
            row_text(Some(&money), &v(&["31 March 2023", "£412,300"])),
            "Year end: 31 March 2023; Income: £412,300"
        );
        assert_eq!(row_text(None, &v(&["a", "", "b"])), "a \u{2013} b");
        assert!(is_header(&funders) && !is_header(&v(&["Fen Fund", "2022"])));
        assert_eq!(tab_cells("A\tB"), Some(v(&["A", "B"])));
        assert_eq!(tab_cells("A\t"), None);
    }
}
