//! Every SQL statement of the storage crate and every migration, checked against the rules of
//! docs/ARCHITECTURE.md, "Distributed-safe SQL" (issue 18, item 4; docs/SCALING.md): no
//! sequences, no LISTEN/NOTIFY, no advisory locks, no PG-only syntax in the statements both
//! backends share, no clock read by the database (`now` is passed in), UUID keys for `id`.

use std::path::{Path, PathBuf};

fn storage_sql() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../storage-sql")
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())).flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The string literals of a Rust source (plain and raw), comments and character literals aside,
/// with `\` line continuations joined as the compiler joins them.
fn string_literals(src: &str) -> Vec<String> {
    let b = src.as_bytes();
    let (mut i, mut out) = (0, Vec::new());
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#')) && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) => {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                let start = i + 2 + hashes;
                let close = format!("\"{}", "#".repeat(hashes));
                let end = src[start..].find(&close).map_or(b.len(), |e| start + e);
                out.push(src[start..end].to_owned());
                i = end + close.len();
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'')) => {
                i += if b[i + 1] == b'\\' { 4 } else { 3 };
            }
            b'"' => {
                let mut s = String::new();
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' && b.get(i + 1) == Some(&b'\n') {
                        i += 2;
                        while i < b.len() && b[i].is_ascii_whitespace() {
                            i += 1;
                        }
                        continue;
                    }
                    if b[i] == b'\\' {
                        s.push(b[i + 1] as char);
                        i += 2;
                        continue;
                    }
                    let c = src[i..].chars().next().unwrap_or(' ');
                    s.push(c);
                    i += c.len_utf8();
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether a literal is (a piece of) a statement.
fn is_sql(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE ", "ALTER TABLE", " WHERE ", "ON CONFLICT"]
        .iter()
        .any(|k| u.contains(k))
}

/// What a statement must not contain, with the rule it breaks. `shared`: the statement runs on
/// both backends (PG-only syntax refused).
fn breaks(statement: &str, shared: bool) -> Vec<&'static str> {
    let u = statement.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut rule = |bad: bool, why: &'static str| {
        if bad {
            out.push(why);
        }
    };
    rule(u.contains("CREATE SEQUENCE") || u.contains("NEXTVAL(") || u.contains("SERIAL"), "a sequence");
    rule(u.contains("AUTOINCREMENT") || u.contains("AS IDENTITY"), "a sequence (identity column)");
    rule(u.contains("LISTEN ") || u.contains("NOTIFY ") || u.contains("PG_NOTIFY"), "LISTEN/NOTIFY");
    rule(u.contains("PG_ADVISORY") || u.contains("PG_TRY_ADVISORY"), "an advisory lock");
    rule(
        u.contains("NOW()") || u.contains("CURRENT_TIMESTAMP") || u.contains("CURRENT_DATE") || u.contains("'NOW'"),
        "the database's clock (now is passed in)",
    );
    if shared {
        let pg_cast =
            ["::TEXT", "::UUID", "::INT", "::BIGINT", "::JSON", "::DATE", "::TIMESTAMP", "::NUMERIC", "::BOOL"];
        rule(pg_cast.iter().any(|c| u.contains(c)), "a PostgreSQL cast (use CAST)");
        rule(u.contains(" ILIKE "), "ILIKE");
        rule(u.contains("DISTINCT ON"), "DISTINCT ON");
        rule(u.contains("FOR UPDATE") || u.contains("FOR SHARE"), "row locks SQLite does not have");
        rule(u.contains("= ANY(") || u.contains("ARRAY["), "PostgreSQL arrays");
    }
    out
}

