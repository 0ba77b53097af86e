//! The seam for the application endpoint (`[apply] endpoint`): the server hands
//! POST and OPTIONS requests to a posting's endpoint path to an [`Endpoint`],
//! with the site and the renderer of the generation being served, so the form can
//! be answered through the theme. The endpoint itself lives elsewhere (`apply`);
//! [`Deferred`] starts it once the site has a configuration.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::site::Site;
use std::sync::{Arc, Mutex};

/// A request to the endpoint of one posting.
pub struct Target<'a> {
    /// The slug from the request path (`/apply/{slug}` -> `slug`).
    pub slug: &'a str,
    pub site: &'a Site,
    pub renderer: &'a Renderer,
}

/// Answers requests to the application endpoint; must respond to `request`.
pub trait Endpoint: Send + Sync {
    fn handle(&self, request: tiny_http::Request, target: Target<'_>);
}

/// Starts the endpoint for a site's configuration.
pub type Start = Box<dyn Fn(&Config) -> Result<Box<dyn Endpoint>, Diagnostic> + Send + Sync>;

/// The dev server's endpoint when `site.toml` could not be read at start: the
/// real one is started with the configuration of the site being served when
/// the first application comes (and again after a failed start).
pub struct Deferred {
    start: Start,
    started: Mutex<Option<Arc<dyn Endpoint>>>,
}

impl Deferred {
    pub fn new(start: Start) -> Deferred {
        Deferred {
            start,
            started: Mutex::new(None),
        }
    }
}

impl Endpoint for Deferred {
    fn handle(&self, request: tiny_http::Request, target: Target<'_>) {
        let started = {
            let mut started = self.started.lock().unwrap_or_else(|e| e.into_inner());
            if started.is_none() {
                match (self.start)(&target.site.config) {
                    Ok(endpoint) => *started = Some(Arc::from(endpoint)),
                    Err(d) => {
                        let text =
                            format!("The application endpoint could not start: {}\n", d.message);
                        let response = tiny_http::Response::from_string(text)
                            .with_status_code(503)
                            .with_header(super::http::header(
                                "Content-Type",
                                "text/plain; charset=utf-8",
                            ));
                        let _ = request.respond(response);
                        return;
                    }
                }
            }
            started.clone().expect("started above")
        };
        started.handle(request, target);
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
