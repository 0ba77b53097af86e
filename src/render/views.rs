//! What templates see: plain serialisable views of the site model, with URLs,
//! labels and display strings worked out once. The field names are the theme
//! contract documented in README.md.

use super::theme::ThemeFile;
use crate::content::Page;
use crate::content::posting::{
    EmploymentType, Per, Posting, Question, QuestionKind, Salary, Workplace,
};
use crate::format::{self, Strings};
use crate::node::Keyword;
use crate::site::{Group, Job, Site};
use crate::urls::{self, Urls};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub language: &'a str,
    /// `rtl` for a language written right to left, else `ltr`.
    pub dir: &'static str,
    /// The site's default language (the pages at the site's own URLs).
    pub default_language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    /// Absolute URL of `social_image` (the theme falls back to the logo).
    pub social_image: Option<String>,
    pub company: CompanyView<'a>,
    pub consent: &'a str,
    pub max_upload_mb: u64,
    /// The page icon the theme links (see [`icon`]).
    pub icon: Icon,
    pub extra: &'a serde_json::Value,
}

/// The icon browsers show in tabs and bookmarks.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Icon {
    pub url: String,
    /// Its media type, for `<link rel="icon" type>`.
    #[serde(rename = "type")]
    pub media_type: &'static str,
}

