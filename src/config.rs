//! `site.toml`: the site's configuration, read into [`Config`] with every problem
//! reported at its line. Defaults live here; nothing else reads `site.toml`.

use crate::diagnostic::{Diagnostic, Source};
use crate::node::{self, Example, Node, Reader, Syntax, Value, opt};
use std::path::Path;
use url::Url;

use crate::layout::SITE_TOML as FILE_NAME;

mod languages;
mod notify;
pub use languages::Language;
pub use notify::{Department, Notify, PASSWORD_ENV, Security, posting_notify};

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, always ending in `/`.
    pub base_url: Url,
    pub language: String,
    /// `[languages.LANG]`: the further languages, in the order of `site.toml`.
    pub languages: Vec<Language>,
    /// The site's time zone (`timezone`, an IANA name; default the machine's):
    /// a posting's last day ends, and a scheduled one opens, at its midnight.
    pub timezone: jiff::tz::TimeZone,
    pub theme: String,
    /// Image for social cards (Open Graph, Twitter): a static file or an absolute URL.
    pub social_image: Option<String>,
    pub company: Company,
    /// In the order of `site.toml`.
    pub locations: Vec<Location>,
    pub apply: Apply,
    pub check: CheckSettings,
    pub listing: ListingSettings,
    /// `[notify]`: email to the hiring team (and the candidate's confirmation).
    pub notify: Option<Notify>,
    /// `[departments.NAME]`, by the name postings give in `department`.
    pub departments: std::collections::BTreeMap<String, Department>,
    pub extra: serde_json::Value,
}

/// `[listing]`: how listings present roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingSettings {
    /// A role posted fewer than this many days ago is marked "New" (0: never).
    pub new_days: u32,
}

impl Default for ListingSettings {
    fn default() -> Self {
        ListingSettings { new_days: 14 }
    }
}

/// `[check]`: thresholds of `openings check` (command-line flags override them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSettings {
    /// An open posting not posted or updated for longer than this is stale.
    pub max_age_days: u32,
    /// A posting closing within this many days is reported.
    pub expiring_within_days: u32,
    /// A translation older than its original by more than this is stale.
    pub translation_lag_days: u32,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            max_age_days: 60,
            expiring_within_days: 14,
            translation_lag_days: 30,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    pub website: Option<String>,
    pub logo: Option<String>,
    pub description: Option<String>,
    pub same_as: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub key: String,
    pub name: String,
    pub city: Option<String>,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Apply {
    /// Form action; `{slug}` is replaced by the posting's slug. Site-relative
    /// (resolved under the base path) or an absolute URL.
    pub endpoint: String,
    pub max_upload_mb: u64,
    pub allowed_origins: Vec<String>,
    pub consent: String,
    pub retention_days: Option<u64>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Receives a JSON summary of each application after it is stored.
    pub webhook: Option<String>,
    /// Applications one client may send per minute (0: no limit).
    pub rate_limit: u32,
    /// Email the candidate a confirmation (with `[notify]`).
    pub confirm: bool,
}

const DEFAULT_CONSENT: &str =
    "I agree that my application is stored and processed to consider me for this role.";

impl Config {
    /// The base URL's path, e.g. `/careers/` (always starts and ends with `/`).
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }

    pub fn location(&self, key: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.key == key)
    }

    /// Today's date in the site's time zone.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now()
            .to_zoned(self.timezone.clone())
            .date()
    }
}

/// Reads `site.toml` at the root of a site.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![
                Diagnostic::error("no-site", format!("no {FILE_NAME} in {}", display_dir(root)))
                    .with_hint("run openings in a site folder, pass --root path/to/site, or create one with `openings init NAME`"),
            ]);
        }
        Err(e) => {
            return Err(vec![Diagnostic::in_file(
                "io",
                Path::new(FILE_NAME),
                format!("cannot read {FILE_NAME}: {e}"),
            )]);
        }
    };
    let source = Source::new(FILE_NAME, text);
    let tree = node::parse_toml(&source, &source.text, 0).map_err(|d| vec![d])?;
    let mut reader = Reader::new(&source, Syntax::Toml);
    let config = read(&mut reader, &tree, root);
    match config {
        Some(config) if reader.is_clean() => Ok(config),
        _ => {
            let mut problems = reader.into_diagnostics();
            crate::diagnostic::sort(&mut problems);
            Err(problems)
        }
    }
}

