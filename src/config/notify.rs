//! `[notify]` and `[departments.NAME]` of `site.toml`: who is told about a new
//! application by email, and through which SMTP server. Addresses are checked
//! here, once, with the mail crate's own parser, so nothing later can put a
//! comma list or a line break into a header.

use crate::node::{Example, Node, Reader, Table, Value, opt};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refused without it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl crate::node::Keyword for Security {
    const ALL: &'static [(&'static str, Self)] = &[
        ("starttls", Security::StartTls),
        ("tls", Security::Tls),
        ("none", Security::None),
    ];
}

/// `[notify]`: the SMTP server and the hiring team's addresses.
#[derive(Debug, Clone)]
pub struct Notify {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub tls: Security,
    pub username: Option<String>,
    /// A file holding the SMTP password (else `OPENINGS_SMTP_PASSWORD`).
    pub password_file: Option<PathBuf>,
    /// A PEM certificate to trust besides the system's (a private relay).
    pub ca_file: Option<PathBuf>,
    /// The sender, e.g. `Acme Careers <careers@acme.example>`.
    pub from: String,
    /// The hiring team, for every posting.
    pub to: Vec<String>,
    /// Résumés up to this size are attached to the team's email.
    pub attach_max_mb: u64,
}

/// `[departments.NAME]`: what belongs to a department rather than a posting.
#[derive(Debug, Clone, Default)]
pub struct Department {
    /// Added to `[notify] to` for the department's postings.
    pub notify: Vec<String>,
}

/// The environment variable the SMTP password is read from.
pub const PASSWORD_ENV: &str = "OPENINGS_SMTP_PASSWORD";

const NOTIFY_KEYS: &[&str] = &[
    "smtp_host",
    "smtp_port",
    "tls",
    "username",
    "password_file",
    "ca_file",
    "from",
    "to",
    "attach_max_mb",
];
const DEPARTMENT_KEYS: &[&str] = &["notify"];

pub fn notify(r: &mut Reader<'_>, node: &Node) -> Option<Notify> {
    if let Value::Table(entries) = &node.value
        && let Some((key, _)) = entries.iter().find(|(k, _)| k.name == "password")
    {
        r.error(
            "secret-in-config",
            key.span.clone(),
            "the SMTP password must not be in site.toml: it would be committed and published with the site's sources",
        )
        .hint = Some(format!(
            "remove the line; set {PASSWORD_ENV} in the server's environment, or name a file with password_file = \"/run/secrets/smtp\""
        ));
        return None;
    }
    let t = r.table(node, "notify", NOTIFY_KEYS, "")?;
    let host = r
        .required(&t, "smtp_host", Example::Text("smtp.example.com"))
        .and_then(|n| r.text(n, "smtp_host"));
    let tls = opt(r, &t, "tls", Reader::keyword::<Security>);
    let port = opt(r, &t, "smtp_port", |r, n, key| {
        let message = "`smtp_port` must be 1 to 65535";
        let hint = Some("587 for STARTTLS, 465 for TLS");
        r.integer_in(n, key, 1..=65535, message, hint)
            .map(|p| p as u16)
    });
    let from = r
        .required(
            &t,
            "from",
            Example::Text("Acme Careers <careers@acme.example>"),
        )
        .and_then(|n| address(r, n, "from"));
    let to = opt(r, &t, "to", addresses);
    let attach = opt(r, &t, "attach_max_mb", |r, n, key| {
        let message = "`attach_max_mb` must be 0 (never attach) to 50";
        let hint = Some("most mail servers refuse messages over 25 MB");
        r.integer_in(n, key, 0..=50, message, hint)
            .map(|mb| mb as u64)
    });
    let path = |r: &mut Reader<'_>, n: &Node, key: &str| r.text(n, key).map(PathBuf::from);
    let tls = tls?.unwrap_or(Security::StartTls);
    Some(Notify {
        smtp_host: host?,
        smtp_port: port?.unwrap_or(match tls {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }),
        tls,
        username: opt(r, &t, "username", Reader::text)?,
        password_file: opt(r, &t, "password_file", path)?,
        ca_file: opt(r, &t, "ca_file", path)?,
        from: from?,
        to: to?.unwrap_or_default(),
        attach_max_mb: attach?.unwrap_or(5),
    })
}

pub fn departments(r: &mut Reader<'_>, node: &Node) -> Option<BTreeMap<String, Department>> {
    let Value::Table(entries) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`departments` must be a table",
        )
        .hint = Some("write [departments.Engineering] followed by notify = [...]".into());
        return None;
    };
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in entries {
        let field = format!("departments.{}", key.name);
        let Some(t) = r.table(value, &field, DEPARTMENT_KEYS, "") else {
            ok = false;
            continue;
        };
        match opt(r, &t, "notify", addresses) {
            Some(notify) => {
                let notify = notify.unwrap_or_default();
                out.insert(key.name.clone(), Department { notify });
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A list of email addresses (`notify = [...]`, `to = [...]`), each checked.
pub fn addresses(r: &mut Reader<'_>, node: &Node, key: &str) -> Option<Vec<String>> {
    let Value::Array(items) = &node.value else {
        r.string_list(node, key)?;
        return None;
    };
    let found: Vec<Option<String>> = items.iter().map(|i| address(r, i, key)).collect();
    found.into_iter().collect()
}

/// One address, `team@acme.example` or `Hiring <team@acme.example>`.
fn address(r: &mut Reader<'_>, node: &Node, key: &str) -> Option<String> {
    let text = r.text(node, key)?;
    match text.parse::<lettre::message::Mailbox>() {
        Ok(_) => Some(text),
        Err(_) => {
            r.error(
                "invalid-email",
                node.span.clone(),
                format!("`{text}` is not one email address"),
            )
            .hint = Some(format!(
                "write one address per item, e.g. {}",
                r.syntax.entry(
                    key,
                    Example::List(&["hiring@acme.example", "Ana <ana@acme.example>"])
                )
            ));
            None
        }
    }
}

/// The table's `notify` key for a posting, read like `[notify] to`.
pub fn posting_notify(r: &mut Reader<'_>, t: &Table<'_>) -> Option<Vec<String>> {
    opt(r, t, "notify", addresses).map(Option::unwrap_or_default)
}
