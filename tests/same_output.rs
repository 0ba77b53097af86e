//! Speed work must not change what a build writes: a generated site of a few
//! hundred postings (bench/gen_corpus.py) built on one thread, on several, into a
//! folder holding an earlier build, and with nothing changed, gives the same bytes.
//! (The serve path is compared in `src/build/incremental.rs`.)

mod common;

use common::{TODAY, TestSite, files_under, repo};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A generated site of `postings` postings (the corpus of the benchmarks).
fn generated(postings: usize) -> TestSite {
    let site = TestSite::empty();
    let status = Command::new("python3")
        .arg(repo().join("bench/gen_corpus.py"))
        .args(["--postings", &postings.to_string(), "--out"])
        .arg(site.path("corpus"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen_corpus.py");
    assert!(status.success());
    site
}

/// `openings build` of the generated site into `output` on `threads` threads
/// (0: rayon's default); the summary line.
fn build(site: &TestSite, output: &Path, threads: usize) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_openings"));
    command
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.path("corpus/openings"))
        .arg("--output")
        .arg(output);
    if threads > 0 {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// The site's files; the fingerprint of the last build is not part of the site.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = files_under(dir);
    assert!(files.remove(".openings-build").is_some(), "no fingerprint");
    files
}

#[track_caller]
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{path} differs");
    }
}

#[test]
fn one_thread_many_threads_and_rebuilds_write_the_same_bytes() {
    let site = generated(300);
    let single = site.path("single");
    let multi = site.path("multi");
    build(&site, &single, 1);
    build(&site, &multi, 4);
    let expected = site_files(&single);
    assert!(expected.len() > 300, "{}", expected.len());
    assert_same(&expected, &site_files(&multi));

    // Nothing changed: nothing is written and the files stay as they are.
    let again = build(&site, &multi, 0);
    assert!(again.contains("nothing changed"), "{again}");
    assert_same(&expected, &site_files(&multi));

    // A page of the output deleted by hand is noticed and written again.
    let page = expected
        .keys()
        .find(|p| p.starts_with("jobs/"))
        .unwrap()
        .clone();
    std::fs::remove_file(multi.join(&page)).unwrap();
    let repaired = build(&site, &multi, 0);
    assert!(repaired.contains("(1 file written,"), "{repaired}");
    assert_same(&expected, &site_files(&multi));

    // One posting changed: the rebuild into the earlier output equals a cold build.
    let jobs = site.path("corpus/openings/content/jobs");
    let mut names: Vec<_> = std::fs::read_dir(&jobs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let text = std::fs::read_to_string(&names[0]).unwrap();
    std::fs::write(&names[0], format!("{text}\nOne more paragraph.\n")).unwrap();
    std::fs::remove_file(&names[1]).unwrap();
    let rebuilt = build(&site, &multi, 0);
    assert!(rebuilt.contains("removed"), "{rebuilt}");
    build(&site, &site.path("cold"), 1);
    let cold = site_files(&site.path("cold"));
    assert_same(&cold, &site_files(&multi));
    assert!(cold != expected);
}
