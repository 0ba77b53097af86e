//! Hostile and broken postings against the real `openings build` (issue 17,
//! items 7 and 8): huge one-line lists, huge YAML lists, deep nesting, front
//! matter over the size limit, and a few hundred generated files (garbage,
//! truncated front matter, NUL bytes, CRLF, byte order marks, invalid UTF-8,
//! stray brackets and quotes). A build may fail, but only as a user error:
//! exit 1, every problem naming its file, quoted lines kept short and the
//! output bounded; never a panic, a crash or output proportional to the input.
//!
//! There are no timed assertions: a quadratic step shows as the test run
//! timing out. The generated files come from a seed printed at the start
//! (the time by default); `ABUSE_SEED=N cargo test --test abuse_build`
//! replays a run, `ABUSE_DEBUG=1` prints each file's kind and error codes.

mod common;
use common::rng::Rng;
use common::{Run, TestSite};
use std::collections::BTreeSet;

const SITE_TOML: &str = "title = \"Careers at Hostileco\"\nbase_url = \"https://hostile.example/\"\n\n\
    [company]\nname = \"Hostileco\"\n\n[locations.berlin]\nname = \"Berlin, Germany\"\ncountry = \"DE\"\n";

/// Generated postings per run, in batches of one site each.
const GENERATED: usize = 300;
const BATCHES: usize = 4;

fn seed() -> u64 {
    common::rng::seed(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    })
}

/// A site with `site.toml` and these postings under `content/jobs/`.
fn site(postings: &[(String, Vec<u8>)]) -> TestSite {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    std::fs::create_dir_all(site.path("content/jobs")).unwrap();
    for (name, bytes) in postings {
        std::fs::write(site.path(&format!("content/jobs/{name}")), bytes).unwrap();
    }
    site
}

fn toml_posting(extra: &str) -> String {
    format!(
        "+++\ntitle = \"Backend Engineer\"\ndepartment = \"Engineering\"\ndate = 2026-11-02\n{extra}\n+++\n\nBody.\n"
    )
}

fn yaml_posting(extra: &str) -> String {
    format!(
        "---\ntitle: Backend Engineer\ndepartment: Engineering\ndate: 2026-11-02\n{extra}\n---\n\nBody.\n"
    )
}

/// What every build of hostile files must hold to, whatever it found: exit 0
/// or 1, no panic, each problem at a file of `files`, short quoted lines.
#[track_caller]
fn well_behaved(run: &Run, files: &BTreeSet<String>, what: &str) {
    let context = || format!("{what}: exit {}\n{}", run.code, head(&run.stderr));
    assert!(run.code == 0 || run.code == 1, "{}", context());
    assert!(!run.stderr.contains("panicked"), "{}", context());
    let lines: Vec<&str> = run.stderr.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("error[") || line.starts_with("warning[") {
            let place = lines.get(i + 1).map_or("", |l| l.trim_start());
            let path = place
                .strip_prefix("--> ")
                .and_then(|p| p.split(':').next())
                .unwrap_or_default();
            assert!(
                files.contains(path),
                "{what}: a problem that names no posting: {line} / {place}\n{}",
                context()
            );
        }
        if let Some(more) = line.strip_prefix("and ") {
            let path = more.rsplit(" in ").next().unwrap_or_default();
            assert!(files.contains(path), "{what}: {line}\n{}", context());
        }
        if is_quoted_line(line) {
            assert!(
                line.chars().count() < 200,
                "{what}: a quoted line of {} characters: {line}",
                line.chars().count()
            );
        }
    }
}

/// `12 | title = ...`: a line of the file, as a diagnostic quotes it.
fn is_quoted_line(line: &str) -> bool {
    line.split_once(" | ")
        .is_some_and(|(number, _)| !number.is_empty() && number.trim().parse::<usize>().is_ok())
}

fn head(text: &str) -> String {
    text.chars().take(4000).collect()
}

