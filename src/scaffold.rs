//! `openings init` and `openings new`: create a site, or a posting in one. The
//! files written here must build as they are. Deploy recipes are in `recipes`,
//! translations of a posting (`new --lang --from`) in `translation`.

pub mod recipes;
pub mod translation;

use crate::content::posting::EmploymentType;
use crate::diagnostic::Diagnostic;
use crate::layout;
use crate::node::Keyword;
use jiff::civil::Date;
use std::fs;
use std::path::{Path, PathBuf};

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {}: {e}", path.display()))
}

/// Writes `text` to a new file, never replacing one.
fn create(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error("exists", format!("{} already exists", path.display())).with_hint(
                    "openings never overwrites a file: choose another name or remove it first",
                )
            } else {
                io_error(path, &e)
            }
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| io_error(path, &e))
}

/// Creates a new site folder that builds at once with the built-in theme.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| io_error(dir, &e))?
            .next()
            .is_some()
    {
        return Err(Diagnostic::error(
            "exists",
            format!("{} already exists and is not empty", dir.display()),
        )
        .with_hint("choose a new folder name, e.g. `openings init my-careers`"));
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_else(|| "Example".into());
    let company = title_case(name.trim());
    let files = [
        (layout::SITE_TOML, site_toml(&company)),
        (".gitignore", "public/\n.openings/\n".to_string()),
        ("content/jobs/example-role.md", example_posting(today)),
        ("content/hiring-process.md", HIRING_PAGE.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn site_toml(company: &str) -> String {
    format!(
        r#"# The site's settings. Every key is explained in the openings README.
title = "Careers at {company}"
base_url = "https://careers.example.com/"   # where the site will be published
language = "en"
theme = "default"

[company]
name = "{company}"
website = "https://example.com"
description = "One sentence about what {company} does."

# Postings refer to these keys in `locations = [...]`.
[locations.hq]
name = "Berlin, Germany"
city = "Berlin"
country = "DE"

[apply]
consent = "We keep your application for 6 months to consider you for this and similar roles, then delete it."
retention_days = 180
"#
    )
}

fn example_posting(today: Date) -> String {
    format!(
        r#"+++
title = "Example Role"
department = "Operations"
locations = ["hq"]
workplace = "hybrid"
employment_type = "full-time"
date = {today}
summary = "A first posting to show how openings works; edit or delete it."

[salary]
min = 50000
max = 60000
currency = "EUR"
per = "year"
+++

This posting was created by `openings init`. Edit this file, or create a new
posting with `openings new "Job title" --department Operations`.

## What you will do

- Keep our operations running smoothly.
- Work with every team in the company.

## What you bring

- Care for detail and for the people you work with.
"#
    )
}

const HIRING_PAGE: &str = r#"+++
title = "How we hire"
weight = 10
+++

Every application is read by a person. We reply within two weeks, whatever the
answer. The process has three steps: a call with the hiring manager, a short
exercise that we pay for, and a conversation with the team.
"#;

/// What `openings new` needs to write a posting.
pub struct NewPosting<'a> {
    pub title: &'a str,
    pub department: &'a str,
    pub locations: &'a [String],
    pub employment_type: &'a str,
    pub yaml: bool,
    pub today: Date,
}

/// Writes `content/jobs/<slug>.md` as a draft; returns its path.
pub fn new_posting(root: &Path, new: &NewPosting<'_>) -> Result<PathBuf, Diagnostic> {
    if !EmploymentType::ALL
        .iter()
        .any(|(w, _)| *w == new.employment_type)
    {
        let words: Vec<&str> = EmploymentType::ALL.iter().map(|(w, _)| *w).collect();
        return Err(Diagnostic::error(
            "invalid-value",
            format!("`{}` is not an employment type", new.employment_type),
        )
        .with_hint(format!("use one of: {}", words.join(", "))));
    }
    let slug = slug::slugify(new.title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            "invalid-value",
            "the title has no letters or digits to make a file name from",
        ));
    }
    let path = root
        .join(layout::CONTENT)
        .join(layout::JOBS)
        .join(format!("{slug}.md"));
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = new
        .locations
        .iter()
        .map(|l| quote(l))
        .collect::<Vec<_>>()
        .join(", ");
    let (open, close, sep, locations) = if new.yaml {
        ("---", "---", ": ", format!("[{list}]"))
    } else {
        ("+++", "+++", " = ", format!("[{list}]"))
    };
    let line = |key: &str, value: &str| format!("{key}{sep}{value}\n");
    let mut text = format!("{open}\n");
    text += &line("title", &quote(new.title));
    text += &line("department", &quote(new.department));
    text += &line("locations", &locations);
    text += &line("employment_type", &quote(new.employment_type));
    text += &line("date", &new.today.to_string());
    text += &line(
        "summary",
        &quote(&format!(
            "Join our {} team as {}.",
            new.department, new.title
        )),
    );
    text += &line("draft", "true");
    text += &format!("{close}\n\n");
    text += "## About the role\n\nWhat this person will own, and why it matters now.\n\n";
    text += "## What you will do\n\n- The main responsibilities, one per line.\n\n";
    text += "## What you bring\n\n- The experience and skills that matter most.\n";
    create(&path, &text)?;
    Ok(path)
}
