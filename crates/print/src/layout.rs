//! Line-by-line layout of a [`Doc`] onto pages: text broken to the column widths with the
//! fonts' real advances, tables with borders that repeat their heading on a new page, the
//! signature columns and the QR code.

use serde::Serialize;

use crate::metrics::{Face, width};
use crate::{Block, Doc, NATION, Paper, Span};

/// One thing drawn on a page; coordinates in points from the top-left corner, `y` of text is
/// its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        text: String,
    },
    /// A thin line.
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    /// A filled square (a QR module).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub paper: Paper,
    pub margin: f32,
    pub pages: Vec<Vec<Item>>,
}

impl Layout {
    /// The text of each page as lines: runs on the same baseline joined in reading order.
    /// This is what golden tests compare, and what `pdftotext -layout` should give back.
    pub fn lines(&self) -> Vec<Vec<String>> {
        self.pages
            .iter()
            .map(|items| {
                let mut runs: Vec<(f32, f32, &str)> = items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { x, y, text, .. } => Some((*y, *x, text.as_str())),
                        _ => None,
                    })
                    .collect();
                runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                let mut out: Vec<(f32, String)> = Vec::new();
                for (y, _, t) in runs {
                    match out.last_mut() {
                        Some((ly, line)) if (*ly - y).abs() < 0.5 => {
                            line.push(' ');
                            line.push_str(t);
                        }
                        _ => out.push((y, t.to_owned())),
                    }
                }
                out.into_iter().map(|(_, l)| l).collect()
            })
            .collect()
    }

    /// Every drawn item lies inside the page and its margins (text by its advance width).
    pub fn overflows(&self) -> Vec<String> {
        let (w, h) = self.paper.size_pt();
        let (lo_x, hi_x, lo_y, hi_y) =
            (self.margin - 0.5, w - self.margin + 0.5, self.margin - 0.5, h - self.margin + 0.5);
        let mut bad = Vec::new();
        for (p, items) in self.pages.iter().enumerate() {
            for i in items {
                let (x1, y1, x2, y2) = match i {
                    Item::Text { x, y, size, face, text } => (*x, y - size, x + width(*face, *size, text), *y),
                    Item::Rule { x1, y1, x2, y2 } => (*x1, *y1, *x2, *y2),
                    Item::Fill { x, y, w, h } => (*x, *y, x + w, y + h),
                };
                if x1 < lo_x || x2 > hi_x || y1 < lo_y || y2 > hi_y {
                    bad.push(format!("page {}: {i:?}", p + 1));
                }
            }
        }
        bad
    }
}

/// Typographic settings of a paper size.
struct Style {
    margin: f32,
    body: f32,
    head: f32,
    title: f32,
    small: f32,
}

impl Style {
    fn of(paper: Paper) -> Self {
        match paper {
            Paper::A4 | Paper::A4Landscape => Self { margin: 42.0, body: 12.0, head: 11.5, title: 13.5, small: 9.5 },
            Paper::A5 => Self { margin: 32.0, body: 10.5, head: 9.5, title: 12.0, small: 8.5 },
        }
    }
}

const LEADING: f32 = 1.3;
const PAD: f32 = 3.0;

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
}

/// A word of a run, kept with its face.
type Word = (Face, String);
/// A broken line: its words.
type Line = Vec<Word>;

fn words(spans: &[Span]) -> Vec<Word> {
    spans
        .iter()
        .flat_map(|s| {
            let face = Face::of(s.bold, s.italic);
            s.text.split_whitespace().map(move |w| (face, w.to_owned()))
        })
        .collect()
}

fn line_width(line: &[Word], size: f32) -> f32 {
    let spaces: f32 = line.iter().skip(1).map(|(f, _)| width(*f, size, " ")).sum();
    line.iter().map(|(f, w)| width(*f, size, w)).sum::<f32>() + spaces
}

