//! What recruiters run in a terminal: `openings applications list|show|export|delete`.
//! Reads and deletes through the [`Store`] trait; prints data on the given writer
//! (stdout) and leaves messages and errors to the caller. Candidate text is
//! printed through [`shown`]: escaped in the table and `show`, neutralised in
//! CSV cells, exact in JSON.

use super::shown;
use super::store::{Application, Filter, Store};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A problem running a command, worded for the user.
pub type Result<T> = std::result::Result<T, String>;

fn time(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

fn text<'a>(app: &'a Application, key: &str) -> std::borrow::Cow<'a, str> {
    match app.answers.get(key) {
        Some(serde_json::Value::String(s)) => s.into(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
        Some(other) => other.to_string().into(),
        None => "".into(),
    }
}

/// Stored applications as written by `list --format json` and `export --format json`.
#[derive(Serialize)]
struct ApplicationJson<'a> {
    id: i64,
    received_at: String,
    posting_slug: &'a str,
    posting_title: &'a str,
    /// Empty for applications stored before languages were recorded.
    language: &'a str,
    answers: &'a serde_json::Map<String, serde_json::Value>,
    files: &'a [super::store::FileInfo],
    consent: &'a str,
    client_hash: &'a str,
    user_agent: Option<&'a str>,
}

fn json_view(app: &Application) -> ApplicationJson<'_> {
    ApplicationJson {
        id: app.id,
        received_at: time(app.received_at),
        posting_slug: &app.posting_slug,
        posting_title: &app.posting_title,
        language: &app.language,
        answers: &app.answers,
        files: &app.files,
        consent: &app.consent,
        client_hash: &app.client_hash,
        user_agent: app.user_agent.as_deref(),
    }
}

/// The language of the page an application was sent from, `-` when unknown
/// (stored before languages were recorded).
fn language(app: &Application) -> &str {
    match app.language.as_str() {
        "" => "-",
        tag => tag,
    }
}

fn io(e: std::io::Error) -> String {
    format!("cannot write the output: {e}")
}

fn write_json(apps: &[Application], out: &mut dyn Write) -> Result<()> {
    let views: Vec<ApplicationJson<'_>> = apps.iter().map(json_view).collect();
    serde_json::to_writer_pretty(&mut *out, &views).map_err(|e| e.to_string())?;
    writeln!(out).map_err(io)
}

/// `applications list`: one line per application, or JSON.
pub fn list(store: &dyn Store, filter: &Filter, json: bool, out: &mut dyn Write) -> Result<usize> {
    let apps = store.list(filter).map_err(|e| e.to_string())?;
    if json {
        write_json(&apps, out)?;
        return Ok(apps.len());
    }
    // Every cell is escaped: a line end or an escape sequence in an answer
    // must not start a row of its own or act on the terminal.
    let rows: Vec<[String; 7]> = apps
        .iter()
        .map(|a| {
            [
                a.id.to_string(),
                time(a.received_at),
                shown::terminal(&a.posting_slug).into_owned(),
                shown::terminal(language(a)).into_owned(),
                shown::terminal(&text(a, "name")).into_owned(),
                shown::terminal(&text(a, "email")).into_owned(),
                a.files.len().to_string(),
            ]
        })
        .collect();
    let header = [
        "ID",
        "RECEIVED (UTC)",
        "POSTING",
        "LANGUAGE",
        "NAME",
        "EMAIL",
        "FILES",
    ]
    .map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end()).map_err(io)?;
    }
    Ok(apps.len())
}