#[derive(Serialize)]
pub struct CompanyView<'a> {
    pub name: &'a str,
    pub website: Option<&'a str>,
    pub logo: Option<String>,
    pub logo_abs_url: Option<String>,
    /// The logo's width and height when it is an SVG or PNG among the static
    /// files, so that the page keeps its place for it while it loads.
    pub logo_size: Option<(u32, u32)>,
    pub description: Option<&'a str>,
    pub same_as: &'a [String],
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct LocationView {
    pub key: String,
    pub slug: String,
    pub name: String,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: String,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    /// The postal address on one line, when the location has a street or postal code.
    pub address: Option<String>,
    pub url: String,
    /// Open roles there; absent from a job's own locations, so that a job's view
    /// does not change when another role opens or closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Serialize)]
pub struct Labelled {
    pub value: &'static str,
    pub label: String,
}

#[derive(Serialize)]
pub struct Country {
    pub code: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct SalaryView {
    pub min: f64,
    pub max: f64,
    pub currency: String,
    pub per: Option<&'static str>,
    pub display: String,
}

#[derive(Serialize)]
pub struct QuestionView<'a> {
    pub id: &'a str,
    pub name: String,
    pub label: &'a str,
    pub kind: &'static str,
    pub required: bool,
    /// The answers to pick from: strings, or `{value, label}` where a
    /// translation words them (the value, which is stored, is the original's).
    pub options: Vec<OptionView<'a>>,
    pub help: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum OptionView<'a> {
    Same(&'a str),
    Worded { value: &'a str, label: &'a str },
}

#[derive(Serialize)]
pub struct JobView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub abs_url: String,
    /// The language the role's text is in.
    pub language: &'a str,
    /// The text is in another language than the page showing it (a role not
    /// translated yet, listed under its original title).
    pub foreign: bool,
    /// The name of `language` in itself (`English`), for the badge of a foreign role.
    pub language_name: &'a str,
    pub summary: String,
    pub department: Link,
    pub team: Option<&'a str>,
    pub locations: Vec<LocationView>,
    pub workplace: Option<Labelled>,
    pub remote_countries: Vec<Country>,
    pub employment_type: Option<Labelled>,
    pub seniority: Option<&'a str>,
    pub date: String,
    pub date_display: String,
    /// Days from `date` to the day of the build (0 for a date after it).
    pub age_days: i32,
    /// "Posted 3 days ago", counted to the day of the build.
    pub posted_ago: String,
    /// Posted fewer than `[listing] new_days` days before the day of the build.
    pub is_new: bool,
    pub valid_through: Option<String>,
    pub valid_through_display: Option<String>,
    pub updated: Option<String>,
    pub closed: bool,
    pub draft: bool,
    pub tags: &'a [String],
    pub salary: Option<SalaryView>,
    pub apply_url: Option<&'a str>,
    pub apply_endpoint: String,
    pub questions: Vec<QuestionView<'a>>,
    /// The posting's own text, not a copy (it is the largest part of a view).
    pub content: minijinja::Value,
    pub extra: &'a serde_json::Value,
    pub search_text: String,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub abs_url: String,
    pub content: &'a str,
    pub summary: String,
    pub updated: Option<String>,
    pub extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub struct Facet {
    pub value: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct GroupView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct Filters {
    pub departments: Vec<GroupView>,
    pub locations: Vec<LocationView>,
    pub workplaces: Vec<Facet>,
    pub employment_types: Vec<Facet>,
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// The language of a page not translated into this one (its title and
    /// link are the original's); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

pub fn site<'a>(site: &'a Site, urls: &Urls, images: &Images) -> SiteView<'a> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        language: &c.language,
        dir: if site.lang().rtl { "rtl" } else { "ltr" },
        default_language: &site.languages.all[0].tag,
        base_url: c.base_url.as_str(),
        base_path: c.base_path(),
        social_image: c.social_image.as_deref().map(|i| urls.absolute_link(i)),
        company: CompanyView {
            name: &c.company.name,
            website: c.company.website.as_deref(),
            logo: c.company.logo.as_deref().map(|l| urls.link(l)),
            logo_abs_url: c.company.logo.as_deref().map(|l| urls.absolute_link(l)),
            logo_size: images.logo_size,
            description: c.company.description.as_deref(),
            same_as: &c.company.same_as,
        },
        consent: &c.apply.consent,
        max_upload_mb: c.apply.max_upload_mb,
        icon: images.icon.clone(),
        extra: &c.extra,
    }
}

/// What the site's images are, as far as pages need to know.
#[derive(Clone, Debug, PartialEq)]
pub struct Images {
    pub icon: Icon,
    /// See [`CompanyView::logo_size`].
    pub logo_size: Option<(u32, u32)>,
}

/// The page icon and the logo's size. The icon is the company logo when that
/// is a square SVG or PNG among the static files (a wide logo would shrink to a
/// sliver in a browser tab), else `favicon.ico`, which the default theme ships
/// and a site's `static/` may replace.
pub fn images(site: &Site, urls: &Urls, statics: &BTreeMap<String, ThemeFile>) -> Images {
    let logo = site
        .config
        .company
        .logo
        .as_deref()
        .filter(|l| !l.contains("://"));
    let sized = logo.and_then(|logo| {
        let file = statics.get(logo.trim_start_matches('/'))?;
        let media_type = match logo.rsplit_once('.')?.1.to_ascii_lowercase().as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            _ => return None,
        };
        Some((logo, media_type, image_size(&file.bytes)?))
    });
    let icon = sized
        .filter(|(_, _, (w, h))| (w - h).abs() <= 0.1 * w.max(*h))
        .map(|(logo, media_type, _)| Icon {
            url: urls.link(logo),
            media_type,
        })
        .unwrap_or_else(|| Icon {
            url: urls.path_in("", "favicon.ico"),
            media_type: "image/x-icon",
        });
    Images {
        icon,
        logo_size: sized.map(|(_, _, (w, h))| (w.round() as u32, h.round() as u32)),
    }
}

/// Width and height of a PNG (its header) or an SVG (the root element's
/// `viewBox`, else its `width` and `height`).
fn image_size(bytes: &[u8]) -> Option<(f64, f64)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.get(12..16) == Some(b"IHDR") {
        let number = |at: usize| -> Option<f64> {
            let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
            Some(f64::from(u32::from_be_bytes(b)))
        };
        return Some((number(16)?, number(20)?));
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| -> Option<&str> {
        let at = tag
            .find(&format!(" {name}="))
            .or_else(|| tag.find(&format!("\n{name}=")))?;
        let rest = &tag[at + name.len() + 2..];
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        rest[1..].split(quote).next()
    };
    let number = |text: &str| text.trim().trim_end_matches("px").parse::<f64>().ok();
    let from_view_box = attribute("viewBox").and_then(|v| {
        let parts: Vec<&str> = v.split([' ', ',']).filter(|p| !p.is_empty()).collect();
        Some((number(parts.get(2)?)?, number(parts.get(3)?)?))
    });
    from_view_box
        .or_else(|| Some((number(attribute("width")?)?, number(attribute("height")?)?)))
        .filter(|(w, h)| *w > 0.0 && *h > 0.0)
}