#[test]
fn a_huge_line_of_unknown_locations_gives_a_bounded_report() {
    let items: Vec<String> = (0..10_000).map(|i| format!("\"nowhere-{i:05}\"")).collect();
    let posting = toml_posting(&format!("locations = [{}]", items.join(", ")));
    let site = site(&[("role.md".into(), posting.into_bytes())]);
    let run = site.build_with(&[]);
    let files = BTreeSet::from(["content/jobs/role.md".to_string()]);
    well_behaved(&run, &files, "10,000 unknown locations");
    assert_eq!(run.code, 1, "{}", head(&run.stderr));
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes of errors",
        run.stderr.len()
    );
    assert!(
        run.stderr
            .contains("and 9,980 more problems in content/jobs/role.md"),
        "{}",
        head(&run.stderr)
    );
    assert_eq!(run.stderr.matches("error[unknown-location]").count(), 20);
    assert!(
        run.stderr.contains("10,000 errors"),
        "{}",
        head(&run.stderr)
    );
    // The first ones by place, with the caret under each.
    assert!(run.stderr.contains("unknown location `nowhere-00000`"));
    assert!(run.stderr.contains("unknown location `nowhere-00019`"));
    assert!(!site.exists("public"));
}

#[test]
fn huge_yaml_lists_are_read_in_one_pass() {
    let block: String = (0..30_000).map(|i| format!("  - tag{i}\n")).collect();
    let flow: Vec<String> = (0..100_000).map(|i| format!("tag{i}")).collect();
    let postings = [
        (
            "block.md".to_string(),
            yaml_posting(&format!("slug: block\ntags:\n{}", block.trim_end())).into_bytes(),
        ),
        (
            "flow.md".to_string(),
            yaml_posting(&format!("slug: flow\ntags: [{}]", flow.join(", "))).into_bytes(),
        ),
    ];
    let site = site(&postings);
    let run = site.build_with(&[]);
    let files = postings
        .iter()
        .map(|(n, _)| format!("content/jobs/{n}"))
        .collect();
    well_behaved(&run, &files, "huge YAML lists");
    assert_eq!(run.code, 0, "{}", head(&run.stderr));
    assert!(site.read("public/jobs.json").contains("tag99999"));
}

#[test]
fn deep_nesting_and_oversized_front_matter_are_errors_at_their_line() {
    let line = "tags = [\"rust\", \"postgres\", \"kubernetes\"]\n";
    let big = format!(
        "+++\ntitle = \"Big\"\n{}+++\nBody.\n",
        line.repeat(1_500_000 / line.len())
    );
    let postings = [
        (
            "flow.md".to_string(),
            yaml_posting(&format!("extra: {}", "[".repeat(10_000))).into_bytes(),
        ),
        (
            "closed.md".to_string(),
            yaml_posting(&format!("extra: {}1{}", "[".repeat(150), "]".repeat(150))).into_bytes(),
        ),
        (
            "block.md".to_string(),
            yaml_posting(&format!(
                "extra:\n{}",
                (1..300)
                    .map(|i| format!("{}- \n", " ".repeat(i)))
                    .collect::<String>()
            ))
            .into_bytes(),
        ),
        ("big.md".to_string(), big.into_bytes()),
    ];
    let site = site(&postings);
    let run = site.build_with(&[]);
    let files = postings
        .iter()
        .map(|(n, _)| format!("content/jobs/{n}"))
        .collect();
    well_behaved(&run, &files, "deep and big");
    assert_eq!(run.code, 1, "{}", head(&run.stderr));
    // `extra` is line 5; the block list's 100th level is on line 105.
    for (name, line) in [("flow", 5), ("closed", 5), ("block", 105)] {
        let place = format!("--> content/jobs/{name}.md:{line}:");
        let at = run
            .stderr
            .find(&place)
            .unwrap_or_else(|| panic!("no error at line {line} of {name}.md:\n{}", run.stderr));
        let error = run.stderr[..at].rsplit("error[").next().unwrap();
        assert!(
            error.starts_with("too-deep]") && error.contains("more than 100 levels"),
            "{name}: {error}"
        );
    }
    assert!(
        run.stderr.contains(
            "error[front-matter-too-large]: the front matter that starts here is larger than 1 MB\n --> content/jobs/big.md:1:1"
        ),
        "{}",
        head(&run.stderr)
    );
    assert!(run.stderr.contains("move long text into the Markdown body"));
}

