//! Title hygiene, as Google for Jobs and job boards ask: `title` is the plain job
//! title. Salary, places, job codes, dates, company names, `!`/`*` and shouting
//! belong elsewhere (or nowhere); boards reject or rewrite titles that carry them.
//!
//! Rules (all warnings, at the `title` line): `title-salary`, `title-location`,
//! `title-job-code`, `title-punctuation`, `title-shouting`, `title-length`,
//! `title-company`, `title-markup`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::site::{Job, Site};

/// Longer titles are cut off in search results and on job boards.
pub const MAX_LENGTH: usize = 80;

/// US states and Canadian provinces and territories, which titles often carry.
const REGION_NAMES: &[&str] = &[
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland",
    "Nova Scotia",
    "Ontario",
    "Prince Edward Island",
    "Quebec",
    "Saskatchewan",
    "Yukon",
    "Nunavut",
    "Northwest Territories",
];

/// Where-and-how words that are facts of the posting, not of the title.
const WORKPLACE_WORDS: &[&str] = &[
    "remote",
    "hybrid",
    "on-site",
    "onsite",
    "work from home",
    "wfh",
];

/// Upper-case words that are names, not shouting.
const ACRONYMS: &[&str] = &[
    "HVAC", "SCADA", "COBOL", "CISSP", "HIPAA", "FINRA", "GDPR", "NASA", "UNIX", "JSON", "HTML",
    "REST", "OSHA", "CCNA", "CCNP", "MLOPS", "DEVOPS", "FPGA", "ASIC", "CNC", "EMEA", "APAC",
];

pub fn check(site: &Site) -> Vec<Diagnostic> {
    site.jobs
        .iter()
        .filter(|j| !j.closed)
        .flat_map(|job| title_problems(site, job))
        .collect()
}

fn title_problems(site: &Site, job: &Job) -> Vec<Diagnostic> {
    let title = job.posting.title.as_str();
    let findings = [
        salary_rule(title),
        place_rule(site, title),
        job_code_rule(title),
        punctuation_rule(title),
        shouting_rule(title),
        length_rule(title),
        company_rule(site, title),
        markup_rule(title),
    ];
    findings
        .into_iter()
        .flatten()
        .map(|f| {
            job.posting
                .origin
                .at_key(f.code, &["title"], f.message)
                .with_severity(Severity::Warning)
                .with_hint(f.hint.to_string())
        })
        .collect()
}

/// One rule's finding about a title, before it is placed at the `title` line.
struct Finding {
    code: &'static str,
    message: String,
    hint: &'static str,
}

fn finding(code: &'static str, message: String, hint: &'static str) -> Option<Finding> {
    Some(Finding {
        code,
        message,
        hint,
    })
}

fn salary_rule(title: &str) -> Option<Finding> {
    let what = salary(title)?;
    finding(
        "title-salary",
        format!("the title carries pay (`{what}`)"),
        "put the pay in [salary]; it is shown on the page and sent to job boards",
    )
}

fn place_rule(site: &Site, title: &str) -> Option<Finding> {
    let place = place(site, title)?;
    finding(
        "title-location",
        format!("the title names a place or workplace (`{place}`)"),
        "keep the plain job title; places go in `locations`, remote work in `workplace` and `remote_countries`",
    )
}

fn job_code_rule(title: &str) -> Option<Finding> {
    let code = job_code(title)?;
    finding(
        "title-job-code",
        format!("the title carries a code, number or date (`{code}`)"),
        "keep the plain job title; the URL (slug) already identifies the posting",
    )
}

fn punctuation_rule(title: &str) -> Option<Finding> {
    let c = title
        .chars()
        .find(|c| matches!(c, '!' | '*') || is_emoji(*c))?;
    finding(
        "title-punctuation",
        format!("the title contains `{c}`"),
        "Google and job boards reject titles with `!`, `*` or emoji: write the plain job title",
    )
}

