//! Drawing a [`Layout`] into a PDF with krilla: the fonts are embedded as subsets with their
//! Unicode map, so copied or extracted text keeps its Vietnamese letters.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::Doc;
use crate::layout::{Item, Layout, layout};
use crate::metrics::Face;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("phông chữ nhúng không đọc được")]
    Font,
    #[error("kích thước trang không hợp lệ")]
    Page,
    #[error("không tạo được PDF: {0}")]
    Krilla(String),
}

fn font(face: Face) -> Result<Font, PdfError> {
    Font::new(face.bytes().into(), 0).ok_or(PdfError::Font)
}

/// Lay out and draw a form. The same document always gives the same bytes.
pub fn render(doc: &Doc, title: &str) -> Result<Vec<u8>, PdfError> {
    draw(&layout(doc), title)
}

pub fn draw(layout: &Layout, title: &str) -> Result<Vec<u8>, PdfError> {
    let fonts = [font(Face::Regular)?, font(Face::Bold)?, font(Face::Italic)?];
    let pick = |f: Face| match f {
        Face::Regular => fonts[0].clone(),
        Face::Bold => fonts[1].clone(),
        Face::Italic => fonts[2].clone(),
    };
    let (w, h) = layout.paper.size_pt();
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_owned()).language("vi".to_owned()).creator("motcua".into()));
    for items in &layout.pages {
        let mut page = document.start_page_with(PageSettings::from_wh(w, h).ok_or(PdfError::Page)?);
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Text { x, y, size, face, text } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        pick(*face),
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Item::Rule { x1, y1, x2, y2 } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { width: 0.6, ..Default::default() }));
                        surface.draw_path(&path);
                    }
                }
                Item::Fill { x, y, w, h } => {
                    let mut pb = PathBuilder::new();
                    if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(r);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError::Krilla(format!("{e:?}")))
}