fn display_dir(root: &Path) -> String {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        "the current folder".into()
    } else {
        root.display().to_string()
    }
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "languages",
    "timezone",
    "theme",
    "social_image",
    "company",
    "locations",
    "apply",
    "check",
    "listing",
    "notify",
    "departments",
    "extra",
];
const COMPANY_KEYS: &[&str] = &["name", "website", "logo", "description", "same_as"];
const LOCATION_KEYS: &[&str] = &["name", "city", "region", "country", "street", "postal_code"];
const CHECK_KEYS: &[&str] = &["max_age", "expiring_within", "translation_lag"];
const LISTING_KEYS: &[&str] = &["new_days"];
const APPLY_KEYS: &[&str] = &[
    "endpoint",
    "max_upload_mb",
    "allowed_origins",
    "consent",
    "retention_days",
    "trust_proxy",
    "webhook",
    "rate_limit",
    "confirm",
    "languages",
];

// One key per line, every key read before the first `?` so that all the
// file's errors come out in one build: long on purpose.
fn read(r: &mut Reader<'_>, tree: &Node, root: &Path) -> Option<Config> {
    let top = r.table(tree, "", KEYS, " Theme data goes under [extra].")?;
    let title = r
        .required(&top, "title", Example::Text("Careers at Acme"))
        .and_then(|n| r.text(n, "title"));
    let base_url = r
        .required(
            &top,
            "base_url",
            Example::Text("https://acme.example/careers/"),
        )
        .and_then(|n| base_url(r, n));
    let language = match top.get("language") {
        Some(n) => r
            .text(n, "language")
            .filter(|l| languages::language_ok(r, n, l)),
        None => Some("en".into()),
    };
    let timezone = match top.get("timezone") {
        Some(n) => r
            .text(n, "timezone")
            .and_then(|name| time_zone(r, n, &name)),
        None => Some(jiff::tz::TimeZone::system()),
    };
    let theme = match top.get("theme") {
        Some(n) => r.text(n, "theme").filter(|t| theme_ok(r, n, t, root)),
        None => Some("default".into()),
    };
    let company = match r.required(
        &top,
        "company",
        Example::Table("name", &Example::Text("Acme")),
    ) {
        Some(n) => company(r, n),
        None => None,
    };
    let locations = top
        .get("locations")
        .map_or(Some(Vec::new()), |n| locations(r, n));
    let apply = top
        .get("apply")
        .map_or_else(|| Some(default_apply()), |n| apply(r, n));
    let social_image = opt(r, &top, "social_image", Reader::text);
    let check = top
        .get("check")
        .map_or(Some(CheckSettings::default()), |n| check(r, n));
    let listing = top
        .get("listing")
        .map_or(Some(ListingSettings::default()), |n| listing(r, n));
    let notify = opt(r, &top, "notify", |r, n, _| notify::notify(r, n));
    let departments = top
        .get("departments")
        .map_or(Some(Default::default()), |n| notify::departments(r, n));
    let extra = top
        .get("extra")
        .map_or(serde_json::Value::Null, Node::to_json);
    let mut languages = top.get("languages").map_or(Some(Vec::new()), |n| {
        languages::languages(r, n, language.as_deref())
    });
    let apply_languages = top.get("apply").and_then(languages::of_apply);
    let consents = match (languages.as_mut(), apply_languages) {
        (Some(languages), Some(n)) => languages::apply_languages(r, n, languages),
        _ => Some(()),
    };
    if let (Some(languages), Some(locations)) = (&languages, &locations) {
        let known: Vec<&str> = locations.iter().map(|l| l.key.as_str()).collect();
        languages::check_location_names(r, &top, languages, &known);
    }
    consents?;
    Some(Config {
        title: title?,
        base_url: base_url?,
        language: language?,
        languages: languages?,
        timezone: timezone?,
        theme: theme?,
        social_image: social_image?,
        company: company?,
        locations: locations?,
        apply: apply?,
        check: check?,
        listing: listing?,
        notify: notify?,
        departments: departments?,
        extra,
    })
}