/// Break words into lines no wider than `max`; a word longer than a line is cut by letters.
fn wrap(words: Vec<Word>, size: f32, max: f32) -> Vec<Line> {
    let mut lines: Vec<Line> = vec![];
    let mut cur: Line = vec![];
    for (face, word) in words {
        let pieces = if width(face, size, &word) > max { cut(face, size, &word, max) } else { vec![word] };
        for p in pieces {
            cur.push((face, p));
            if cur.len() > 1 && line_width(&cur, size) > max {
                let last = cur.pop();
                lines.push(std::mem::take(&mut cur));
                cur.extend(last);
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Cut a word longer than a line: after its hyphens where possible (codes such as
/// `H24.02-261127-0001`), else between letters.
fn cut(face: Face, size: f32, word: &str, max: f32) -> Vec<String> {
    let mut pieces: Vec<String> = vec![];
    let mut cur = String::new();
    for seg in word.split_inclusive('-') {
        let joined = format!("{cur}{seg}");
        if width(face, size, &joined) <= max {
            cur = joined;
            continue;
        }
        if !cur.is_empty() {
            pieces.push(std::mem::take(&mut cur));
        }
        for c in seg.chars() {
            cur.push(c);
            if width(face, size, &cur) > max && cur.chars().count() > 1 {
                cur.pop();
                pieces.push(std::mem::take(&mut cur));
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    pieces
}

struct Builder {
    paper: Paper,
    st: Style,
    page_h: f32,
    /// Left edge and width of the text area.
    left: f32,
    text_w: f32,
    /// Top of the next line.
    y: f32,
    pages: Vec<Vec<Item>>,
}

impl Builder {
    fn new(paper: Paper) -> Self {
        let st = Style::of(paper);
        let (w, h) = paper.size_pt();
        Self { paper, page_h: h, left: st.margin, text_w: w - 2.0 * st.margin, y: st.margin, st, pages: vec![vec![]] }
    }

    fn bottom(&self) -> f32 {
        self.page_h - self.st.margin
    }

    fn new_page(&mut self) {
        self.pages.push(vec![]);
        self.y = self.st.margin;
    }

    /// Start a new page unless `height` still fits.
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.st.margin {
            self.new_page();
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.push(item);
        }
    }

    /// Draw one broken line with its top at `top`, inside `[x, x + w]`.
    fn draw_line(&mut self, line: &[Word], size: f32, x: f32, w: f32, top: f32, align: Align) {
        let lw = line_width(line, size);
        let mut cx = match align {
            Align::Left => x,
            Align::Center => x + ((w - lw) / 2.0).max(0.0),
        };
        let baseline = top + size;
        // Consecutive words of one face are drawn as one run.
        let mut run: Option<(Face, String, f32)> = None;
        for (face, word) in line {
            match &mut run {
                Some((f, text, _)) if f == face => {
                    text.push(' ');
                    text.push_str(word);
                }
                _ => {
                    if let Some((f, text, rx)) = run.take() {
                        cx = rx + width(f, size, &text) + width(f, size, " ");
                        self.push(Item::Text { x: rx, y: baseline, size, face: f, text });
                    }
                    run = Some((*face, word.clone(), cx));
                }
            }
        }
        if let Some((f, text, rx)) = run {
            self.push(Item::Text { x: rx, y: baseline, size, face: f, text });
        }
    }

    /// A wrapped paragraph across the text width, breaking pages between lines.
    fn para(&mut self, spans: &[Span], size: f32, align: Align, indent: f32) {
        let lh = size * LEADING;
        for line in wrap(words(spans), size, self.text_w - indent) {
            self.room(lh);
            let (x, w, y) = (self.left + indent, self.text_w - indent, self.y);
            self.draw_line(&line, size, x, w, y, align);
            self.y += lh;
        }
    }

    /// Lines centred in a column starting at `top`; returns the height used.
    fn column(&mut self, lines: &[Span], size: f32, x: f32, w: f32, top: f32) -> f32 {
        let lh = size * LEADING;
        let mut y = top;
        for span in lines {
            for line in wrap(words(std::slice::from_ref(span)), size, w) {
                self.draw_line(&line, size, x, w, y, Align::Center);
                y += lh;
            }
        }
        y - top
    }

    fn header(&mut self, doc: &Doc) {
        let size = self.st.head;
        let left_w = self.text_w * 0.42;
        let right_w = self.text_w - left_w;
        let issuer: Vec<Span> = doc
            .issuer
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { Span::bold(l.to_uppercase()) } else { Span::plain(l.as_str()) })
            .collect();
        let top = self.y;
        let (left, right_x) = (self.left, self.left + left_w);
        let hl = self.column(&issuer, size, left, left_w, top);
        let nation: Vec<Span> = NATION.iter().map(|l| Span::bold(*l)).collect();
        let hr = self.column(&nation, size, right_x, right_w, top);
        // The short rule under the motto.
        let motto_w = width(Face::Bold, size, NATION[1]);
        let ry = top + hr + 1.0;
        let rx = right_x + (right_w - motto_w) / 2.0;
        self.push(Item::Rule { x1: rx, y1: ry, x2: rx + motto_w, y2: ry });
        self.y = top + hl.max(hr) + size * 0.6;
    }

    fn table(&mut self, columns: &[crate::Column], rows: &[Vec<String>]) {
        let size = self.st.body - 1.0;
        let lh = size * LEADING;
        let total: f32 = columns.iter().map(|c| c.share).sum::<f32>().max(f32::EPSILON);
        let widths: Vec<f32> = columns.iter().map(|c| c.share / total * self.text_w).collect();
        let heading: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let cell_lines = |cells: &[String], face: Face| -> Vec<Vec<Line>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let text = cells.get(i).map(String::as_str).unwrap_or("");
                    text.split('\n')
                        .flat_map(|p| {
                            let l =
                                wrap(p.split_whitespace().map(|s| (face, s.to_owned())).collect(), size, w - 2.0 * PAD);
                            if l.is_empty() { vec![vec![]] } else { l }
                        })
                        .collect()
                })
                .collect()
        };
        let head_lines = cell_lines(&heading, Face::Bold);
        let draw_row = |b: &mut Builder, lines: &[Vec<Line>], align: Align, repeat: bool| {
            let height = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
            if b.y + height > b.bottom() {
                b.new_page();
                if repeat {
                    let hl = head_lines.clone();
                    draw_cells(b, &hl, &widths, size, lh, Align::Center);
                }
            }
            draw_cells(b, lines, &widths, size, lh, align);
        };
        draw_row(self, &head_lines, Align::Center, false);
        for row in rows {
            let lines = cell_lines(row, Face::Regular);
            draw_row(self, &lines, Align::Left, true);
        }
        self.y += size * 0.5;
    }

    fn signatures(&mut self, doc: &Doc) {
        if doc.signatures.is_empty() {
            return;
        }
        let size = self.st.body;
        let lh = size * LEADING;
        // Dated line, role, hint, and room for the signature itself.
        self.room(4.0 * lh + 48.0);
        let n = doc.signatures.len() as f32;
        let w = self.text_w / n;
        let top = self.y + size * 0.5;
        let mut used: f32 = 0.0;
        for (i, s) in doc.signatures.iter().enumerate() {
            let mut lines = vec![];
            if let Some(d) = &s.dated {
                lines.push(Span::italic(d.as_str()));
            }
            lines.push(Span::bold(s.role.as_str()));
            lines.push(Span::italic(s.hint.as_str()));
            // A single signature sits in the right half, as on the printed forms.
            let (x, cw) = if doc.signatures.len() == 1 {
                (self.left + self.text_w / 2.0, self.text_w / 2.0)
            } else {
                (self.left + w * i as f32, w)
            };
            used = used.max(self.column(&lines, size, x, cw, top));
        }
        self.y = top + used + 48.0;
    }

    fn qr(&mut self, doc: &Doc) {
        let (Some(qr), Some((n, modules))) = (&doc.qr, doc.qr_modules()) else { return };
        let side = if self.paper == Paper::A5 { 60.0 } else { 72.0 };
        let m = side / n as f32;
        self.room(side + 4.0);
        let (x0, y0) = (self.left, self.y);
        for (i, dark) in modules.iter().enumerate() {
            if *dark {
                let (r, c) = (i / n, i % n);
                self.push(Item::Fill { x: x0 + c as f32 * m, y: y0 + r as f32 * m, w: m, h: m });
            }
        }
        let size = self.st.small;
        let lh = size * LEADING;
        let cap_x = x0 + side + 8.0;
        let cap_w = self.text_w - side - 8.0;
        let mut y = y0;
        for text in [qr.caption.as_str(), qr.url.as_str()] {
            for line in wrap(words(&[Span::plain(text)]), size, cap_w) {
                self.draw_line(&line, size, cap_x, cap_w, y, Align::Left);
                y += lh;
            }
        }
        self.y = y0 + side.max(y - y0) + 4.0;
    }
}

/// Draw one table row of wrapped cells at the current line and move below it.
fn draw_cells(b: &mut Builder, cells: &[Vec<Line>], widths: &[f32], size: f32, lh: f32, align: Align) {
    let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
    let top = b.y;
    let mut x = b.left;
    for (lines, w) in cells.iter().zip(widths) {
        for (k, line) in lines.iter().enumerate() {
            b.draw_line(line, size, x + PAD, w - 2.0 * PAD, top + PAD + k as f32 * lh, align);
        }
        b.push(Item::Rule { x1: x, y1: top, x2: x, y2: top + height });
        x += w;
    }
    let right = b.left + b.text_w;
    b.push(Item::Rule { x1: right, y1: top, x2: right, y2: top + height });
    b.push(Item::Rule { x1: b.left, y1: top, x2: right, y2: top });
    b.push(Item::Rule { x1: b.left, y1: top + height, x2: right, y2: top + height });
    b.y = top + height;
}

/// Lay a form out on its paper.
pub fn layout(doc: &Doc) -> Layout {
    let mut b = Builder::new(doc.paper);
    b.header(doc);
    let small = b.st.small;
    let form_line = doc.form_line();
    if !form_line.is_empty() {
        b.para(&[Span::italic(form_line)], small, Align::Center, 0.0);
        b.y += 4.0;
    }
    let title = b.st.title;
    b.para(&[Span::bold(doc.title.as_str())], title, Align::Center, 0.0);
    if let Some(s) = &doc.subtitle {
        let body = b.st.body;
        b.para(&[Span::bold(s.as_str())], body, Align::Center, 0.0);
    }
    b.y += 4.0;
    let body = b.st.body;
    for block in &doc.blocks {
        match block {
            Block::Para(spans) => b.para(spans, body, Align::Left, 0.0),
            Block::Small(text) => b.para(&[Span::plain(text.as_str())], small, Align::Left, 0.0),
            Block::Bullets(items) => {
                for i in items {
                    b.para(&[Span::plain(format!("– {i}"))], body, Align::Left, 12.0);
                }
            }
            Block::Table { columns, rows } => b.table(columns, rows),
        }
        b.y += 2.0;
    }
    b.signatures(doc);
    b.qr(doc);
    if let Some(f) = &doc.footnote {
        b.para(&[Span::italic(f.as_str())], small, Align::Left, 0.0);
    }
    Layout { paper: doc.paper, margin: b.st.margin, pages: b.pages }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_the_width_and_keeps_every_word() {
        let text = "Giấy đề nghị cấp phiếu lý lịch tư pháp theo mẫu quy định kèm bản chụp căn cước";
        let lines = wrap(words(&[Span::plain(text)]), 12.0, 120.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(line_width(l, 12.0) <= 120.0, "{l:?}");
        }
        let back: Vec<String> = lines.iter().flatten().map(|(_, w)| w.clone()).collect();
        assert_eq!(back.join(" "), text);
    }

    #[test]
    fn a_code_is_cut_after_its_hyphens() {
        let lines = wrap(vec![(Face::Regular, "H24.02-261127-0001".into())], 12.0, 60.0);
        let pieces: Vec<&str> = lines.iter().flatten().map(|(_, w)| w.as_str()).collect();
        assert_eq!(pieces, ["H24.02-", "261127-", "0001"]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let lines = wrap(vec![(Face::Regular, "H".repeat(80))], 12.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.iter().flatten().map(|(_, w)| w.len()).sum::<usize>(), 80);
    }
}
