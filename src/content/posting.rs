//! A job posting: its front-matter keys read into [`Posting`], with every rule of
//! the content model checked where it can be checked from one file and the site
//! configuration. Rules that need all postings (duplicate slugs) live in `content`.

use super::document::{Document, Origin, read_slug};
use crate::config::{self, Config};
use crate::node::{Example, Keyword, Node, Reader, Table, Value, opt};
use crate::urls::is_slug;
use jiff::civil::Date;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workplace {
    Onsite,
    Hybrid,
    Remote,
}

impl Keyword for Workplace {
    const ALL: &'static [(&'static str, Self)] = &[
        ("onsite", Workplace::Onsite),
        ("hybrid", Workplace::Hybrid),
        ("remote", Workplace::Remote),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmploymentType {
    FullTime,
    PartTime,
    Contract,
    Temporary,
    Internship,
    Volunteer,
    PerDiem,
    Other,
}

impl Keyword for EmploymentType {
    const ALL: &'static [(&'static str, Self)] = &[
        ("full-time", EmploymentType::FullTime),
        ("part-time", EmploymentType::PartTime),
        ("contract", EmploymentType::Contract),
        ("temporary", EmploymentType::Temporary),
        ("internship", EmploymentType::Internship),
        ("volunteer", EmploymentType::Volunteer),
        ("per-diem", EmploymentType::PerDiem),
        ("other", EmploymentType::Other),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Keyword for Per {
    const ALL: &'static [(&'static str, Self)] = &[
        ("hour", Per::Hour),
        ("day", Per::Day),
        ("week", Per::Week),
        ("month", Per::Month),
        ("year", Per::Year),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    Text,
    Textarea,
    Number,
    Url,
    Email,
    Select,
    Multiselect,
    YesNo,
    Checkbox,
}

impl Keyword for QuestionKind {
    const ALL: &'static [(&'static str, Self)] = &[
        ("text", QuestionKind::Text),
        ("textarea", QuestionKind::Textarea),
        ("number", QuestionKind::Number),
        ("url", QuestionKind::Url),
        ("email", QuestionKind::Email),
        ("select", QuestionKind::Select),
        ("multiselect", QuestionKind::Multiselect),
        ("yes-no", QuestionKind::YesNo),
        ("checkbox", QuestionKind::Checkbox),
    ];
}

