//! What a build is asked for: the site folder, a base URL for previews, drafts
//! and the day; and the first stage, reading `site.toml` with those applied.

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::site;
use std::path::PathBuf;
use url::Url;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Overrides `base_url` of `site.toml` (preview deploys).
    pub base_url: Option<Url>,
    pub site: site::Options,
}

/// Loads the configuration, with `--base-url` applied.
pub fn load_config(options: &Options) -> Result<Config, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}