/// `applications show ID`: everything stored about one application.
pub fn show(
    store: &dyn Store,
    id: i64,
    save_files: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Vec<PathBuf>> {
    let app = store
        .get(id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no application with id {id}"))?;
    out.write_all(details(&app).as_bytes()).map_err(io)?;
    match save_files {
        Some(dir) => save_attachments(store, &app, dir),
        None => Ok(Vec::new()),
    }
}

/// The text `show` prints: one labelled line per stored fact, multi-line values
/// indented under their label. Every line is escaped ([`shown::terminal`]):
/// only the line ends of a multi-line answer stay real, each followed by the
/// indent, so no answer can write a line that looks like one of ours.
fn details(app: &Application) -> String {
    let mut s = String::new();
    let mut line = |label: &str, value: &str| {
        let label = shown::terminal(label);
        if value.contains('\n') {
            s.push_str(&format!("{label}:\n"));
            for l in shown::terminal_lines(value) {
                s.push_str(&format!("    {l}\n"));
            }
        } else {
            s.push_str(&format!("{label:<14}{}\n", shown::terminal(value)));
        }
    };
    line("Application", &app.id.to_string());
    line(
        "Posting",
        &format!("{} ({})", app.posting_title, app.posting_slug),
    );
    line("Language", language(app));
    line("Received", &time(app.received_at));
    for (key, label) in [
        ("name", "Name"),
        ("email", "Email"),
        ("phone", "Phone"),
        ("links", "Links"),
        ("cover_letter", "Cover letter"),
    ] {
        if app.answers.contains_key(key) {
            line(label, &text(app, key));
        }
    }
    for key in app.answers.keys().filter(|k| k.starts_with("q_")) {
        line(key, &text(app, key));
    }
    for f in &app.files {
        line("File", &file_summary(f));
    }
    line("Consent shown", &app.consent);
    line("Client", &app.client_hash);
    line("User agent", app.user_agent.as_deref().unwrap_or("-"));
    s
}

/// One attachment as `show` describes it: field, browser name, kind, size, hash prefix.
fn file_summary(f: &super::store::FileInfo) -> String {
    format!(
        "{} \"{}\" ({}, {} bytes, blake3 {})",
        f.field,
        f.name,
        f.kind,
        f.size,
        f.blake3.get(..16).unwrap_or(&f.blake3)
    )
}

/// `show --save-files DIR`: writes each attachment of `app` into `dir` (created
/// private) and returns the paths written.
fn save_attachments(store: &dyn Store, app: &Application, dir: &Path) -> Result<Vec<PathBuf>> {
    let id = app.id;
    crate::apply::folder::create_private_dir(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut saved = Vec::new();
    for f in &app.files {
        let bytes = store
            .file_bytes(f.id)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("file {} of application {id} is missing", f.id))?;
        // The browser's file name is never used as a path: it could be anything.
        let path = dir.join(format!("{id}-{}.{}", f.field, f.kind));
        crate::apply::folder::write_private(&path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        saved.push(path);
    }
    Ok(saved)
}

const CSV_FIELDS: &[&str] = &["name", "email", "phone", "links", "cover_letter"];

/// `applications export`: every application as CSV (one row each, one column per
/// answer) or JSON.
pub fn export(store: &dyn Store, csv: bool, out: &mut dyn Write) -> Result<usize> {
    let apps = store.list(&Filter::default()).map_err(|e| e.to_string())?;
    if !csv {
        write_json(&apps, out)?;
        return Ok(apps.len());
    }
    let questions: BTreeSet<&str> = apps
        .iter()
        .flat_map(|a| a.answers.keys())
        .filter(|k| k.starts_with("q_"))
        .map(String::as_str)
        .collect();
    // Every cell quoted, and formula-like cells made text (OWASP's advice on
    // CSV injection): recruiters open this file in a spreadsheet.
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out);
    let mut header: Vec<&str> = vec![
        "id",
        "received_at",
        "posting_slug",
        "posting_title",
        "language",
    ];
    header.extend(CSV_FIELDS);
    header.extend(&questions);
    header.extend(["files", "consent", "client_hash", "user_agent"]);
    w.write_record(&header).map_err(|e| e.to_string())?;
    for a in &apps {
        let mut row: Vec<String> = vec![
            a.id.to_string(),
            time(a.received_at),
            a.posting_slug.clone(),
            a.posting_title.clone(),
            a.language.clone(),
        ];
        row.extend(CSV_FIELDS.iter().map(|k| text(a, k).into_owned()));
        row.extend(questions.iter().map(|k| text(a, k).into_owned()));
        let files: Vec<String> = a
            .files
            .iter()
            .map(|f| format!("{}: {} ({})", f.field, f.name, f.kind))
            .collect();
        row.push(files.join("; "));
        row.push(a.consent.clone());
        row.push(a.client_hash.clone());
        row.push(a.user_agent.clone().unwrap_or_default());
        let cells = row.iter().map(|cell| shown::spreadsheet(cell).into_owned());
        w.write_record(cells).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(io)?;
    Ok(apps.len())
}

/// The ids `delete` would remove: the given one, or all received before `cutoff` (Unix ms).
pub fn to_delete(store: &dyn Store, id: Option<i64>, cutoff: Option<i64>) -> Result<Vec<i64>> {
    match (id, cutoff) {
        (Some(id), _) => match store.get(id).map_err(|e| e.to_string())? {
            Some(_) => Ok(vec![id]),
            None => Err(format!("no application with id {id}")),
        },
        (None, Some(cutoff)) => Ok(store
            .list(&Filter {
                before: Some(cutoff),
                ..Filter::default()
            })
            .map_err(|e| e.to_string())?
            .iter()
            .map(|a| a.id)
            .collect()),
        (None, None) => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::store::tests::{TestStore, each_store, sample};

    /// Two applications in a store of each kind.
    fn stores() -> [TestStore; 2] {
        each_store().map(|store| {
            filled(&*store);
            store
        })
    }

    fn filled(store: &dyn Store) {
        let mut a = sample(store, "engineer", 1_700_000_000_000);
        a.language = "de".into();
        a.answers
            .insert("q_langs".into(), serde_json::json!(["rust", "go"]));
        a.answers
            .insert("cover_letter".into(), "Line one,\n\"quoted\"".into());
        store.insert(a).unwrap();
        // As if stored before languages were recorded.
        let mut b = sample(store, "designer", 1_800_000_000_000);
        b.language = String::new();
        store.insert(b).unwrap();
    }

    #[test]
    fn list_prints_aligned_columns() {
        for store in stores() {
            let mut out = Vec::new();
            assert_eq!(
                list(&*store, &Filter::default(), false, &mut out).unwrap(),
                2
            );
            let text = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[0].starts_with("ID  RECEIVED (UTC)"), "{text}");
            assert!(lines[0].contains("POSTING   LANGUAGE  NAME"), "{text}");
            assert!(
                lines[1].contains("2023-11-14T22:13:20Z  engineer  de        Ada"),
                "{text}"
            );
            assert!(lines[2].contains("designer  -         Ada"), "{text}");
            assert!(lines[1].contains("ada@example.com"), "{text}");
        }
    }

    #[test]
    fn csv_export_has_one_column_per_answer() {
        for store in stores() {
            let mut out = Vec::new();
            export(&*store, true, &mut out).unwrap();
            let mut reader = csv::Reader::from_reader(&out[..]);
            let header = reader.headers().unwrap().clone();
            let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
            assert_eq!(rows.len(), 2);
            let col = |name: &str| header.iter().position(|h| h == name).unwrap();
            assert_eq!(&rows[0][col("q_langs")], "rust; go");
            assert_eq!(&rows[0][col("cover_letter")], "Line one,\n\"quoted\"");
            assert_eq!(&rows[1][col("posting_slug")], "designer");
            assert_eq!(&rows[0][col("files")], "resume: cv.pdf (pdf)");
            assert_eq!(&rows[0][col("language")], "de");
            assert_eq!(&rows[1][col("language")], "");
        }
    }

    #[test]
    fn json_holds_the_language_as_stored() {
        for store in stores() {
            let mut out = Vec::new();
            export(&*store, false, &mut out).unwrap();
            let apps: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(apps[0]["language"], "de", "{}", store.kind);
            assert_eq!(apps[1]["language"], "", "{}", store.kind);
        }
    }

    #[test]
    fn show_saves_files_under_safe_names() {
        for store in stores() {
            let dir = tempfile::tempdir().unwrap();
            let mut out = Vec::new();
            let saved = show(&*store, 1, Some(&dir.path().join("out")), &mut out).unwrap();
            assert_eq!(saved, [dir.path().join("out/1-resume.pdf")]);
            assert_eq!(std::fs::read(&saved[0]).unwrap(), b"%PDF-1.4 test");
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("Cover letter:\n    Line one,\n"), "{text}");
            assert!(text.contains("Language      de\n"), "{text}");
            assert!(show(&*store, 99, None, &mut Vec::new()).is_err());
        }
    }

    #[test]
    fn ages_and_what_delete_would_remove() {
        assert_eq!(crate::duration::millis("180d").unwrap(), 180 * 86_400_000);
        assert_eq!(crate::duration::millis("2w").unwrap(), 14 * 86_400_000);
        assert_eq!(crate::duration::millis("12h").unwrap(), 12 * 3_600_000);
        for bad in ["", "d", "180", "x1d", "-1d", "180y"] {
            assert!(crate::duration::millis(bad).is_err(), "{bad}");
        }
        for store in stores() {
            assert_eq!(
                to_delete(&*store, None, Some(1_750_000_000_000)).unwrap(),
                [1]
            );
            assert_eq!(to_delete(&*store, Some(2), None).unwrap(), [2]);
            assert!(to_delete(&*store, Some(5), None).is_err());
        }
    }
}
