//! The application endpoint as the server holds it: the `apply` endpoint over
//! the data folder, started at once, or (dev mode, when `site.toml` could not be
//! read at start) once the first application comes, with the configuration of
//! the site being served. Turns a request on a connection into the endpoint's
//! own request type and hands it over; and knows the endpoint's path pattern.

use super::head::Head;
use super::memory::Memory;
use crate::apply::endpoint::Endpoint;
use crate::apply::exchange::{Request, Response};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::site::Site;
use std::io::Read;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Starts the endpoint for a site's configuration.
pub type Start = Box<dyn Fn(&Config) -> Result<Endpoint, Diagnostic> + Send + Sync>;

pub struct Applications {
    start: Option<Start>,
    started: Mutex<Option<Arc<Endpoint>>>,
}

impl Applications {
    pub fn ready(endpoint: Endpoint) -> Applications {
        Applications {
            start: None,
            started: Mutex::new(Some(Arc::new(endpoint))),
        }
    }

    /// Started with the served site's configuration when the first application
    /// comes (and again after a failed start).
    pub fn deferred(start: Start) -> Applications {
        Applications {
            start: Some(start),
            started: Mutex::new(None),
        }
    }

    fn endpoint(&self, config: &Config) -> Result<Arc<Endpoint>, Diagnostic> {
        let mut started = self.started.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(endpoint) = started.as_ref() {
            return Ok(endpoint.clone());
        }
        let start = self
            .start
            .as_ref()
            .expect("an endpoint or a way to start one");
        let endpoint = Arc::new(start(config)?);
        *started = Some(endpoint.clone());
        Ok(endpoint)
    }

    /// Answers a request to the endpoint of the posting `slug` of the site served.
    pub fn answer(
        &self,
        head: &Head,
        body: &mut (dyn Read + Send),
        peer: IpAddr,
        slug: &str,
        memory: Option<&Memory>,
    ) -> Response {
        let Some(memory) = memory else {
            return Response::plain(503, "The site does not build yet.").closing();
        };
        let g = &memory.generation;
        let endpoint = match self.endpoint(&g.site.config) {
            Ok(endpoint) => endpoint,
            Err(d) => {
                let text = format!("The application endpoint could not start: {}", d.message);
                return Response::plain(503, &text).closing();
            }
        };
        let request = Request {
            method: &head.method,
            headers: head.headers.clone(),
            remote: Some(peer),
            body,
        };
        endpoint.answer(request, slug, g.answering(language(&head.target), slug))
    }

    /// Whether the store answers; fine while the endpoint has not started.
    pub fn health(&self) -> Result<(), String> {
        let started = self
            .started
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        started.map_or(Ok(()), |endpoint| endpoint.health())
    }
}

/// The language a form posts from: `lang` of the request target's query
/// (see `views::apply_endpoint`).
fn language(target: &str) -> Option<&str> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .filter(|tag| !tag.is_empty())
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
        crate::urls::is_slug(slug).then_some(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_query() {
        assert_eq!(language("/apply/x?lang=de"), Some("de"));
        assert_eq!(language("/apply/x?a=1&lang=pt-BR"), Some("pt-BR"));
        assert_eq!(language("/apply/x"), None);
        assert_eq!(language("/apply/x?lang="), None);
    }

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