/// Parses and normalises a base URL (adds the trailing `/`).
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url =
        Url::parse(text.trim()).map_err(|e| format!("`{text}` is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{text}` must start with https:// or http://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{text}` must not have a query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn base_url(r: &mut Reader<'_>, node: &Node) -> Option<Url> {
    let text = r.text(node, "base_url")?;
    match parse_base_url(&text) {
        Ok(url) => Some(url),
        Err(message) => {
            r.error("invalid-url", node.span.clone(), message).hint = Some(
                "use the address the site is published at, e.g. \"https://acme.example/careers/\""
                    .into(),
            );
            None
        }
    }
}

fn time_zone(r: &mut Reader<'_>, node: &Node, name: &str) -> Option<jiff::tz::TimeZone> {
    match jiff::tz::TimeZone::get(name) {
        Ok(zone) => Some(zone),
        Err(_) => {
            r.error(
                "invalid-value",
                node.span.clone(),
                format!("`{name}` is not a time zone"),
            )
            .hint = Some(
                "use an IANA time zone name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\""
                    .into(),
            );
            None
        }
    }
}

fn theme_ok(r: &mut Reader<'_>, node: &Node, theme: &str, root: &Path) -> bool {
    if theme == "default"
        || root
            .join(crate::layout::THEMES)
            .join(theme)
            .join(crate::layout::TEMPLATES)
            .is_dir()
    {
        return true;
    }
    r.error(
        "unknown-theme",
        node.span.clone(),
        format!("theme `{theme}` not found"),
    )
    .hint = Some(format!(
        "a theme lives in themes/{theme}/templates/ of the site; \"default\" is built in"
    ));
    false
}

/// The hint for a URL of `site.toml` that is not absolute.
const SITE_URL: &str = "e.g. \"https://acme.example\"";

/// An absolute http(s) URL; `example` is the hint when it is not one.
pub fn absolute_url(r: &mut Reader<'_>, node: &Node, field: &str, example: &str) -> Option<String> {
    let text = r.text(node, field)?;
    match Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(text),
        _ => {
            r.error(
                "invalid-url",
                node.span.clone(),
                format!("`{field}` must be an absolute http(s) URL"),
            )
            .hint = Some(example.into());
            None
        }
    }
}

fn company(r: &mut Reader<'_>, node: &Node) -> Option<Company> {
    let t = r.table(node, "company", COMPANY_KEYS, "")?;
    let name = r
        .required(&t, "name", Example::Text("Acme"))
        .and_then(|n| r.text(n, "company.name"));
    let website = opt(r, &t, "website", |r, n, key| {
        absolute_url(r, n, key, SITE_URL)
    });
    let logo = opt(r, &t, "logo", Reader::text);
    let description = opt(r, &t, "description", Reader::text);
    let mut same_as = Some(Vec::new());
    if let Some(n) = t.get("same_as") {
        same_as = match &n.value {
            Value::Array(items) => items
                .iter()
                .map(|i| absolute_url(r, i, "same_as", SITE_URL))
                .collect(),
            _ => r.string_list(n, "same_as").map(|_| Vec::new()),
        };
    }
    Some(Company {
        name: name?,
        website: website?,
        logo: logo?,
        description: description?,
        same_as: same_as?,
    })
}

