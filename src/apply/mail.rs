//! The emails about a new application, in two halves. At acceptance
//! ([`notices`]): the team's and the candidate's messages are worded from the
//! answers and the theme's `emails/received.*` templates, and queued in the
//! outbox with the application. At delivery ([`message`]): a queued message
//! becomes a MIME message with lettre (headers, encodings, the résumé
//! attachment), so nothing about MIME is written here by hand.

use super::store::{Notice, NoticeKind};
use crate::config::Notify;
use crate::render::Renderer;
use crate::site::Site;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A queued email as the outbox keeps it (plus the `id` the store adds).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Queued {
    pub to: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Attach the application's résumé (the team's email).
    pub attach_resume: bool,
    /// The application's id, set by the store.
    #[serde(default)]
    pub id: i64,
}

/// The candidate as a mailbox (`Name <address>`), when the address is one.
fn candidate(answers: &Map<String, Value>) -> Option<Mailbox> {
    let email = answers.get("email")?.as_str()?.trim().parse().ok()?;
    let name = name_of(answers);
    Some(Mailbox::new(Some(name).filter(|n| !n.is_empty()), email))
}

/// The emails to queue for a new application to job `index`: to the hiring
/// team (site, department and posting addresses) and, unless `[apply] confirm
/// = false`, the confirmation to the candidate. Empty without `[notify]`.
pub fn notices(
    site: &Site,
    renderer: &Renderer,
    index: usize,
    answers: &Map<String, Value>,
    resume: Option<(&str, u64)>,
) -> Result<Vec<Notice>, String> {
    let Some(notify) = &site.config.notify else {
        return Ok(Vec::new());
    };
    let job = &site.jobs[index].posting;
    let mut notices = Vec::new();
    let team = team_addresses(site, notify, index);
    let who = candidate(answers);
    if !team.is_empty() {
        let attach = resume.is_some_and(|(_, size)| size <= notify.attach_max_mb << 20);
        let queued = Queued {
            to: team,
            reply_to: who.as_ref().map(Mailbox::to_string),
            subject: format!("Application: {} – {}", job.title, name_of(answers)),
            text: team_text(site, renderer, index, answers, resume, attach),
            html: None,
            attach_resume: attach,
            id: 0,
        };
        notices.push(notice(NoticeKind::TeamMail, &queued));
    }
    if let (true, Some(who)) = (site.config.apply.confirm, who) {
        let (subject, text, html) = confirmation(site, renderer, index, &name_of(answers))?;
        let queued = Queued {
            to: vec![who.to_string()],
            reply_to: None,
            subject,
            text,
            html: Some(html),
            attach_resume: false,
            id: 0,
        };
        notices.push(notice(NoticeKind::CandidateMail, &queued));
    }
    Ok(notices)
}

/// The candidate's confirmation for job `index` from the theme's templates:
/// subject, text and HTML. Also the dev server's preview.
pub fn confirmation(
    site: &Site,
    renderer: &Renderer,
    index: usize,
    name: &str,
) -> Result<(String, String, String), String> {
    let job = &site.jobs[index].posting;
    let context = context! {
        job => renderer.job_view(index),
        name,
        consent => &site.config.apply.consent,
    };
    let subject = renderer
        .string("email_received_subject")
        .replace("{job}", &job.title)
        .replace("{company}", &site.config.company.name);
    let text = renderer.render("emails/received.txt", &context);
    let html = renderer.render("emails/received.html", &context);
    Ok((
        subject,
        text.map_err(|d| d.message)?,
        html.map_err(|d| d.message)?,
    ))
}

fn notice(kind: NoticeKind, queued: &Queued) -> Notice {
    Notice {
        kind,
        payload: serde_json::to_value(queued).expect("a queued email serialises"),
    }
}