#[test]
fn every_statement_keeps_to_the_distributed_safe_subset() {
    let mut broken = Vec::new();
    let mut seen = 0;
    for f in files(&storage_sql().join("src"), "rs") {
        let src = std::fs::read_to_string(&f).unwrap_or_default();
        for lit in string_literals(&src).into_iter().filter(|l| is_sql(l)) {
            seen += 1;
            for why in breaks(&lit, true) {
                broken.push(format!("{}: {why}: {lit}", f.display()));
            }
        }
    }
    for backend in ["postgres", "sqlite"] {
        for f in files(&storage_sql().join("migrations").join(backend), "sql") {
            let src = std::fs::read_to_string(&f).unwrap_or_default();
            let body: String = src.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
            for statement in body.split(';').filter(|s| !s.trim().is_empty()) {
                seen += 1;
                for why in breaks(statement, false) {
                    broken.push(format!("{}: {why}: {}", f.display(), statement.trim()));
                }
                // Keys are UUIDs: a column named `id` is a UUID (a BLOB on SQLite).
                for line in statement.lines().map(str::trim).filter(|l| l.starts_with("id ")) {
                    let u = line.to_ascii_uppercase();
                    if !(u.contains(" UUID") || u.contains(" BLOB")) {
                        broken.push(format!("{}: an id that is not a UUID: {line}", f.display()));
                    }
                }
            }
        }
    }
    eprintln!("{seen} statements checked");
    assert!(seen > 300, "only {seen} statements found: the scan lost its way");
    assert!(broken.is_empty(), "statements outside the distributed-safe subset:\n{}", broken.join("\n"));
}

#[test]
fn the_scan_finds_statements_and_the_rules_refuse_what_they_say() {
    let src = "let q = \"SELECT id FROM dossier \\\n     WHERE code = $1\"; // \"not a literal\"\nlet c = '\"';\nlet r = r#\"INSERT INTO t (id) VALUES (nextval('s'))\"#;";
    let lits = string_literals(src);
    assert_eq!(
        lits,
        vec![
            "SELECT id FROM dossier WHERE code = $1".to_owned(),
            "INSERT INTO t (id) VALUES (nextval('s'))".to_owned()
        ]
    );
    assert_eq!(breaks(&lits[1], true), vec!["a sequence"]);
    assert!(breaks("SELECT pg_advisory_lock(1)", true).contains(&"an advisory lock"));
    assert!(
        breaks("SELECT id FROM dossier WHERE received_at < now()", true)
            .contains(&"the database's clock (now is passed in)")
    );
    assert!(breaks("SELECT code::text FROM dossier WHERE id = $1", true).contains(&"a PostgreSQL cast (use CAST)"));
    assert!(breaks("SELECT code::text FROM dossier WHERE id = $1", false).is_empty(), "a backend's own migration may");
    assert!(
        breaks("SELECT id FROM dossier WHERE code = $1 FOR UPDATE", true).contains(&"row locks SQLite does not have")
    );
    assert!(
        breaks("INSERT INTO t (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET n = t.n + 1 RETURNING n", true)
            .is_empty()
    );
}

/// On SQLite, writes go through the one writer connection (`SqlStore::write_turn`): a write
/// transaction begun on the readers' pool would still be correct but would wait on the file
/// lock and drop the writer's warm cache. Every `begin_write()` is inside an `on_db!` over the
/// turn's connection (or the intake's batch writer, handed the same connection).
#[test]
fn every_write_transaction_goes_through_the_write_turn() {
    let mut stray = Vec::new();
    let mut seen = 0;
    for f in files(&storage_sql().join("src"), "rs") {
        let src = std::fs::read_to_string(&f).unwrap_or_default();
        for (at, _) in src.match_indices(".begin_write()") {
            seen += 1;
            let before = &src[..at];
            let opened = before.rfind("on_db!(").map(|i| &before[i..]).unwrap_or("");
            if !(opened.starts_with("on_db!(turn.db,") || opened.starts_with("on_db!(writer,")) {
                stray.push(format!("{}:{}", f.display(), before.lines().count()));
            }
        }
    }
    assert!(seen > 30, "only {seen} write transactions found: the scan lost its way");
    assert!(stray.is_empty(), "write transactions not begun on the write turn's connection:\n{}", stray.join("\n"));
}