impl QuestionKind {
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Select | QuestionKind::Multiselect)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Salary {
    pub min: f64,
    pub max: f64,
    /// ISO 4217, upper case.
    pub currency: String,
    pub per: Option<Per>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// The answers a candidate may pick, in the original's language: what is stored.
    pub options: Vec<String>,
    /// What the form shows for each option (a translation's words; else `options`).
    pub option_labels: Vec<String>,
    pub help: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Posting {
    pub title: String,
    pub slug: String,
    pub department: String,
    pub team: Option<String>,
    /// Keys of `[locations]` in `site.toml`.
    pub locations: Vec<String>,
    pub workplace: Option<Workplace>,
    /// ISO 3166-1 alpha-2 codes.
    pub remote_countries: Vec<String>,
    pub employment_type: Option<EmploymentType>,
    pub seniority: Option<String>,
    pub date: Date,
    pub valid_through: Option<Date>,
    /// Not in the site before this day: merged ahead, it opens by itself.
    pub publish_from: Option<Date>,
    pub updated: Option<Date>,
    pub summary: Option<String>,
    pub apply_url: Option<String>,
    /// Addresses told about each application besides `[notify] to`.
    pub notify: Vec<String>,
    pub draft: bool,
    pub tags: Vec<String>,
    pub salary: Option<Salary>,
    pub questions: Vec<Question>,
    pub extra: serde_json::Value,
    /// Rendered Markdown body (shared with the role's template view).
    pub content: Arc<str>,
    /// Plain text of the body's first paragraph.
    pub first_paragraph: String,
    /// Plain text of the whole body.
    pub text: Arc<str>,
    /// Markdown links of the body, with their byte ranges in it.
    pub links: Vec<(String, Range<usize>)>,
    /// The file it was read from, for diagnostics of whole-site checks.
    pub origin: Origin,
    /// The language of a translation (`x.de.md`); `None` for an original,
    /// which is in the site's default language.
    pub language: Option<String>,
}

pub const KEYS: &[&str] = &[
    "title",
    "slug",
    "department",
    "team",
    "locations",
    "workplace",
    "remote_countries",
    "employment_type",
    "seniority",
    "date",
    "valid_through",
    "publish_from",
    "updated",
    "summary",
    "apply_url",
    "notify",
    "draft",
    "tags",
    "salary",
    "questions",
    "extra",
];
const SALARY_KEYS: &[&str] = &["min", "max", "currency", "per"];
const QUESTION_KEYS: &[&str] = &["id", "label", "kind", "required", "options", "help"];

/// Reads a posting from its parsed file. Problems are left in `r`.
// One key per line, every key read before the first `?`: long on purpose.
pub fn read(r: &mut Reader<'_>, doc: &Document<'_>, config: &Config) -> Option<Posting> {
    let t = doc.front_matter_table(r, KEYS)?;

    let title = r
        .required(&t, "title", Example::Text("Backend Engineer"))
        .and_then(|n| r.text(n, "title"));
    let department = r
        .required(&t, "department", Example::Text("Engineering"))
        .and_then(|n| r.text(n, "department"));
    let date = r
        .required(&t, "date", Example::Plain("2026-11-02"))
        .and_then(|n| r.date(n, "date"));
    let slug = read_slug(r, &t, doc);
    let valid_through = opt(r, &t, "valid_through", Reader::date);
    let workplace = opt(r, &t, "workplace", Reader::keyword::<Workplace>);
    let employment_type = opt(r, &t, "employment_type", Reader::keyword::<EmploymentType>);
    let locations = locations(r, &t, config);
    let remote_countries = remote_countries(r, &t);
    let salary = opt(r, &t, "salary", |r, n, _| salary(r, n));
    let questions = questions(r, &t);
    let apply_url = opt(r, &t, "apply_url", apply_url);
    let tags = opt(r, &t, "tags", Reader::string_list);
    let publish_from = opt(r, &t, "publish_from", Reader::date);
    // Every key is read before any `?`, so one bad key hides no other's problem.
    let team = opt(r, &t, "team", Reader::text);
    let seniority = opt(r, &t, "seniority", Reader::text);
    let updated = opt(r, &t, "updated", Reader::date);
    let summary = opt(r, &t, "summary", Reader::text);
    let draft = opt(r, &t, "draft", Reader::boolean);
    let notify = crate::config::posting_notify(r, &t);

    check_dates(r, &t, date, valid_through, publish_from);

    Some(Posting {
        title: title?,
        slug: slug?,
        department: department?,
        team: team?,
        locations: locations?,
        workplace: workplace?,
        remote_countries: remote_countries?,
        employment_type: employment_type?,
        seniority: seniority?,
        date: date?,
        valid_through: valid_through?,
        publish_from: publish_from?,
        updated: updated?,
        summary: summary?,
        apply_url: apply_url?,
        notify: notify?,
        draft: draft?.unwrap_or(false),
        tags: tags?
            .map(|t| t.into_iter().map(|(s, _)| s).collect())
            .unwrap_or_default(),
        salary: salary?,
        questions: questions?,
        extra: t
            .get("extra")
            .map_or(serde_json::Value::Null, Node::to_json),
        content: doc.rendered.html.as_str().into(),
        first_paragraph: doc.rendered.first_paragraph.clone(),
        text: doc.rendered.text.as_str().into(),
        links: doc.rendered.links.clone(),
        origin: Origin::new(doc),
        language: None,
    })
}

/// `apply_url`: an absolute URL, where candidates apply instead of the built-in form.
fn apply_url(r: &mut Reader<'_>, n: &Node, key: &str) -> Option<String> {
    let example =
        "e.g. \"https://jobs.example.com/apply/123\"; leave it out to use the built-in form";
    config::absolute_url(r, n, key, example)
}

/// The two date rules: a posting closes neither before it is posted nor before
/// it is published. Dates that failed to read are not compared.
fn check_dates(
    r: &mut Reader<'_>,
    t: &Table<'_>,
    date: Option<Date>,
    valid_through: Option<Option<Date>>,
    publish_from: Option<Option<Date>>,
) {
    if let (Some(Some(end)), Some(start), Some(node)) =
        (valid_through, date, t.get("valid_through"))
        && end < start
    {
        r.error(
            "closes-before-posted",
            node.span.clone(),
            format!("`valid_through` ({end}) is before `date` ({start})"),
        )
        .hint = Some("a posting cannot close before it is posted: fix one of the two dates".into());
    }
    if let (Some(Some(end)), Some(Some(opens)), Some(node)) =
        (valid_through, publish_from, t.get("publish_from"))
        && end < opens
    {
        r.error(
            "closes-before-published",
            node.span.clone(),
            format!("`publish_from` ({opens}) is after `valid_through` ({end})"),
        )
        .hint = Some(
            "the posting would close before it opens: move `publish_from` earlier or `valid_through` later"
                .into(),
        );
    }
}

/// The slug a posting asks for, and where (`None` when it comes from the file name);
/// `None` overall when the `slug` key is there but unusable.
pub fn declared_slug(doc: &Document<'_>) -> Option<(String, Option<Range<usize>>)> {
    let Value::Table(entries) = &doc.front_matter.value else {
        return None;
    };
    match entries.iter().find(|(k, _)| k.name == "slug") {
        Some((
            _,
            Node {
                value: Value::Str(s),
                span,
            },
        )) if is_slug(s) => Some((s.clone(), Some(span.clone()))),
        Some(_) => None,
        None => Some((doc.file_slug(), None)),
    }
}

fn locations(r: &mut Reader<'_>, t: &Table<'_>, config: &Config) -> Option<Vec<String>> {
    let Some(node) = t.get("locations") else {
        return Some(Vec::new());
    };
    let keys = r.string_list(node, "locations")?;
    let known: Vec<&str> = config.locations.iter().map(|l| l.key.as_str()).collect();
    let mut ok = true;
    for (key, span) in &keys {
        if config.location(key).is_some() {
            continue;
        }
        ok = false;
        let hint = match crate::diagnostic::did_you_mean(key, &known) {
            Some(best) => {
                format!("did you mean `{best}`? Locations are the keys of [locations] in site.toml")
            }
            None if known.is_empty() => {
                "site.toml defines no locations yet: add [locations.KEY] with name and country"
                    .into()
            }
            None => format!(
                "known locations: {}; or add [locations.{key}] to site.toml",
                known.join(", ")
            ),
        };
        r.error(
            "unknown-location",
            span.clone(),
            format!("unknown location `{key}`"),
        )
        .hint = Some(hint);
    }
    ok.then(|| keys.into_iter().map(|(k, _)| k).collect())
}

fn remote_countries(r: &mut Reader<'_>, t: &Table<'_>) -> Option<Vec<String>> {
    let Some(node) = t.get("remote_countries") else {
        return Some(Vec::new());
    };
    let Value::Array(items) = &node.value else {
        r.string_list(node, "remote_countries");
        return None;
    };
    items
        .iter()
        .map(|n| config::country_code(r, n, "remote_countries"))
        .collect()
}

fn salary(r: &mut Reader<'_>, node: &Node) -> Option<Salary> {
    let t = r.table(node, "salary", SALARY_KEYS, "")?;
    let min = r
        .required(&t, "min", Example::Plain("90000"))
        .and_then(|n| r.number(n, "min"));
    let max = r
        .required(
            &t,
            "max",
            Example::Plain("120000 (the same as min for a fixed amount)"),
        )
        .and_then(|n| r.number(n, "max"));
    let currency = r
        .required(&t, "currency", Example::Text("EUR"))
        .and_then(|n| currency(r, n));
    let per = opt(r, &t, "per", Reader::keyword::<Per>);
    let (min, max) = (min?, max?);
    for (key, value) in [("min", min), ("max", max)] {
        if value < 0.0 {
            let span = t.get(key).map(|n| n.span.clone()).unwrap_or_default();
            r.error(
                "invalid-value",
                span,
                format!("`salary.{key}` cannot be negative"),
            );
            return None;
        }
    }
    if min > max {
        let span = t.get("min").map(|n| n.span.clone()).unwrap_or_default();
        r.error(
            "salary-range",
            span,
            format!("`salary.min` ({min}) is greater than `salary.max` ({max})"),
        )
        .hint =
            Some("swap the two values, or set both to the same amount for a fixed salary".into());
        return None;
    }
    Some(Salary {
        min,
        max,
        currency: currency?,
        per: per?,
    })
}

fn currency(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node, "currency")?;
    let upper = text.to_ascii_uppercase();
    if iso_currency::Currency::from_code(&upper).is_some() {
        return Some(upper);
    }
    let hint = match text.as_str() {
        "€" | "euro" | "euros" | "EURO" => "did you mean \"EUR\"?".to_string(),
        "$" | "dollar" | "dollars" => "did you mean \"USD\" (or \"CAD\", \"AUD\"...)?".to_string(),
        "£" | "pound" | "pounds" => "did you mean \"GBP\"?".to_string(),
        _ => "use an ISO 4217 code such as \"EUR\", \"USD\" or \"GBP\"".to_string(),
    };
    r.error(
        "unknown-currency",
        node.span.clone(),
        format!("`{text}` is not an ISO 4217 currency code"),
    )
    .hint = Some(hint);
    None
}

