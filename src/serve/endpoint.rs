//! The seam for the application endpoint (`[apply] endpoint`): the server hands
//! POST and OPTIONS requests to a posting's endpoint path to an [`Endpoint`],
//! with the site and the renderer of the generation being served, so the form can
//! be answered through the theme. The endpoint itself lives elsewhere (`apply`);
//! until it exists, [`NotYet`] answers 501.

use crate::render::{PageJob, Renderer};
use crate::site::{Job, Site};
use minijinja::Value;

/// A request to the endpoint of one posting.
// The application endpoint (issue 6) reads what `NotYet` does not.
#[allow(dead_code)]
pub struct Target<'a> {
    /// The slug from the request path (`/apply/{slug}` -> `slug`).
    pub slug: &'a str,
    /// The published job with that slug, if there is one (closed ones included).
    pub job: Option<&'a Job>,
    pub site: &'a Site,
    pub renderer: &'a Renderer,
    /// The job's page as the build renders it, if the job exists.
    pub page: Option<&'a PageJob>,
}

#[allow(dead_code)]
impl Target<'_> {
    /// The job's page rendered again with `form` (`values`, `errors`) in its
    /// context, through the same templates as the build.
    pub fn render_job_page(
        &self,
        form: Value,
    ) -> Option<Result<String, crate::diagnostic::Diagnostic>> {
        let page = self.page?;
        let context = minijinja::context! { form => form, ..page.context.clone() };
        Some(self.renderer.render(page.template, &context))
    }
}

/// Answers requests to the application endpoint; must respond to `request`.
pub trait Endpoint: Send + Sync {
    fn handle(&self, request: tiny_http::Request, target: Target<'_>);
}

/// The endpoint before applications are received: 501 for every request.
pub struct NotYet;

impl Endpoint for NotYet {
    fn handle(&self, request: tiny_http::Request, target: Target<'_>) {
        let (status, text) = match target.job {
            None => (404, "There is no posting here.\n"),
            Some(_) => (
                501,
                "Applications are not received by this version of openings.\n",
            ),
        };
        let response = tiny_http::Response::from_string(text)
            .with_status_code(status)
            .with_header(super::http::header(
                "Content-Type",
                "text/plain; charset=utf-8",
            ));
        let _ = request.respond(response);
    }
}

/// The endpoint path pattern of a site: the part before and after `{slug}`. An
/// absolute endpoint URL (forms on a static host posting to this instance on
/// another origin) is answered at its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    prefix: String,
    suffix: String,
}

impl Pattern {
    pub fn of(site: &Site, renderer: &Renderer) -> Option<Pattern> {
        let endpoint = &site.config.apply.endpoint;
        let path = if endpoint.contains("://") {
            let marked = endpoint.replace("{slug}", "openings-slug-marker");
            url::Url::parse(&marked)
                .ok()?
                .path()
                .replace("openings-slug-marker", "\u{0}")
        } else {
            renderer.urls.endpoint(endpoint, "\u{0}")
        };
        let (prefix, suffix) = path.split_once('\u{0}')?;
        Some(Pattern {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
        })
    }

    #[cfg(test)]
    pub fn for_test(prefix: &str, suffix: &str) -> Pattern {
        Pattern {
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    /// The slug in a request path that matches the pattern.
    pub fn slug<'p>(&self, path: &'p str) -> Option<&'p str> {
        let slug = path
            .strip_prefix(&self.prefix)?
            .strip_suffix(&self.suffix)?;
        crate::content::is_slug(slug).then_some(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_finds_the_slug() {
        let p = Pattern {
            prefix: "/careers/apply/".into(),
            suffix: String::new(),
        };
        assert_eq!(
            p.slug("/careers/apply/backend-engineer"),
            Some("backend-engineer")
        );
        assert_eq!(p.slug("/careers/apply/a/b"), None);
        assert_eq!(p.slug("/apply/x"), None);
        let p = Pattern {
            prefix: "/jobs/".into(),
            suffix: "/apply".into(),
        };
        assert_eq!(p.slug("/jobs/x/apply"), Some("x"));
    }
}
