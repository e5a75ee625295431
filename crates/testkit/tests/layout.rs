//! The shape of the code (issue 13): no source file over 600 lines, no function over 120 (tests
//! included), and the web crate's API and pages do not import each other. Functions are measured
//! on rustfmt's layout: from the line of `fn` to the closing brace at the same indentation.

#![allow(clippy::unwrap_used)] // a failed expectation panics: that is how a test fails

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 120;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The name of the function a line opens (`pub(crate) async fn name(`), if it does.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in ["pub(crate) ", "pub(super) ", "pub ", "const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let name = rest.strip_prefix("fn ")?;
    let end = name.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&name[..end])
}

/// Functions longer than the limit in `text`: (name, first line, length in lines).
fn long_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        // The signature ends with `{` (a body) or `;` (a declaration, skipped).
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = if lines[open].trim_end().ends_with("{}") {
            open
        } else {
            (open + 1..lines.len()).find(|&j| lines[j] == format!("{indent}}}")).unwrap_or(lines.len() - 1)
        };
        let length = close - i + 1;
        if length > MAX_FN_LINES {
            found.push((name.to_owned(), i + 1, length));
        }
    }
    found
}

#[test]
fn no_file_over_600_lines_and_no_function_over_120() {
    let root = workspace();
    let mut over = Vec::new();
    for file in rust_files(&root.join("crates")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(&root).unwrap().display().to_string();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            over.push(format!("{shown}: {lines} lines (at most {MAX_FILE_LINES})"));
        }
        for (name, at, length) in long_functions(&text) {
            over.push(format!("{shown}:{at}: fn {name} is {length} lines (at most {MAX_FN_LINES})"));
        }
    }
    assert!(over.is_empty(), "split these into modules or steps:\n{}", over.join("\n"));
}

#[test]
fn the_measure_sees_a_long_function_and_skips_declarations() {
    let body = "    x();\n".repeat(MAX_FN_LINES);
    let text = format!(
        "trait T {{\n    fn declared(&self);\n}}\n\npub(crate) async fn long() {{\n{body}}}\n\nfn short() {{}}\n"
    );
    assert_eq!(long_functions(&text), vec![("long".to_owned(), 5, MAX_FN_LINES + 2)]);
}

#[test]
fn the_api_and_the_pages_do_not_import_each_other() {
    let web = workspace().join("crates/web/src");
    let mut crossing = Vec::new();
    for (dir, other) in [("api", "pages::"), ("pages", "api::")] {
        for file in rust_files(&web.join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains(other) {
                    crossing.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(crossing.is_empty(), "shared code goes to web/src/http:\n{}", crossing.join("\n"));
}