fn shouting_rule(title: &str) -> Option<Finding> {
    let word = shouting(title)?;
    finding(
        "title-shouting",
        format!("the title shouts (`{word}`)"),
        "write the title in normal case, e.g. \"Senior Engineer\"",
    )
}

fn length_rule(title: &str) -> Option<Finding> {
    let length = title.chars().count();
    if length <= MAX_LENGTH {
        return None;
    }
    finding(
        "title-length",
        format!("the title is {length} characters long (more than {MAX_LENGTH})"),
        "job boards cut long titles: keep the job title, and move the rest to `summary` or the body",
    )
}

fn company_rule(site: &Site, title: &str) -> Option<Finding> {
    let company = &site.config.company.name;
    if !contains_words(title, company) {
        return None;
    }
    finding(
        "title-company",
        format!("the title names the company (`{company}`)"),
        "the company is sent with every posting; keep the plain job title",
    )
}

fn markup_rule(title: &str) -> Option<Finding> {
    let what = markup(title)?;
    finding(
        "title-markup",
        format!("the title carries markup-like characters (`{what}`)"),
        "Google wants the bare job title: leave out tags, quotes, brackets and entities such as `&amp;`",
    )
}

/// The first tag-like, quoting or bracketing character, or an HTML entity.
/// A lone `&` between words ("Research & Development", "R&D") is plain text.
fn markup(title: &str) -> Option<String> {
    if let Some(c) = title
        .chars()
        .find(|c| matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '[' | ']' | '\\'))
    {
        return Some(c.to_string());
    }
    title.match_indices('&').find_map(|(at, _)| {
        let rest = &title[at + 1..];
        let name = rest.split(';').next().filter(|_| rest.contains(';'))?;
        let entity = !name.is_empty()
            && name.len() <= 8
            && (name.chars().all(|c| c.is_ascii_alphanumeric())
                || name.strip_prefix('#').is_some_and(|n| {
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())
                }));
        entity.then(|| format!("&{name};"))
    })
}

/// Words of a title: runs of letters, digits and `-`/`#`/`.`/`/` inside them.
fn words(title: &str) -> impl Iterator<Item = &str> {
    title
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']' | '|' | ':' | ';')
        })
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '-' | '/' | '–' | '—')))
        .filter(|w| !w.is_empty())
}

