//! The application endpoint: the one dynamic part of a careers site. A posting's
//! form is read with hard limits (`multipart`), checked against the posting's
//! own form definition (`form`), guarded by per-client limits (`limit`), stored
//! durably before the candidate hears "received" (`store`), and announced to an
//! optional webhook afterwards (`webhook`). `endpoint` decides what to answer,
//! `reply` words it, `http` connects it to `serve`; `admin` is what recruiters run.
//!
//! Not the HTTP server: `serve` owns sockets and hands requests over.

pub mod admin;
pub mod endpoint;
pub mod form;
pub mod http;
pub mod limit;
pub mod multipart;
pub mod reply;
pub mod store;
pub mod webhook;

use std::path::{Path, PathBuf};

/// The data folder of a site: `--data`, else `.openings/` in the site folder.
pub fn data_dir(root: &Path, data: Option<&Path>) -> PathBuf {
    data.map_or_else(|| root.join(".openings"), Path::to_path_buf)
}
