//! The plan's tables for a spreadsheet: one table, written as CSV (UTF-8 with BOM, `;`
//! separated, as Excel opens it in Vietnam) or as an Excel workbook (.xlsx, numbers as numbers,
//! text as text: a procedure code like `1.001193` stays a code).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use rust_xlsxwriter::{Format, Workbook};

/// One cell.
pub(crate) enum Cell {
    Text(String),
    /// A number shown with this many decimals.
    Number(f64, u8),
    Empty,
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// A number of VND (no decimals), or nothing.
    pub(crate) fn vnd(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Number(v.round(), 0))
    }

    /// A percentage with two decimals, or nothing.
    pub(crate) fn pct(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Number(v, 2))
    }
}

/// A table with its headings.
pub(crate) struct Table {
    /// The sheet's name (at most 31 characters) and the file's name without extension.
    pub sheet: &'static str,
    pub file_stem: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// How a table is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sheet {
    Csv,
    Xlsx,
}

impl Table {
    /// CSV for Excel: `;`-separated (Vietnamese Excel reads `,` as the decimal mark), UTF-8 with
    /// a BOM, text quoted and never read as a formula.
    pub(crate) fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(&self.headers.iter().map(|h| quoted(h)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => quoted(s),
                    Cell::Number(v, d) => format!("{v:.prec$}", prec = usize::from(*d)),
                    Cell::Empty => String::new(),
                })
                .collect();
            out.push_str(&cells.join(";"));
            out.push_str("\r\n");
        }
        out
    }

    pub(crate) fn xlsx(&self) -> Result<Vec<u8>, AppError> {
        let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name(self.sheet).map_err(fail)?;
        let bold = Format::new().set_bold().set_text_wrap();
        let formats = [Format::new().set_num_format("#,##0"), Format::new().set_num_format("#,##0.00")];
        for (c, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()).map_err(fail)?,
                    Cell::Number(v, d) => ws
                        .write_number_with_format(r, c, *v, &formats[usize::from(*d > 0)])
                        .map(|_| ())
                        .map_err(fail)?,
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(fail)?;
        ws.set_autofit_max_width(420).autofit();
        book.save_to_buffer().map_err(fail)
    }

    /// The table as a download.
    pub(crate) fn response(&self, as_: Sheet) -> Result<Response, AppError> {
        let (body, ext, ctype) = match as_ {
            Sheet::Csv => (self.csv().into_bytes(), "csv", "text/csv; charset=utf-8"),
            Sheet::Xlsx => (self.xlsx()?, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        };
        let disposition = format!("attachment; filename=\"{}.{ext}\"", self.file_stem);
        Ok(([(header::CONTENT_TYPE, ctype.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
            .into_response())
    }
}

/// A text cell: quoted, and defused when a spreadsheet would read it as a formula (a leading
/// `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front, OWASP's advice): plan
/// reports and names are typed by people, and an officer opens the export in Excel.
fn quoted(s: &str) -> String {
    let defused = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "Chi phí",
            file_stem: "chi-phi".into(),
            headers: vec!["Mã", "Tên", "Chi phí"],
            rows: vec![
                vec![Cell::text("1.001193"), Cell::text("Đăng ký \"khai sinh\""), Cell::vnd(Some(3_200_000.4))],
                vec![Cell::Empty, Cell::text("Tổng"), Cell::pct(Some(31.666))],
            ],
        }
    }

    #[test]
    fn csv_quotes_text_and_keeps_numbers_plain() {
        assert_eq!(
            table().csv(),
            "\u{feff}\"Mã\";\"Tên\";\"Chi phí\"\r\n\"1.001193\";\"Đăng ký \"\"khai sinh\"\"\";3200000\r\n;\"Tổng\";31.67\r\n"
        );
    }

    #[test]
    fn csv_never_writes_a_formula() {
        for (text, want) in [
            ("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""),
            ("+84912", "\"'+84912\""),
            ("-1+1", "\"'-1+1\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\t=1", "\"'\t=1\""),
            ("Sở Tư pháp", "\"Sở Tư pháp\""),
        ] {
            assert_eq!(quoted(text), want);
        }
    }

    #[test]
    fn xlsx_is_a_workbook() {
        let bytes = table().xlsx().unwrap_or_default();
        assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
    }
}