fn locations(r: &mut Reader<'_>, node: &Node) -> Option<Vec<Location>> {
    let Value::Table(entries) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`locations` must be a table of locations",
        )
        .hint = Some(
            "write each location as [locations.berlin] followed by name = ..., country = ..."
                .into(),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in entries {
        if !crate::urls::is_slug(&key.name) {
            r.error(
                "invalid-key",
                key.span.clone(),
                format!(
                    "location key `{}` must be lower-case letters, digits and hyphens",
                    key.name
                ),
            )
            .hint = Some(format!("rename it to `{}`", slug::slugify(&key.name)));
            ok = false;
            continue;
        }
        match location(r, &key.name, value) {
            Some(l) => out.push(l),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn location(r: &mut Reader<'_>, key: &str, node: &Node) -> Option<Location> {
    let field = format!("locations.{key}");
    let t = r.table(node, &field, LOCATION_KEYS, "")?;
    let name = r
        .required(&t, "name", Example::Text("Berlin, Germany"))
        .and_then(|n| r.text(n, "name"));
    let country = r
        .required(&t, "country", Example::Text("DE"))
        .and_then(|n| country_code(r, n, "country"));
    Some(Location {
        key: key.to_string(),
        name: name?,
        city: opt(r, &t, "city", Reader::text)?,
        region: opt(r, &t, "region", Reader::text)?,
        country: country?,
        street: opt(r, &t, "street", Reader::text)?,
        postal_code: opt(r, &t, "postal_code", Reader::text)?,
    })
}

/// An ISO 3166-1 alpha-2 country code, returned in upper case.
pub fn country_code(r: &mut Reader<'_>, node: &Node, field: &str) -> Option<String> {
    let text = r.text(node, field)?;
    let upper = text.to_ascii_uppercase();
    if upper.len() == 2 && upper.parse::<iso_country::Country>().is_ok() {
        return Some(upper);
    }
    let hint = match iso_country::Country::from_name(&text) {
        Some(c) => format!("did you mean \"{c:?}\"? Countries are ISO 3166-1 alpha-2 codes"),
        None => "use an ISO 3166-1 alpha-2 code such as \"DE\", \"PT\" or \"US\"".into(),
    };
    r.error(
        "invalid-country",
        node.span.clone(),
        format!("`{text}` is not an ISO 3166-1 country code"),
    )
    .hint = Some(hint);
    None
}

fn check(r: &mut Reader<'_>, node: &Node) -> Option<CheckSettings> {
    let t = r.table(node, "check", CHECK_KEYS, "")?;
    let mut settings = CheckSettings::default();
    let mut ok = true;
    for (key, field) in [
        ("max_age", &mut settings.max_age_days),
        ("expiring_within", &mut settings.expiring_within_days),
        ("translation_lag", &mut settings.translation_lag_days),
    ] {
        let Some(n) = t.get(key) else { continue };
        let days = match &n.value {
            Value::Int(days) => u32::try_from(*days)
                .map_err(|_| format!("`{key}` must be a positive number of days")),
            Value::Str(text) => crate::duration::days(text),
            _ => Err(format!(
                "`{key}` must be a number of days such as \"30d\" or \"2w\""
            )),
        };
        match days {
            Ok(days) => *field = days,
            Err(message) => {
                r.error("invalid-value", n.span.clone(), message).hint =
                    Some(format!("e.g. {key} = \"30d\""));
                ok = false;
            }
        }
    }
    ok.then_some(settings)
}

fn listing(r: &mut Reader<'_>, node: &Node) -> Option<ListingSettings> {
    let t = r.table(node, "listing", LISTING_KEYS, "")?;
    let mut settings = ListingSettings::default();
    if let Some(n) = t.get("new_days") {
        match r.integer(n, "new_days") {
            Some(days) if (0..=365).contains(&days) => settings.new_days = days as u32,
            Some(_) => {
                r.error(
                    "invalid-value",
                    n.span.clone(),
                    "`new_days` must be a number of days from 0 (no \"New\" badge) to 365",
                )
                .hint = Some("e.g. new_days = 14".into());
                return None;
            }
            None => return None,
        }
    }
    Some(settings)
}

fn default_apply() -> Apply {
    Apply {
        endpoint: crate::urls::DEFAULT_ENDPOINT.into(),
        max_upload_mb: 10,
        allowed_origins: Vec::new(),
        consent: DEFAULT_CONSENT.into(),
        retention_days: None,
        trust_proxy: false,
        webhook: None,
        rate_limit: 10,
        confirm: true,
    }
}

fn apply(r: &mut Reader<'_>, node: &Node) -> Option<Apply> {
    let t = r.table(node, "apply", APPLY_KEYS, "")?;
    let endpoint = opt(r, &t, "endpoint", endpoint);
    let max_upload_mb = opt(r, &t, "max_upload_mb", |r, n, key| {
        let hint = Some("10 fits most resumes");
        r.integer_in(
            n,
            key,
            1..=100,
            "`max_upload_mb` must be between 1 and 100",
            hint,
        )
    });
    let allowed_origins = opt(r, &t, "allowed_origins", origins);
    let consent = opt(r, &t, "consent", Reader::text);
    let retention_days = opt(r, &t, "retention_days", |r, n, key| {
        let message = "`retention_days` must be a positive number of days";
        r.integer_in(n, key, 1..=i64::MAX, message, None)
    });
    let trust_proxy = opt(r, &t, "trust_proxy", Reader::boolean);
    let webhook = opt(r, &t, "webhook", |r, n, key| {
        absolute_url(r, n, key, SITE_URL)
    });
    let rate_limit = opt(r, &t, "rate_limit", |r, n, key| {
        let message = "`rate_limit` must be between 0 (no limit) and 10000 applications per minute";
        let hint = Some("10 per minute per client suits a careers site");
        r.integer_in(n, key, 0..=10_000, message, hint)
    });
    let confirm = opt(r, &t, "confirm", Reader::boolean);
    let d = default_apply();
    Some(Apply {
        endpoint: endpoint?.unwrap_or(d.endpoint),
        max_upload_mb: max_upload_mb?.map_or(d.max_upload_mb, |mb| mb as u64),
        allowed_origins: allowed_origins?.unwrap_or(d.allowed_origins),
        consent: consent?.unwrap_or(d.consent),
        retention_days: retention_days?.map(|days| days as u64),
        trust_proxy: trust_proxy?.unwrap_or(d.trust_proxy),
        webhook: webhook?,
        rate_limit: rate_limit?.map_or(d.rate_limit, |n| n as u32),
        confirm: confirm?.unwrap_or(d.confirm),
    })
}

/// `[apply] endpoint`: site-relative (`/...`) or an absolute http(s) URL.
fn endpoint(r: &mut Reader<'_>, n: &Node, key: &str) -> Option<String> {
    let e = r.text(n, key)?;
    if e.starts_with('/') || Url::parse(&e).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return Some(e);
    }
    r.error(
        "invalid-url",
        n.span.clone(),
        "`endpoint` must start with `/` or be an absolute http(s) URL",
    )
    .hint = Some("e.g. \"/apply/{slug}\" or \"https://apply.acme.example/apply/{slug}\"".into());
    None
}

/// `[apply] allowed_origins`: a list of absolute URLs.
fn origins(r: &mut Reader<'_>, n: &Node, key: &str) -> Option<Vec<String>> {
    match &n.value {
        Value::Array(items) => items
            .iter()
            .map(|i| absolute_url(r, i, key, SITE_URL))
            .collect(),
        // Not a list: the list reader says so.
        _ => r.string_list(n, key).map(|_| Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_a_trailing_slash() {
        assert_eq!(
            parse_base_url("https://x.example/careers")
                .unwrap()
                .as_str(),
            "https://x.example/careers/"
        );
        assert_eq!(parse_base_url("https://x.example").unwrap().path(), "/");
        assert!(parse_base_url("/careers/").is_err());
        assert!(parse_base_url("ftp://x.example/").is_err());
    }

    #[test]
    fn days_take_a_unit() {
        assert_eq!(crate::duration::days("14d"), Ok(14));
        assert_eq!(crate::duration::days("2w"), Ok(14));
        assert_eq!(crate::duration::days("30"), Ok(30));
        assert!(crate::duration::days("two weeks").is_err());
        assert!(crate::duration::days("-3d").is_err());
    }
}
