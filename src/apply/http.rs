//! The seam between `serve`'s tiny_http requests and the endpoint: turns a
//! request to a posting's endpoint into an [`endpoint::Request`], and the
//! answer back into an HTTP response. Also opens the store a server uses.

use super::endpoint::{self, Endpoint};
use super::store::{SqliteStore, db_path};
use crate::diagnostic::Diagnostic;
use crate::serve::endpoint::Target;
use std::path::Path;
use std::sync::Arc;

impl crate::serve::endpoint::Endpoint for Endpoint {
    fn handle(&self, mut request: tiny_http::Request, target: Target<'_>) {
        let method = request.method().as_str().to_string();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_string(),
                    h.value.as_str().to_string(),
                )
            })
            .collect();
        let remote = crate::serve::guard::peer(&request);
        let answer = self.answer(
            endpoint::Request {
                method: &method,
                headers,
                remote,
                body: request.as_reader(),
            },
            target.slug,
            target.site,
            target.renderer,
        );
        let mut response =
            tiny_http::Response::from_data(answer.body).with_status_code(answer.status);
        for (name, value) in &answer.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        if answer.close {
            // The rest of an unread body must not be taken for the next request.
            response.add_header(crate::serve::http::header("Connection", "close"));
        }
        let _ = request.respond(response);
    }
}

/// Folders of a site whose files end up public: a data folder inside one of
/// them would publish applications.
const PUBLISHED: &[&str] = &["public", "static", "content", "templates", "themes"];

/// The endpoint a server answers forms with: `data` (production) or the dev
/// store `.openings/dev.db` in the site folder.
pub fn start(
    root: &Path,
    output: &Path,
    data: Option<&Path>,
    production: bool,
    config: &crate::config::Config,
) -> Result<Endpoint, Diagnostic> {
    let dir = super::data_dir(root, data);
    let served: Vec<std::path::PathBuf> = std::iter::once(output.to_path_buf())
        .chain(PUBLISHED.iter().map(|p| root.join(p)))
        .collect();
    for folder in &served {
        endpoint::check_data_dir(&dir, folder).map_err(|message| {
            Diagnostic::error("unsafe-data-folder", message)
                .with_hint("keep applications outside the site, e.g. --data /var/lib/openings")
        })?;
    }
    let store = SqliteStore::open(&db_path(&dir, !production)).map_err(|e| {
        Diagnostic::error("store", e.to_string())
            .with_hint("check that the data folder is writable, or choose another with --data")
    })?;
    Ok(Endpoint::new(&config.apply, Arc::new(store), production))
}