pub fn department_url(urls: &Urls, group: &Group) -> String {
    urls.path(&urls::department(&group.slug))
}

pub fn location(site: &Site, urls: &Urls, group: &Group) -> LocationView {
    let l = site
        .config
        .location(&group.key)
        .expect("location groups come from site.toml");
    LocationView {
        key: l.key.clone(),
        slug: group.slug.clone(),
        name: l.name.clone(),
        city: l.city.clone(),
        region: l.region.clone(),
        country: l.country.clone(),
        street: l.street.clone(),
        postal_code: l.postal_code.clone(),
        address: format::address(l),
        url: urls.path(&urls::location(&group.slug)),
        count: Some(group.open.len()),
    }
}

pub fn group(urls: &Urls, group: &Group) -> GroupView {
    GroupView {
        name: group.name.clone(),
        slug: group.slug.clone(),
        url: department_url(urls, group),
        count: group.open.len(),
    }
}

pub fn job<'a>(site: &'a Site, urls: &Urls, strings: &Strings, job: &'a Job) -> JobView<'a> {
    let p = &job.posting;
    let department = site.department_of(job);
    let locations = job_locations(site, urls, p);
    let path = urls::job(&p.slug);
    let translated = p.language.is_some();
    let here = urls.is_here(translated);
    let language = if here {
        site.lang()
    } else {
        &site.languages.all[0]
    };
    let summary = crate::outputs::summary(p);
    let age_days = (site.today - p.posted()).get_days().max(0);
    let new_days = i32::try_from(site.config.listing.new_days).unwrap_or(i32::MAX);
    let search_text = search_text(p, &locations);
    JobView {
        title: &p.title,
        slug: &p.slug,
        abs_url: urls.item_absolute(translated, &path),
        url: urls.item_path(translated, &path),
        language: &language.tag,
        language_name: &language.name,
        foreign: !here,
        summary,
        department: Link {
            name: department.name.clone(),
            slug: department.slug.clone(),
            url: department_url(urls, department),
        },
        team: p.team.as_deref(),
        locations,
        workplace: p.workplace.map(|w| labelled(strings, "workplace", w)),
        remote_countries: p.remote_countries.iter().map(|c| country(c)).collect(),
        employment_type: p
            .employment_type
            .map(|e| labelled(strings, "employment", e)),
        seniority: p.seniority.as_deref(),
        date: p.posted().to_string(),
        date_display: strings.date(p.posted()),
        age_days,
        posted_ago: strings.posted_ago(age_days),
        is_new: age_days < new_days,
        valid_through: p.valid_through.map(|d| d.to_string()),
        valid_through_display: p.valid_through.map(|d| strings.date(d)),
        updated: p.updated.map(|d| d.to_string()),
        closed: job.closed,
        draft: p.draft,
        tags: &p.tags,
        salary: p.salary.as_ref().map(|s| salary(strings, s)),
        apply_url: p.apply_url.as_deref(),
        apply_endpoint: apply_endpoint(site, urls, p),
        questions: p.questions.iter().map(question).collect(),
        content: minijinja::Value::from(&p.content),
        extra: &p.extra,
        search_text,
    }
}

/// Where the form of a role posts: `[apply] endpoint`, with the page's
/// language for a further language, so that the answer comes back in it.
fn apply_endpoint(site: &Site, urls: &Urls, p: &Posting) -> String {
    let endpoint = urls.endpoint(&site.config.apply.endpoint, &p.slug);
    if site.language == 0 {
        return endpoint;
    }
    let join = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{join}lang={}", site.lang().tag)
}

/// The locations a job's view lists, without their job counts.
fn job_locations(site: &Site, urls: &Urls, p: &Posting) -> Vec<LocationView> {
    p.locations
        .iter()
        .filter_map(|key| site.locations.iter().find(|g| &g.key == key))
        .map(|g| LocationView {
            count: None,
            ..location(site, urls, g)
        })
        .collect()
}