/// True when `phrase` occurs in `title` as whole words, ignoring case.
fn contains_words(title: &str, phrase: &str) -> bool {
    let (title, phrase) = (title.to_lowercase(), phrase.to_lowercase());
    if phrase.trim().is_empty() {
        return false;
    }
    title.match_indices(&phrase).any(|(i, m)| {
        let before = title[..i].chars().next_back();
        let after = title[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn is_currency_symbol(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩' | '₪')
}

/// A word that reads as an amount of money: `$120k`, `90k`, `€50,000`.
fn is_amount(word: &str) -> bool {
    let w = word.trim_start_matches(is_currency_symbol);
    let digits = w.trim_end_matches(['k', 'K']);
    word.starts_with(is_currency_symbol)
        || (digits.len() < w.len()
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn salary(title: &str) -> Option<String> {
    if let Some(c) = title.chars().find(|c| is_currency_symbol(*c)) {
        return Some(c.to_string());
    }
    words(title)
        .find(|w| {
            is_amount(w)
                || (w.len() == 3
                    && w.chars().all(|c| c.is_ascii_uppercase())
                    && iso_currency::Currency::from_code(w).is_some())
                || matches!(w.to_lowercase().as_str(), "salary" | "/hr" | "/hour")
        })
        .map(str::to_string)
}

fn place(site: &Site, title: &str) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for l in &site.config.locations {
        names.extend(l.name.split(',').map(|p| p.trim().to_string()));
        names.extend(l.city.clone());
        names.push(
            l.country
                .parse::<iso_country::Country>()
                .map_or_else(|_| String::new(), |c| c.name().to_string()),
        );
    }
    for job in &site.jobs {
        for code in &job.posting.remote_countries {
            names.push(crate::outputs::jsonld::country_name(code));
        }
    }
    names.extend(REGION_NAMES.iter().map(|s| s.to_string()));
    names.retain(|n| n.chars().count() > 2);
    names.sort();
    names.dedup();
    // "Remote" is a place only as a part of its own: "Engineer (Remote)", not "Remote Sensing".
    let workplace = title
        .split(['(', ')', ',', '|', '–', '—', '/', '[', ']'])
        .flat_map(|part| part.split(" - "))
        .map(str::trim)
        .find(|part| WORKPLACE_WORDS.iter().any(|w| part.eq_ignore_ascii_case(w)))
        .map(str::to_string);
    names
        .into_iter()
        .find(|n| contains_words(title, n))
        .or(workplace)
        .or_else(|| {
            // Region codes of the site's offices, written in capitals: "(ON)", "NY".
            site.config
                .locations
                .iter()
                .filter_map(|l| l.region.as_deref())
                .filter(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
                .find(|r| words(title).any(|w| w == *r))
                .map(str::to_string)
        })
}

fn job_code(title: &str) -> Option<String> {
    words(title)
        .filter(|w| !is_amount(w))
        .find(|w| {
            let digits = w.chars().filter(char::is_ascii_digit).count();
            w.starts_with('#')
                || digits >= 3
                || matches!(w.to_lowercase().as_str(), "req" | "ref" | "requisition")
        })
        .map(str::to_string)
}

fn shouting(title: &str) -> Option<String> {
    let caps: Vec<&str> = words(title)
        .filter(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
        })
        .collect();
    let all_words = words(title)
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    caps.iter()
        .find(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 5
                && !ACRONYMS.contains(&w.to_uppercase().as_str())
        })
        .or_else(|| {
            (all_words >= 2 && caps.len() == all_words)
                .then(|| caps.first())
                .flatten()
        })
        .map(|w| w.to_string())
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salaries_codes_and_shouting_are_found() {
        assert_eq!(salary("Engineer $120k").as_deref(), Some("$"));
        assert_eq!(salary("Engineer 90k").as_deref(), Some("90k"));
        assert_eq!(salary("Engineer (EUR)").as_deref(), Some("EUR"));
        assert_eq!(salary("Senior Backend Engineer"), None);
        assert_eq!(job_code("Engineer $120k"), None, "pay, not a code");
        assert_eq!(job_code("Engineer REQ-1234").as_deref(), Some("REQ-1234"));
        assert_eq!(job_code("Engineer #42").as_deref(), Some("#42"));
        assert_eq!(job_code("Analyst 2027").as_deref(), Some("2027"));
        assert_eq!(job_code("People Operations Intern (6 months)"), None);
        assert_eq!(job_code("Level 3 Support"), None);
        assert_eq!(
            shouting("URGENT Backend Engineer").as_deref(),
            Some("URGENT")
        );
        assert_eq!(shouting("BACKEND ENGINEER").as_deref(), Some("BACKEND"));
        assert_eq!(shouting("SRE, Platform").as_deref(), None);
        assert_eq!(shouting("HVAC Technician"), None);
        assert_eq!(shouting("QA Engineer"), None);
        assert!(contains_words("Field Technician, Ontario", "ontario"));
        assert!(contains_words("Backend Engineer (Remote)", "remote"));
        assert!(!contains_words("Remoteness Analyst", "remote"));
        assert!(is_emoji('🚀'));
        assert_eq!(
            markup("Site Reliability Engineer <Infra> & \"Oncall\"").as_deref(),
            Some("<")
        );
        assert_eq!(
            markup("Sales &amp; Marketing Lead").as_deref(),
            Some("&amp;")
        );
        assert_eq!(markup("Engineer &#38; Analyst").as_deref(), Some("&#38;"));
        assert_eq!(markup("Research & Development Engineer"), None);
        assert_eq!(markup("R&D Engineer; Platform"), None);
        assert_eq!(markup("Engineer [Platform]").as_deref(), Some("["));
    }
}