fn questions(r: &mut Reader<'_>, t: &Table<'_>) -> Option<Vec<Question>> {
    let Some(node) = t.get("questions") else {
        return Some(Vec::new());
    };
    let Value::Array(items) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`questions` must be a list of tables",
        )
        .hint = Some(format!(
            "write each question as {} with id, label and kind",
            r.syntax.table_list("questions")
        ));
        return None;
    };
    let mut out = Vec::new();
    // A set, not a search of `out`: a hostile file may ask thousands of questions.
    let mut ids = std::collections::HashSet::new();
    let mut ok = true;
    for item in items {
        match question(r, item) {
            Some(q) if !ids.insert(q.id.clone()) => {
                r.error(
                    "duplicate-question",
                    item.span.clone(),
                    format!("two questions have the id `{}`", q.id),
                )
                .hint =
                    Some("each question needs its own id; it names the answer in the form".into());
                ok = false;
            }
            Some(q) => out.push(q),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn question(r: &mut Reader<'_>, node: &Node) -> Option<Question> {
    let t = r.table(node, "questions", QUESTION_KEYS, "")?;
    let id = r
        .required(&t, "id", Example::Text("rust_years"))
        .and_then(|n| question_id(r, n));
    let label = r
        .required(
            &t,
            "label",
            Example::Text("How many years have you written Rust?"),
        )
        .and_then(|n| r.text(n, "label"));
    let kind = r
        .required(&t, "kind", Example::Text("text"))
        .and_then(|n| r.keyword::<QuestionKind>(n, "kind"));
    let required = opt(r, &t, "required", Reader::boolean)?.unwrap_or(false);
    let options = match t.get("options") {
        Some(n) => r
            .string_list(n, "options")
            .map(|o| o.into_iter().map(|(s, _)| s).collect()),
        None => Some(Vec::new()),
    };
    let help = opt(r, &t, "help", Reader::text)?;
    let (kind, options): (QuestionKind, Vec<String>) = (kind?, options?);
    check_options(r, node, &t, kind, &options)?;
    Some(Question {
        id: id?,
        label: label?,
        kind,
        required,
        option_labels: options.clone(),
        options,
        help,
    })
}

/// A question's `id`: lower-case letters, digits and `_`, starting with a letter.
fn question_id(r: &mut Reader<'_>, n: &Node) -> Option<String> {
    let id = r.text(n, "id")?;
    let ok = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.starts_with(|c: char| c.is_ascii_lowercase());
    if !ok {
        r.error(
            "invalid-id",
            n.span.clone(),
            format!("question id `{id}` must be lower-case letters, digits and `_`"),
        )
        .hint = Some(format!("try \"{}\"", slug::slugify(&id).replace('-', "_")));
    }
    ok.then_some(id)
}

/// `options` are given exactly when the question's kind has them (`select`,
/// `multiselect`); `None` after reporting the mismatch.
fn check_options(
    r: &mut Reader<'_>,
    node: &Node,
    t: &Table<'_>,
    kind: QuestionKind,
    options: &[String],
) -> Option<()> {
    if kind.has_options() && options.is_empty() {
        r.error(
            "missing-options",
            node.span.clone(),
            format!("a `{}` question needs `options`", kind.as_str()),
        )
        .hint = Some(format!(
            "add {}",
            r.syntax
                .entry("options", Example::List(&["first", "second"]))
        ));
        return None;
    }
    if !kind.has_options() && !options.is_empty() {
        let span = t.get("options").map(|n| n.span.clone()).unwrap_or_default();
        r.error(
            "unexpected-options",
            span,
            format!("a `{}` question has no options", kind.as_str()),
        )
        .hint = Some(format!(
            "use {} (or multiselect), or remove `options`",
            r.syntax.entry("kind", Example::Text("select"))
        ));
        return None;
    }
    Some(())
}

/// True when the posting has closed by `today` (`valid_through` is in the past).
pub fn is_closed(posting: &Posting, today: Date) -> bool {
    posting.valid_through.is_some_and(|end| end < today)
}

/// True when the posting is in the site on `today`: not a draft, and its
/// `publish_from` day has come (with `drafts`, both are in for a preview).
pub fn is_published(posting: &Posting, drafts: bool, today: Date) -> bool {
    drafts || (!posting.draft && posting.publish_from.is_none_or(|opens| opens <= today))
}

impl Posting {
    /// The day the posting was published: `date`, or `publish_from` when later.
    pub fn posted(&self) -> Date {
        self.publish_from
            .map_or(self.date, |opens| opens.max(self.date))
    }
}