/// What the listing's search box matches a job against, lower-cased.
fn search_text(p: &Posting, locations: &[LocationView]) -> String {
    let mut search = vec![p.title.clone(), p.department.clone()];
    search.extend(p.team.clone());
    search.extend(locations.iter().map(|l| l.name.clone()));
    search.extend(p.tags.iter().cloned());
    search.extend(p.seniority.clone());
    search.join(" ").to_lowercase()
}

fn country(code: &str) -> Country {
    Country {
        name: crate::outputs::jsonld::country_name(code),
        code: code.to_string(),
    }
}

fn salary(strings: &Strings, s: &Salary) -> SalaryView {
    SalaryView {
        min: s.min,
        max: s.max,
        currency: s.currency.clone(),
        per: s.per.map(Per::as_str),
        display: format::salary(strings, s),
    }
}

fn question(q: &Question) -> QuestionView<'_> {
    QuestionView {
        id: &q.id,
        name: format!("q_{}", q.id),
        label: &q.label,
        kind: QuestionKind::as_str(q.kind),
        required: q.required,
        options: q
            .options
            .iter()
            .zip(&q.option_labels)
            .map(|(value, label)| {
                if value == label {
                    OptionView::Same(value)
                } else {
                    OptionView::Worded { value, label }
                }
            })
            .collect(),
        help: q.help.as_deref(),
    }
}

pub fn page<'a>(urls: &Urls, page: &'a Page) -> PageView<'a> {
    let translated = page.language.is_some();
    PageView {
        title: &page.title,
        slug: &page.slug,
        url: urls.item_path(translated, &page.url_path),
        abs_url: urls.item_absolute(translated, &page.url_path),
        content: &page.content,
        summary: page
            .summary
            .clone()
            .unwrap_or_else(|| crate::markdown::truncate(&page.first_paragraph, 160)),
        updated: page.updated.map(|d| d.to_string()),
        extra: &page.extra,
    }
}

fn labelled<K: Keyword>(strings: &Strings, prefix: &str, k: K) -> Labelled {
    Labelled {
        value: k.as_str(),
        label: strings.label(prefix, k.as_str()),
    }
}

fn facets<K: Keyword + PartialEq>(
    site: &Site,
    strings: &Strings,
    prefix: &str,
    of: impl Fn(&Job) -> Option<K>,
) -> Vec<Facet> {
    K::ALL
        .iter()
        .map(|(value, k)| Facet {
            value,
            label: strings.label(prefix, value),
            count: site.open_jobs().filter(|(_, j)| of(j) == Some(*k)).count(),
        })
        .filter(|f| f.count > 0)
        .collect()
}

pub fn filters(site: &Site, urls: &Urls, strings: &Strings) -> Filters {
    Filters {
        departments: site
            .departments
            .iter()
            .filter(|g| !g.open.is_empty())
            .map(|g| group(urls, g))
            .collect(),
        locations: site
            .locations
            .iter()
            .filter(|g| !g.open.is_empty())
            .map(|g| location(site, urls, g))
            .collect(),
        workplaces: facets::<Workplace>(site, strings, "workplace", |j| j.posting.workplace),
        employment_types: facets::<EmploymentType>(site, strings, "employment", |j| {
            j.posting.employment_type
        }),
    }
}

pub fn nav(site: &Site, urls: &Urls) -> Vec<NavItem> {
    site.pages
        .iter()
        .map(|p| {
            let translated = p.language.is_some();
            NavItem {
                title: p.title.clone(),
                url: urls.item_path(translated, &p.url_path),
                lang: (!urls.is_here(translated)).then(|| site.languages.all[0].tag.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::image_size;

    #[test]
    fn image_sizes_come_from_the_png_header_or_the_svg_root() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(32u32.to_be_bytes());
        png.extend(16u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((32.0, 16.0)));
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 232 48" width="464">"#;
        assert_eq!(image_size(svg), Some((232.0, 48.0)));
        assert_eq!(
            image_size(br#"<svg width="64px" height='64'></svg>"#),
            Some((64.0, 64.0))
        );
        assert_eq!(image_size(b"<svg></svg>"), None);
        assert_eq!(image_size(b"GIF89a"), None);
    }
}
