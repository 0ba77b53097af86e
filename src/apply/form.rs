//! Checks a submitted application against the posting's own form: the fixed
//! fields every form has (`name`, `email`, `phone`, `resume`, `cover_letter`,
//! `links`, `consent`, the honeypot `website_url`) and the posting's
//! `[[questions]]`. Pure functions over parsed fields; parsing the request body
//! is `multipart`'s job, wording the problems is the theme's.

use super::spool::Spooled;
use crate::content::posting::{Question, QuestionKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A parsed form submission: text fields in order, and uploaded files.
#[derive(Debug, Default)]
pub struct Submission {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

/// An uploaded file as it arrived.
#[derive(Debug)]
pub struct Upload {
    pub field: String,
    /// The file name the browser sent.
    pub name: String,
    /// Bytes sent, also when the file was too large to keep.
    pub size: u64,
    /// The file on disk; `None` when it was empty or over the limit.
    pub file: Option<Spooled>,
}

/// What is wrong with one field. The theme words it (`error_<code>` strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    Email,
    Url,
    Number,
    Option,
    FileType,
    /// Larger than the limit, in MB.
    FileSize(u64),
    Consent,
    /// Longer than this many characters.
    TooLong(usize),
}

impl Problem {
    /// The theme string that words this problem: `error_<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::Email => "email",
            Problem::Url => "url",
            Problem::Number => "number",
            Problem::Option => "option",
            Problem::FileType => "file_type",
            Problem::FileSize(_) => "file_size",
            Problem::Consent => "consent",
            Problem::TooLong(_) => "too_long",
        }
    }
}

/// The form a posting asks candidates to fill in.
pub struct Form<'a> {
    pub questions: &'a [Question],
    pub max_file_bytes: u64,
}

/// What a submission turned out to be.
#[derive(Debug)]
pub enum Outcome {
    Valid(Valid),
    /// Problems by field name; `values` holds the answers to fill back in.
    Invalid {
        errors: BTreeMap<String, Problem>,
        values: Map<String, Value>,
    },
    /// The honeypot was filled in: a bot. Answer as if accepted, store nothing.
    Spam,
}

#[derive(Debug)]
pub struct Valid {
    /// Every answer as submitted, by field name (multiselect answers as lists).
    pub answers: Map<String, Value>,
    pub resume: Upload,
    /// `pdf`, `doc`, `docx` or `odt`.
    pub resume_kind: &'static str,
}

pub const HONEYPOT: &str = "website_url";
const SHORT_TEXT: usize = 1_000;
const LONG_TEXT: usize = 20_000;

/// Answers by field name, as they are gathered during a check.
type Answers = Map<String, Value>;
/// Problems by field name, as they are gathered during a check.
type Problems = BTreeMap<String, Problem>;

/// The first value sent for the field `name`, or `""`.
fn first<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Checks the text fields every form has, adding their answers and problems.
fn check_fixed(fields: &[(String, String)], answers: &mut Answers, errors: &mut Problems) {
    let mut text = |name: &str, required: bool, max: usize, check: fn(&str) -> bool, bad| {
        let value = first(fields, name);
        if !value.is_empty() {
            answers.insert(name.to_string(), Value::from(value));
        }
        let problem = if value.trim().is_empty() {
            required.then_some(Problem::Required)
        } else if value.chars().count() > max {
            Some(Problem::TooLong(max))
        } else if !check(value.trim()) {
            Some(bad)
        } else {
            None
        };
        if let Some(p) = problem {
            errors.insert(name.to_string(), p);
        }
    };
    let any = |_: &str| true;
    text("name", true, 200, any, Problem::Required);
    text("email", true, 254, is_email, Problem::Email);
    text("phone", false, 50, any, Problem::Required);
    text("cover_letter", false, LONG_TEXT, any, Problem::Required);
    text("links", false, 5_000, are_links, Problem::Url);
    text("consent", true, 10, |v| v == "yes", Problem::Consent);
    if errors.get("consent") == Some(&Problem::Required) {
        errors.insert("consent".into(), Problem::Consent);
    }
}