/// Valid postings the generator starts from, in both syntaxes and with text
/// beyond ASCII.
const BASES: &[&str] = &[
    concat!(
        "+++\ntitle = \"Ingénieur·e Backend 🙂\"\ndepartment = \"Engineering\"\n",
        "date = 2026-11-02\nlocations = [\"berlin\"]\ntags = [\"rust\", \"postgres\"]\n",
        "\n[salary]\nmin = 90000\nmax = 120000\ncurrency = \"EUR\"\nper = \"year\"\n",
        "\n[[questions]]\nid = \"rust_years\"\nlabel = \"Years?\"\nkind = \"number\"\n",
        "+++\n\nWe build **things**. Ünïcödé body.\n",
    ),
    concat!(
        "---\ntitle: Ingénieur·e Backend 🙂\ndepartment: Engineering\ndate: 2026-11-02\n",
        "locations: [berlin]\ntags:\n  - rust\n  - postgres\n",
        "salary:\n  min: 90000\n  max: 120000\n  currency: EUR\n  per: year\n",
        "questions:\n  - id: rust_years\n    label: \"Years?\"\n    kind: number\n",
        "extra: &a {x: [1, 2, {y: z}]}\n---\n\nBody “quoted”.\n",
    ),
    concat!(
        "---\ntitle: 'Single ''quoted'''\ndepartment: >-\n  folded\n  text\n",
        "date: 2026-11-02\nsummary: |\n  literal\n  block\n---\nBody\n",
    ),
];

/// Pieces that break front matter in interesting ways.
const PIECES: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b":",
    b": ",
    b"- ",
    b"#",
    b"&x ",
    b"*x",
    b"!!int ",
    b"|",
    b">",
    b",",
    b"\t",
    b"\0",
    b"\r",
    b"\r\n",
    b"\n",
    b"\n---\n",
    b"\n+++\n",
    b"...",
    b"=",
    b" = ",
    b"\xef\xbb\xbf",
    b"%YAML 1.2\n",
    b"\\",
    b"\\u00",
    b"\"\\uD800\"",
    b"0x",
    b"1e999",
    b"99999999999999999999",
    b"2026-13-45",
    b"[[questions]]\n",
    b"[salary]\n",
    b"\x1b[2J",
    b"\xe2\x80\xae",
    b"{{placeholder}}",
];

/// Bytes that are not UTF-8 (or only part of a character): one of these
/// makes the whole file an encoding error, so they are put in less often.
const NOT_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xf0\x9f\x99",
    b"\xed\xa0\x80",
];

