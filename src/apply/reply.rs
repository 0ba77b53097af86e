//! Words the endpoint's answers: for a browser, pages rendered through the
//! theme (the role page with the form sent back, "received", a closed role);
//! for `apply.js`, JSON. What to answer is decided in `endpoint`.

use super::exchange::{Response, json_response};
use super::form::Problem;
use crate::build::Generation;
use crate::render::PageJob;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Words answers for a browser (HTML through the theme) or `apply.js` (JSON).
pub struct Reply<'a> {
    pub json: bool,
    pub generation: &'a Generation,
}

impl Reply<'_> {
    fn html(&self, status: u16, page: PageJob) -> Response {
        match self.generation.render(&page) {
            Ok(html) => Response::new(status, "text/html; charset=utf-8", html.into_bytes()),
            Err(d) => {
                eprintln!("{}", d.render());
                Response::plain(500, "The page could not be rendered; see the server's log.")
            }
        }
    }

    /// An error with no form to show (unknown or closed posting).
    pub fn status(&self, status: u16, key: &str) -> Response {
        let message = self.generation.renderer.string(key);
        if self.json {
            return json_response(status, &json!({"status": "error", "message": message}));
        }
        self.html(status, self.generation.renderer.message_page(&message))
    }

    /// A closed role: its page (which says so, without a form), status 410.
    pub fn closed(&self, index: usize) -> Response {
        if self.json {
            let message = self.generation.renderer.string("error_closed_posting");
            return json_response(410, &json!({"status": "closed", "message": message}));
        }
        let g = self.generation;
        self.html(410, g.renderer.role_page(&g.site, index, ().into()))
    }

    /// The role page with the form sent back: answers filled in, errors by field.
    pub fn form(
        &self,
        status: u16,
        index: usize,
        values: &Map<String, Value>,
        errors: &BTreeMap<String, Problem>,
        general: Option<String>,
    ) -> Response {
        let mut messages: Map<String, Value> = errors
            .iter()
            .map(|(field, p)| (field.clone(), Value::from(self.message(field, *p))))
            .collect();
        if let Some(general) = general {
            messages.insert("_form".into(), general.into());
        }
        if self.json {
            return json_response(status, &json!({"status": "invalid", "errors": messages}));
        }
        let form = crate::render::to_value(json!({ "values": values, "errors": messages }));
        let g = self.generation;
        self.html(status, g.renderer.role_page(&g.site, index, form))
    }

    fn message(&self, field: &str, problem: Problem) -> String {
        let key = match (field, problem) {
            ("resume", Problem::Required) => "error_file_required".to_string(),
            (_, p) => format!("error_{}", p.code()),
        };
        let text = self.generation.renderer.string(&key);
        match problem {
            Problem::FileSize(mb) => text.replace("{mb}", &mb.to_string()),
            Problem::TooLong(max) => text.replace("{max}", &max.to_string()),
            _ => text,
        }
    }

    pub fn received(&self, index: usize) -> Response {
        let (site, renderer) = (&self.generation.site, &self.generation.renderer);
        if self.json {
            let job = &site.jobs[index].posting;
            let message = renderer
                .string("received_text")
                .replace("{job}", &job.title)
                .replace("{company}", &site.config.company.name);
            return json_response(
                201,
                &json!({
                    "status": "received",
                    "title": renderer.string("received_heading"),
                    "message": message,
                    "next": renderer.string("received_next"),
                }),
            );
        }
        self.html(200, renderer.received_page(site, index))
    }
}
