#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The PDF of a form: every line inside the margins, long tables continue on a new page with
//! their heading, and — with poppler's `pdftotext` and zbar's `zbarimg` (installed by `.ci/run`;
//! `MOTCUA_REQUIRE_PDF_TOOLS=1` makes their absence an error) — the text read back from the PDF
//! is the Vietnamese text laid out, and the QR code decodes to its address.

use std::process::Command;

use motcua_print::layout::layout;
use motcua_print::{Block, Column, Doc, Paper, Qr, Signature, Span};

fn sample(paper: Paper, rows: usize) -> Doc {
    Doc {
        paper,
        number: "01".into(),
        set_label: "Thông tư 01/2018/TT-VPCP".into(),
        issuer: vec![
            "Trung tâm Phục vụ hành chính công tỉnh Hải Dương".into(),
            "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into(),
        ],
        title: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".into(),
        subtitle: Some("Mã hồ sơ: H24.02-261127-0007".into()),
        blocks: vec![
            Block::Para(vec![Span::plain("Đã tiếp nhận hồ sơ của: "), Span::bold("Nguyễn Thị Thu Hường")]),
            Block::Table {
                columns: vec![
                    Column { title: "TT".into(), share: 1.0 },
                    Column { title: "Tên giấy tờ".into(), share: 8.0 },
                    Column { title: "Số lượng".into(), share: 2.0 },
                ],
                rows: (1..=rows)
                    .map(|i| {
                        vec![i.to_string(), format!("Tờ khai đề nghị cấp phiếu lý lịch tư pháp số {i}"), "01".into()]
                    })
                    .collect(),
            },
            Block::Bullets(vec!["Bản sao giấy khai sinh có chứng thực".into()]),
        ],
        signatures: vec![
            Signature {
                dated: None, role: "NGƯỜI NỘP HỒ SƠ".into(), hint: "(Ký và ghi rõ họ tên)".into()
            },
            Signature {
                dated: None, role: "NGƯỜI TIẾP NHẬN HỒ SƠ".into(), hint: "(Ký và ghi rõ họ tên)".into()
            },
        ],
        qr: Some(Qr {
            url: "https://dichvucong.example.vn/tra-cuu?ma=H24.02-261127-0007".into(),
            caption: "Quét mã để tra cứu tình trạng hồ sơ".into(),
        }),
        footnote: Some("Ghi chú: lập thành 02 liên.".into()),
    }
}

#[test]
fn everything_is_inside_the_margins_on_both_papers() {
    for paper in [Paper::A4, Paper::A5] {
        let l = layout(&sample(paper, 5));
        assert!(l.overflows().is_empty(), "{paper:?}: {:#?}", l.overflows());
        let lines = &l.lines()[0];
        // Issuer (left) and motto (right) share their first baseline.
        assert!(lines[0].starts_with("TRUNG TÂM PHỤC VỤ"), "{lines:#?}");
        assert!(lines[0].ends_with("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{lines:#?}");
        assert!(lines[1].ends_with("Độc lập - Tự do - Hạnh phúc"), "{lines:#?}");
        assert!(lines.iter().any(|l| l == "Mẫu số 01 — Thông tư 01/2018/TT-VPCP"), "{lines:#?}");
    }
}

#[test]
fn a_long_table_continues_on_the_next_page_with_its_heading() {
    let l = layout(&sample(Paper::A5, 40));
    assert!(l.pages.len() >= 2, "{} pages", l.pages.len());
    assert!(l.overflows().is_empty(), "{:#?}", l.overflows());
    let second = &l.lines()[1];
    assert_eq!(second[0], "TT Tên giấy tờ Số lượng", "{second:#?}");
    let all: Vec<String> = l.lines().concat();
    for i in 1..=40 {
        let wanted = format!("Tờ khai đề nghị cấp phiếu lý lịch tư pháp số {i}");
        assert!(all.iter().any(|line| line.contains(&wanted)), "row {i} missing");
    }
}

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found && std::env::var_os("MOTCUA_REQUIRE_PDF_TOOLS").is_some() {
        panic!("{name} is required (MOTCUA_REQUIRE_PDF_TOOLS is set)");
    }
    found
}

#[test]
fn the_pdf_gives_back_its_text_and_its_qr_code() {
    let doc = sample(Paper::A5, 3);
    let pdf = motcua_print::pdf::render(&doc, "Mẫu 01").unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf, motcua_print::pdf::render(&doc, "Mẫu 01").unwrap(), "rendering is deterministic");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if tool("pdftotext") {
        let out = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for wanted in [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Mã hồ sơ: H24.02-261127-0007",
            "Nguyễn Thị Thu Hường",
            "Độc lập - Tự do - Hạnh phúc",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
        ] {
            assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
        }
    }
    if tool("pdftoppm") && tool("zbarimg") {
        let png = dir.path().join("page");
        let st =
            Command::new("pdftoppm").args(["-r", "200", "-png", "-singlefile"]).arg(&path).arg(&png).status().unwrap();
        assert!(st.success());
        let out = Command::new("zbarimg").args(["--raw", "-q"]).arg(png.with_extension("png")).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), doc.qr.as_ref().unwrap().url);
    }
}