impl Form<'_> {
    pub fn check(&self, submission: Submission) -> Outcome {
        if !first(&submission.fields, HONEYPOT).trim().is_empty() {
            return Outcome::Spam;
        }
        let mut answers = Map::new();
        let mut errors = BTreeMap::new();
        check_fixed(&submission.fields, &mut answers, &mut errors);
        self.check_questions(&submission.fields, &mut answers, &mut errors);
        let resume = self.resume(submission.files);
        match (resume, errors.is_empty()) {
            (Ok((upload, kind)), true) => Outcome::Valid(Valid {
                answers,
                resume: upload,
                resume_kind: kind,
            }),
            (resume, _) => {
                if let Err(problem) = resume {
                    errors.insert("resume".into(), problem);
                }
                Outcome::Invalid {
                    errors,
                    values: answers,
                }
            }
        }
    }

    /// Checks the posting's own questions (fields `q_<id>`), adding their
    /// answers and problems.
    fn check_questions(
        &self,
        fields: &[(String, String)],
        answers: &mut Answers,
        errors: &mut Problems,
    ) {
        for q in self.questions {
            let name = format!("q_{}", q.id);
            let (value, problem) = question(q, &name, fields);
            if let Some(value) = value {
                answers.insert(name.clone(), value);
            }
            if let Some(problem) = problem {
                errors.insert(name, problem);
            }
        }
    }

    fn resume(&self, files: Vec<Upload>) -> Result<(Upload, &'static str), Problem> {
        let upload = files
            .into_iter()
            .find(|f| f.field == "resume" && f.size > 0)
            .ok_or(Problem::Required)?;
        if upload.size > self.max_file_bytes {
            return Err(Problem::FileSize(self.max_file_bytes.div_ceil(1 << 20)));
        }
        let file = upload.file.as_ref().ok_or(Problem::Required)?;
        let kind = super::sniff::document_kind(file.path(), &file.head).ok_or(Problem::FileType)?;
        Ok((upload, kind))
    }
}

/// The answer to one question (for storing and refilling) and its problem.
fn question(
    q: &Question,
    name: &str,
    fields: &[(String, String)],
) -> (Option<Value>, Option<Problem>) {
    let all: Vec<&str> = fields
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    if q.kind == QuestionKind::Multiselect {
        let problem = if all.is_empty() {
            q.required.then_some(Problem::Required)
        } else if all.iter().any(|v| !q.options.iter().any(|o| o == v)) {
            Some(Problem::Option)
        } else {
            None
        };
        let value = (!all.is_empty()).then(|| Value::from(all));
        return (value, problem);
    }
    let value = all.first().copied().unwrap_or("");
    let answer = (!value.is_empty()).then(|| Value::from(value));
    if value.trim().is_empty() {
        return (answer, q.required.then_some(Problem::Required));
    }
    let max = if q.kind == QuestionKind::Textarea {
        LONG_TEXT
    } else {
        SHORT_TEXT
    };
    let v = value.trim();
    let problem = match q.kind {
        _ if value.chars().count() > max => Some(Problem::TooLong(max)),
        QuestionKind::Number => (!is_number(v)).then_some(Problem::Number),
        QuestionKind::Url => (!is_url(v)).then_some(Problem::Url),
        QuestionKind::Email => (!is_email(v)).then_some(Problem::Email),
        QuestionKind::Select => (!q.options.iter().any(|o| o == v)).then_some(Problem::Option),
        QuestionKind::YesNo => (!matches!(v, "yes" | "no")).then_some(Problem::Option),
        QuestionKind::Checkbox => (v != "yes").then_some(Problem::Option),
        QuestionKind::Text | QuestionKind::Textarea | QuestionKind::Multiselect => None,
    };
    (answer, problem)
}

fn is_number(v: &str) -> bool {
    v.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite)
}

/// A plausible address: one `@`, something before it, a dotted domain after, no spaces.
pub fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        && domain.split('.').count() >= 2
        && domain.split('.').all(|p| {
            !p.is_empty()
                && !p.starts_with('-')
                && !p.ends_with('-')
                && p.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// An http(s) address; `github.com/ada` is accepted as `https://github.com/ada`.
pub fn is_url(v: &str) -> bool {
    if v.chars().any(char::is_whitespace) {
        return false;
    }
    let with_scheme = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    url::Url::parse(&with_scheme).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && u.host_str()
                .is_some_and(|h| h.contains('.') || h == "localhost")
    })
}

