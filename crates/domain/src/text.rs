//! Vietnamese text folding for search: `Đăng ký khai sinh` → `dang ky khai sinh`.
//!
//! Decompose (NFD), drop combining marks, map `đ`/`Đ` to `d` (NFD does not decompose them),
//! lower-case, and keep only letters and digits as words separated by single spaces. Both the
//! stored `search_text` and the user's query go through the same function, so the comparison in
//! the database is a plain substring test on both backends.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Fold Vietnamese text into lower-case ASCII-ish words separated by one space.
pub fn fold_vi(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() || c == '.' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    // A dot is kept only inside a token (procedure codes such as 1.001193); trailing dots of
    // sentences are dropped so that "thị trấn." and "thị trấn" fold the same.
    out.split(' ').map(|w| w.trim_matches('.')).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Characters that change how text is shown without being seen: bidirectional controls (which
/// can make `exe.pdf` read as `fdp.exe`), zero-width spaces and joiners, the BOM, soft hyphen.
fn is_invisible_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

/// A line of text typed by a person (a name, an address, a file name): control characters and
/// invisible formatting characters removed, runs of spaces made one, trimmed. `None` when nothing
/// visible is left.
pub fn clean_line(input: &str) -> Option<String> {
    let kept: String =
        input.chars().filter(|c| !is_invisible_control(*c)).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// [`clean_line`] of a required field of at most `max` characters.
pub fn required_line(input: &str, field: &str, max: usize, what: &str) -> Result<String, crate::FieldError> {
    optional_line(Some(input), field, max, what)?
        .ok_or_else(|| crate::FieldError::new("required", field, format!("Cần {what}")))
}

/// [`clean_line`] of an optional field of at most `max` characters.
pub fn optional_line(
    input: Option<&str>,
    field: &str,
    max: usize,
    what: &str,
) -> Result<Option<String>, crate::FieldError> {
    match input.and_then(clean_line) {
        Some(line) if line.chars().count() > max => {
            Err(crate::FieldError::new("too_long", field, format!("{what} dài quá {max} ký tự")))
        }
        other => Ok(other),
    }
}

/// `1.234.567` — an amount of money with thousands separated by dots, as Vietnamese documents
/// write it.
pub fn vnd(amount: u64) -> String {
    let s = amount.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percentage written the Vietnamese way, two decimals: `25,71 %` (decimal comma, a no-break
/// space before the sign).
pub fn percent_vi(v: f64) -> String {
    format!("{}\u{a0}%", decimal_vi(v))
}

/// A number with two decimals and a decimal comma: `44,10` (points of the index).
pub fn decimal_vi(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

/// A ratio (`0.2571`) as a percentage (`25,71 %`), or `—` when there is none (an empty base).
pub fn ratio_vi(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| percent_vi(r * 100.0))
}

/// The text without Vietnamese marks, case and punctuation kept: `Hẹn trả` → `Hen tra` (SMS
/// in the GSM-7 alphabet).
pub fn strip_marks(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// The distinct folded words of a text, in order of first appearance: what the catalog stores
/// to search in. Word order and repeats do not matter to "every query word occurs", and the
/// shorter text is scanned faster.
pub fn distinct_words(input: &str) -> String {
    let folded = fold_vi(input);
    let mut seen = std::collections::HashSet::new();
    folded.split(' ').filter(|w| seen.insert(*w)).collect::<Vec<_>>().join(" ")
}

/// The words of a query after folding (empty when the query has no letter or digit).
pub fn query_words(query: &str) -> Vec<String> {
    fold_vi(query).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Onsets after which a lone final `y` and `i` are one sound written two ways.
const I_Y_ONSETS: [&str; 25] = [
    "b", "c", "ch", "d", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t",
    "th", "tr", "v", "x",
];

/// One spelling of the variants people write for the same folded word, so that search finds
/// either: a syllable of a consonant onset and a lone `y` is written with `i` (`ky` = `ki`, `ly` =
/// `li`, `quy` = `qui`, `my` = `mi`: both spellings are in use, `đăng ký` / `đăng kí`); a word
/// starting `dd` (Telex typing of `đ` left unconverted) starts with `d`. Other words are kept:
/// `y` alone (`y tế`), `uy` (`thủy`, `tùy`) and `ay` (`tay`) are different sounds.
pub fn spelling_key(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| {
            let w = w.strip_prefix("dd").map_or_else(|| w.to_owned(), |rest| format!("d{rest}"));
            match w.strip_suffix('y') {
                Some(onset) if I_Y_ONSETS.contains(&onset) => format!("{onset}i"),
                _ => w,
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_keeping_case_and_punctuation() {
        assert_eq!(strip_marks("Hồ sơ: Được tiếp nhận. Hẹn trả 17:00"), "Ho so: Duoc tiep nhan. Hen tra 17:00");
        assert!(strip_marks("Đăng ký khai sinh ỨNG Ữ").is_ascii());
    }

    #[test]
    fn percentages_read_the_vietnamese_way() {
        assert_eq!(percent_vi(25.714), "25,71\u{a0}%");
        assert_eq!(percent_vi(100.0), "100,00\u{a0}%");
    }

    #[test]
    fn spelling_variants_search_alike() {
        assert_eq!(spelling_key(&fold_vi("Đăng ký kinh doanh")), spelling_key(&fold_vi("dang ki kinh doanh")));
        assert_eq!(spelling_key("quy dinh ly lich tu phap my thuat"), "qui dinh li lich tu phap mi thuat");
        assert_eq!(spelling_key("ddang ky"), "dang ki");
        // `y tế`, `thủy`, `tay`, `may` keep their spelling: different sounds.
        assert_eq!(spelling_key("y te thuy loi tay may"), "y te thuy loi tay may");
    }

    #[test]
    fn folds_diacritics_case_and_d() {
        assert_eq!(fold_vi("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold_vi("NGUYỄN Văn Đức"), "nguyen van duc");
        assert_eq!(fold_vi("Chứng thực bản sao từ bản chính"), "chung thuc ban sao tu ban chinh");
    }

    #[test]
    fn nfd_input_folds_like_nfc() {
        let nfd: String = "Hải Dương".nfd().collect();
        assert_eq!(fold_vi(&nfd), fold_vi("Hải Dương"));
        assert_eq!(fold_vi(&nfd), "hai duong");
    }

    #[test]
    fn punctuation_becomes_single_spaces_and_codes_survive() {
        assert_eq!(fold_vi("  Thủ tục: (1.001193)  — hộ tịch. "), "thu tuc 1.001193 ho tich");
        assert_eq!(query_words("  "), Vec::<String>::new());
        assert_eq!(query_words("dang  KY"), vec!["dang", "ky"]);
    }

    #[test]
    fn distinct_words_keep_first_order() {
        assert_eq!(distinct_words("Cấp bản sao, bản sao Giấy khai sinh"), "cap ban sao giay khai sinh");
    }

    #[test]
    fn like_wildcards_never_survive_folding() {
        assert_eq!(fold_vi("50%_off\\"), "50 off");
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_go_and_empty_names_are_refused() {
        assert_eq!(clean_line("  Nguyễn\u{200B}  Văn\tA \n").as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(clean_line("hoa-don\u{202E}fdp.exe").as_deref(), Some("hoa-donfdp.exe"));
        assert_eq!(clean_line("\u{200B}\u{200C}\u{2066} \u{FEFF}"), None);
        assert!(required_line("\u{200D}\u{200D}", "name", 200, "họ tên").is_err());
        let long = "Ă".repeat(201);
        assert_eq!(required_line(&long, "name", 200, "họ tên").map_err(|e| e.code), Err("too_long"));
        assert_eq!(required_line(&"Ă".repeat(200), "name", 200, "họ tên").map(|s| s.chars().count()), Ok(200));
        assert_eq!(optional_line(Some("  "), "address", 200, "địa chỉ"), Ok(None));
    }
}
