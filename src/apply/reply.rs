//! Words the endpoint's answers: for a browser, pages rendered through the
//! theme (the role page with the form sent back, "received", a closed role);
//! for `apply.js`, JSON. What to answer is decided in `endpoint`.

use super::exchange::{Response, json_response};
use super::form::Problem;
use crate::render::Renderer;
use crate::site::Site;
use minijinja::context;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Words answers for a browser (HTML through the theme) or `apply.js` (JSON).
pub struct Reply<'a> {
    pub json: bool,
    pub site: &'a Site,
    pub renderer: &'a Renderer,
}

impl Reply<'_> {
    fn html(
        &self,
        status: u16,
        rendered: Result<String, crate::diagnostic::Diagnostic>,
    ) -> Response {
        match rendered {
            Ok(html) => Response::new(status, "text/html; charset=utf-8", html.into_bytes()),
            Err(d) => {
                eprintln!("{}", d.render());
                Response::plain(500, "The page could not be rendered; see the server's log.")
            }
        }
    }

    /// An error with no form to show (unknown or closed posting).
    pub fn status(&self, status: u16, key: &str) -> Response {
        let message = self.renderer.string(key);
        if self.json {
            return json_response(status, &json!({"status": "error", "message": message}));
        }
        let context = context! { message, current_path => "" };
        let rendered = self.renderer.render("404.html", &context);
        self.html(status, rendered)
    }

    /// A closed role: its page (which says so, without a form), status 410.
    pub fn closed(&self, index: usize) -> Response {
        if self.json {
            let message = self.renderer.string("error_closed_posting");
            return json_response(410, &json!({"status": "closed", "message": message}));
        }
        let slug = &self.site.jobs[index].posting.slug;
        let context = context! {
            job => self.renderer.job_view(index),
            form => (),
            current_path => crate::urls::job(slug),
        };
        self.html(410, self.renderer.render("job.html", &context))
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
        let slug = &self.site.jobs[index].posting.slug;
        let context = context! {
            job => self.renderer.job_view(index),
            form => crate::render::to_value(json!({ "values": values, "errors": messages })),
            current_path => crate::urls::job(slug),
        };
        self.html(status, self.renderer.render("job.html", &context))
    }

    fn message(&self, field: &str, problem: Problem) -> String {
        let key = match (field, problem) {
            ("resume", Problem::Required) => "error_file_required".to_string(),
            (_, p) => format!("error_{}", p.code()),
        };
        let text = self.renderer.string(&key);
        match problem {
            Problem::FileSize(mb) => text.replace("{mb}", &mb.to_string()),
            Problem::TooLong(max) => text.replace("{max}", &max.to_string()),
            _ => text,
        }
    }

    pub fn received(&self, index: usize) -> Response {
        if self.json {
            let job = &self.site.jobs[index].posting;
            let message = self
                .renderer
                .string("received_text")
                .replace("{job}", &job.title)
                .replace("{company}", &self.site.config.company.name);
            return json_response(
                201,
                &json!({
                    "status": "received",
                    "title": self.renderer.string("received_heading"),
                    "message": message,
                    "next": self.renderer.string("received_next"),
                }),
            );
        }
        let slug = &self.site.jobs[index].posting.slug;
        let context = context! {
            job => self.renderer.job_view(index),
            current_path => crate::urls::job(slug),
        };
        self.html(200, self.renderer.render("received.html", &context))
    }
}