fn name_of(answers: &Map<String, Value>) -> String {
    let name = answers.get("name").and_then(Value::as_str).unwrap_or("");
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[notify] to`, then the department's and the posting's own, each once.
fn team_addresses(site: &Site, notify: &Notify, index: usize) -> Vec<String> {
    let job = &site.jobs[index].posting;
    let department = site.config.departments.get(&job.department);
    let mut all: Vec<String> = Vec::new();
    let extra = department.map(|d| d.notify.as_slice()).unwrap_or_default();
    for address in notify.to.iter().chain(extra).chain(&job.notify) {
        if !all.contains(address) {
            all.push(address.clone());
        }
    }
    all
}

/// Every answer in the form's order, with the form's labels.
fn team_text(
    site: &Site,
    renderer: &Renderer,
    index: usize,
    answers: &Map<String, Value>,
    resume: Option<(&str, u64)>,
    attached: bool,
) -> String {
    let job = &site.jobs[index].posting;
    let mut text = format!(
        "A new application for {} ({}).\n\n",
        job.title, job.department
    );
    let fixed = ["name", "email", "phone", "links", "cover_letter"];
    let questions = job
        .questions
        .iter()
        .map(|q| (format!("q_{}", q.id), q.label.clone()));
    let labelled = fixed
        .iter()
        .map(|f| (f.to_string(), renderer.string(&format!("field_{f}"))))
        .chain(questions);
    for (field, label) in labelled {
        let Some(answer) = answers.get(&field) else {
            continue;
        };
        let answer = match answer {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            other => other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string),
        };
        if answer.contains('\n') {
            let indented: Vec<String> = answer.lines().map(|l| format!("  {l}")).collect();
            text += &format!("{label}:\n{}\n", indented.join("\n"));
        } else {
            text += &format!("{label}: {answer}\n");
        }
    }
    text += &match resume {
        Some((name, size)) if attached => {
            format!("\nRésumé: {name} ({}), attached.\n", kib(size))
        }
        Some((name, size)) => format!(
            "\nRésumé: {name} ({}), larger than attach_max_mb: save it with the command below.\n",
            kib(size)
        ),
        None => "\nNo résumé was sent.\n".to_string(),
    };
    text
}

fn kib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The MIME message of a queued email; `resume` is the file to attach
/// (name, detected kind, bytes) when the team's email asks for it.
pub fn message(
    notify: &Notify,
    kind: NoticeKind,
    queued: &Queued,
    resume: Option<(String, String, Vec<u8>)>,
) -> Result<lettre::Message, String> {
    let parse = |a: &str| a.parse::<Mailbox>().map_err(|e| format!("`{a}`: {e}"));
    let mut builder = lettre::Message::builder()
        .from(parse(&notify.from)?)
        .subject(one_line(&queued.subject));
    for to in &queued.to {
        builder = builder.to(parse(to)?);
    }
    if let Some(reply_to) = &queued.reply_to {
        builder = builder.reply_to(parse(reply_to)?);
    }
    let mut text = queued.text.clone();
    if kind == NoticeKind::TeamMail {
        text += &format!(
            "Application {id}: openings applications show {id} (--save-files DIR for the résumé)\n",
            id = queued.id
        );
    }
    let body = match &queued.html {
        Some(html) => MultiPart::alternative_plain_html(text, html.clone()),
        None => MultiPart::mixed().singlepart(SinglePart::plain(text)),
    };
    let body = match resume {
        Some((name, kind, bytes)) => {
            let mime = mime_guess::from_ext(&kind).first_or_octet_stream();
            let content_type = ContentType::parse(mime.essence_str())
                .unwrap_or(ContentType::parse("application/octet-stream").expect("valid"));
            let file = Attachment::new(one_line(&name)).body(bytes, content_type);
            MultiPart::mixed().multipart(body).singlepart(file)
        }
        None => body,
    };
    builder.multipart(body).map_err(|e| e.to_string())
}

/// A header value on one line: a subject carries a title and a name, and
/// neither may start a header of its own.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).collect::<Vec<_>>().join(" ")
}
