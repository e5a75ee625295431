//! Printed forms: one document model ([`Doc`]) that the web crate renders as printable HTML and
//! that [`pdf`] lays out as a PDF with embedded Liberation Serif (metric-compatible with Times
//! New Roman, the font of Decree 30/2020 documents; SIL Open Font License, `fonts/`).
//!
//! The layout is done here, line by line, into a [`layout::Layout`] (pages of positioned text,
//! rules and QR modules); golden tests read that layout, and the PDF only draws it.

pub mod layout;
mod metrics;
pub mod pdf;

use serde::Serialize;

/// Paper size, as each form prescribes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Paper {
    A4,
    /// A4 turned sideways, for registers with many columns.
    A4Landscape,
    A5,
}

impl Paper {
    /// Width and height in points (1/72 inch).
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.28, 841.89),
            Self::A4Landscape => (841.89, 595.28),
            Self::A5 => (419.53, 595.28),
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::A4Landscape => "A4 landscape",
            Self::A5 => "A5",
        }
    }
}

/// A run of text with its style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Self { text: text.into(), bold: false, italic: false }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Self { text: text.into(), bold: true, italic: false }
    }
    pub fn italic(text: impl Into<String>) -> Self {
        Self { text: text.into(), bold: false, italic: true }
    }
}

/// A table column: its heading and its share of the text width.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub title: String,
    pub share: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A paragraph of styled runs.
    Para(Vec<Span>),
    /// A small centred or plain note.
    Small(String),
    /// A list, one item per line, each marked with a dash.
    Bullets(Vec<String>),
    /// A bordered table with a bold heading row; a cell may hold several lines (`\n`).
    Table { columns: Vec<Column>, rows: Vec<Vec<String>> },
}

/// One signature column at the foot of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    /// Place and date line, in italics (`Ngày 27 tháng 11 năm 2026`).
    pub dated: Option<String>,
    /// Who signs, in capitals (`NGƯỜI TIẾP NHẬN HỒ SƠ`).
    pub role: String,
    /// `(Ký và ghi rõ họ tên)`.
    pub hint: String,
}

/// A printed form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    pub paper: Paper,
    /// The form's number in its set (`01` … `07`).
    pub number: String,
    /// The circular the form belongs to.
    pub set_label: String,
    /// The issuing body, top left (first line bold).
    pub issuer: Vec<String>,
    pub title: String,
    /// A line under the title (`Mã hồ sơ: …`), bold.
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
    pub signatures: Vec<Signature>,
    /// A QR code to this address and its caption, after the signatures.
    pub qr: Option<Qr>,
    /// Small print at the very end.
    pub footnote: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qr {
    pub url: String,
    pub caption: String,
}

/// The national motto block, top right of every form.
pub const NATION: [&str; 2] = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"];

impl Doc {
    /// `Mẫu số 01 — Thông tư 01/2018/TT-VPCP`.
    /// Empty for a document that is not a numbered form (a report).
    pub fn form_line(&self) -> String {
        if self.number.is_empty() {
            return String::new();
        }
        format!("Mẫu số {} — {}", self.number, self.set_label)
    }

    /// The QR code's dark modules, row by row (`true` = dark), with its width in modules.
    pub fn qr_modules(&self) -> Option<(usize, Vec<bool>)> {
        let qr = self.qr.as_ref()?;
        let code = qrcode::QrCode::with_error_correction_level(qr.url.as_bytes(), qrcode::EcLevel::M).ok()?;
        let width = code.width();
        Some((width, code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect()))
    }
}