/// One address per line; blank lines are fine.
fn are_links(v: &str) -> bool {
    v.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(is_url)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub use crate::apply::sniff::tests::PDF;

    fn questions() -> Vec<Question> {
        let q = |id: &str, kind, required, options: &[&str]| Question {
            id: id.into(),
            label: id.into(),
            kind,
            required,
            options: options.iter().map(|s| s.to_string()).collect(),
            option_labels: options.iter().map(|s| s.to_string()).collect(),
            help: None,
        };
        vec![
            q("years", QuestionKind::Number, true, &[]),
            q("site", QuestionKind::Url, false, &[]),
            q("level", QuestionKind::Select, true, &["junior", "senior"]),
            q("langs", QuestionKind::Multiselect, false, &["rust", "go"]),
            q("relocate", QuestionKind::YesNo, false, &[]),
        ]
    }

    fn valid_fields() -> Vec<(String, String)> {
        [
            ("name", "Ada Lovelace"),
            ("email", "ada@example.com"),
            ("phone", ""),
            ("cover_letter", "Hello"),
            ("links", "https://github.com/ada\n\ngitlab.com/ada"),
            ("q_years", "7"),
            ("q_level", "senior"),
            ("q_langs", "rust"),
            ("q_langs", "go"),
            ("q_relocate", "no"),
            ("consent", "yes"),
            ("website_url", ""),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    }

    fn submission(
        dir: &std::path::Path,
        fields: Vec<(String, String)>,
        resume: &[u8],
    ) -> Submission {
        Submission {
            fields,
            files: vec![Upload {
                field: "resume".into(),
                name: "cv.pdf".into(),
                size: resume.len() as u64,
                file: (!resume.is_empty()).then(|| Spooled::of(dir, resume)),
            }],
        }
    }

    fn check_with(change: &[(&str, &str)], resume: &[u8]) -> Outcome {
        let questions = questions();
        let form = Form {
            questions: &questions,
            max_file_bytes: 1 << 20,
        };
        let mut fields = valid_fields();
        for (name, value) in change {
            fields.retain(|(n, _)| n != name);
            if !value.is_empty() {
                fields.push((name.to_string(), value.to_string()));
            }
        }
        let dir = tempfile::tempdir().unwrap();
        form.check(submission(dir.path(), fields, resume))
    }

    fn errors(outcome: Outcome) -> BTreeMap<String, Problem> {
        match outcome {
            Outcome::Invalid { errors, .. } => errors,
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_application_is_valid_with_every_answer() {
        let Outcome::Valid(valid) = check_with(&[], PDF) else {
            panic!("not valid")
        };
        assert_eq!(valid.resume_kind, "pdf");
        assert_eq!(valid.answers["name"], "Ada Lovelace");
        assert_eq!(valid.answers["q_langs"], serde_json::json!(["rust", "go"]));
        assert_eq!(valid.answers["q_years"], "7");
        assert!(!valid.answers.contains_key("phone"));
    }

    #[test]
    fn missing_required_fields_are_named() {
        let e = errors(check_with(
            &[("name", ""), ("q_years", ""), ("q_level", "")],
            PDF,
        ));
        assert_eq!(e["name"], Problem::Required);
        assert_eq!(e["q_years"], Problem::Required);
        assert_eq!(e["q_level"], Problem::Required);
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn bad_email_url_and_number() {
        let e = errors(check_with(
            &[
                ("email", "ada at example"),
                ("q_site", "not a url"),
                ("q_years", "seven"),
                ("links", "https://ok.example\nnope"),
            ],
            PDF,
        ));
        assert_eq!(e["email"], Problem::Email);
        assert_eq!(e["q_site"], Problem::Url);
        assert_eq!(e["q_years"], Problem::Number);
        assert_eq!(e["links"], Problem::Url);
    }

    #[test]
    fn options_must_be_among_the_posting_options() {
        let e = errors(check_with(
            &[("q_level", "wizard"), ("q_relocate", "maybe")],
            PDF,
        ));
        assert_eq!(e["q_level"], Problem::Option);
        assert_eq!(e["q_relocate"], Problem::Option);
        let e = errors(check_with(&[("q_langs", "cobol")], PDF));
        assert_eq!(e["q_langs"], Problem::Option);
    }

    #[test]
    fn consent_must_be_given() {
        let e = errors(check_with(&[("consent", "")], PDF));
        assert_eq!(e["consent"], Problem::Consent);
    }

    #[test]
    fn the_honeypot_marks_spam() {
        assert!(matches!(
            check_with(&[("website_url", "http://spam")], PDF),
            Outcome::Spam
        ));
    }

    #[test]
    fn resume_is_judged_by_content_and_size() {
        let e = errors(check_with(&[], b"MZ\x90\x00 an executable %PDF-1.4"));
        assert_eq!(e["resume"], Problem::FileType);
        let e = errors(check_with(&[], b""));
        assert_eq!(e["resume"], Problem::Required);
        let big = [PDF, &vec![b' '; 1 << 20]].concat();
        let e = errors(check_with(&[], &big));
        assert_eq!(e["resume"], Problem::FileSize(1));
    }

    #[test]
    fn errors_keep_the_answers_for_refilling() {
        let Outcome::Invalid { values, .. } = check_with(&[("email", "bad")], PDF) else {
            panic!()
        };
        assert_eq!(values["email"], "bad");
        assert_eq!(values["cover_letter"], "Hello");
        assert_eq!(values["q_langs"], serde_json::json!(["rust", "go"]));
    }

    #[test]
    fn emails_and_urls() {
        for ok in ["a@b.co", "first.last+tag@mail.example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["a@b", "@b.co", "a b@c.co", "a@@b.co", "a@b..co", "a@-b.co"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_url("https://github.com/ada"));
        assert!(is_url("github.com/ada"));
        assert!(!is_url("javascript:alert(1)"));
        assert!(!is_url("ftp://x.example"));
        assert!(!is_url("not a url"));
        assert!(!is_url("word"));
    }
}