/// One hostile posting, made from `rng`: what was done, and the bytes.
fn hostile_posting(rng: &mut Rng) -> (&'static str, Vec<u8>) {
    let base = rng.pick(BASES).as_bytes().to_vec();
    let (what, mut bytes) = match rng.below(10) {
        0 => (
            "garbage",
            (0..rng.below(4000)).map(|_| rng.next() as u8).collect(),
        ),
        1 => {
            let cut = rng.below(base.len());
            ("truncated", base[..cut].to_vec())
        }
        2 => {
            let text = String::from_utf8(base).unwrap().replace('\n', "\r\n");
            ("CRLF", text.into_bytes())
        }
        3 => ("BOM", [b"\xef\xbb\xbf".as_slice(), &base].concat()),
        4 => {
            let depth = 50 + rng.below(300);
            let open = if rng.below(2) == 0 { "[" } else { "{a: " };
            let text = String::from_utf8(base).unwrap();
            let fence = if text.starts_with("---") {
                "---\n"
            } else {
                "+++\n"
            };
            let nested = if fence == "---\n" {
                format!("deep: {}\n", open.repeat(depth))
            } else {
                format!("deep = {}\n", "[".repeat(depth))
            };
            (
                "deep",
                text.replacen(fence, &format!("{fence}{nested}"), 1)
                    .into_bytes(),
            )
        }
        5 => {
            let n = 500 + rng.below(3000);
            let items: Vec<String> = (0..n)
                .map(|i| match rng.below(40) {
                    0 => i.to_string(),
                    1..20 => format!("\"nowhere-{i}\""),
                    _ => "\"berlin\"".into(),
                })
                .collect();
            let text = String::from_utf8(base).unwrap();
            let list = if text.starts_with("---") {
                format!("locations: [{}]\n", items.join(", "))
            } else {
                format!("locations = [{}]\n", items.join(", "))
            };
            let fence = &text[..4];
            let text = text.replacen("locations", "old_locations", 1).replacen(
                fence,
                &format!("{fence}{list}"),
                1,
            );
            ("long line", text.into_bytes())
        }
        _ => ("mutated", base),
    };
    // And a few stray pieces anywhere, often.
    for _ in 0..rng.below(6) {
        if bytes.is_empty() {
            break;
        }
        let mut at = rng.below(bytes.len() + 1);
        let piece = if rng.below(20) == 0 {
            rng.pick(NOT_UTF8)
        } else {
            // At a character's start, so that the file stays UTF-8.
            while at > 0 && bytes.get(at).is_some_and(|b| b & 0xC0 == 0x80) {
                at -= 1;
            }
            rng.pick(PIECES)
        };
        bytes.splice(at..at, piece.iter().copied());
    }
    (what, bytes)
}

#[test]
fn hundreds_of_broken_postings_are_user_errors_never_a_crash() {
    let seed = seed();
    let mut rng = Rng(seed);
    for batch in 0..BATCHES {
        let postings: Vec<(String, Vec<u8>, &str)> = (0..GENERATED / BATCHES)
            .map(|i| {
                let (what, bytes) = hostile_posting(&mut rng);
                (format!("p{batch}-{i:03}.md"), bytes, what)
            })
            .collect();
        let files: BTreeSet<String> = postings
            .iter()
            .map(|(n, _, _)| format!("content/jobs/{n}"))
            .collect();
        let written: Vec<(String, Vec<u8>)> = postings
            .iter()
            .map(|(n, b, _)| (n.clone(), b.clone()))
            .collect();
        let site = site(&written);
        let what = format!("seed {seed}, batch {batch}");
        let run = site.build_with(&[]);
        if std::env::var_os("ABUSE_DEBUG").is_some() {
            for (name, _, kind) in &postings {
                let codes: BTreeSet<&str> = run
                    .stderr
                    .split("error[")
                    .filter(|e| e.contains(&format!("content/jobs/{name}")))
                    .filter_map(|e| e.split(']').next())
                    .collect();
                println!("{name} ({kind}): {codes:?}");
            }
        }
        well_behaved(&run, &files, &what);
        // Each file that fails on its own says so in the batch too: any
        // problem of a file names it (checked above), and a file that is not
        // even UTF-8 or has no front matter is always among them.
        for (name, bytes, kind) in &postings {
            let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            let plainly_broken = std::str::from_utf8(bytes).is_err()
                || !(text.starts_with(b"+++") || text.starts_with(b"---"));
            if plainly_broken {
                assert!(
                    run.stderr.contains(&format!("content/jobs/{name}")),
                    "{what}: {name} ({kind}) is not reported\n{}",
                    head(&run.stderr)
                );
            }
        }
        if batch == 0 {
            let run = site.run(&["check", "--today", common::TODAY, "--format", "json"]);
            assert!(
                run.code == 0 || run.code == 1,
                "{what}: check exit {}",
                run.code
            );
            assert!(
                !run.stderr.contains("panicked"),
                "{what}: {}",
                head(&run.stderr)
            );
            let report: serde_json::Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|e| panic!("{what}: check --format json: {e}"));
            let shown = report["diagnostics"].as_array().unwrap();
            for d in shown {
                let path = d["path"].as_str().unwrap_or_default();
                assert!(files.contains(path), "{what}: {d}");
            }
        }
    }
}
