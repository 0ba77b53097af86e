//! Finds the theme's files: templates, static files and strings, layered so that a
//! site's own `templates/`, `static/` and `i18n/` override the theme's, and the
//! built-in default theme (embedded in the binary) fills in anything missing.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Source};
use crate::layout;
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default theme, compiled into the binary so new sites need no copy of it.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file of the theme or site: its contents and the path to show in messages.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub shown_as: PathBuf,
    pub bytes: Vec<u8>,
}

/// Everything the renderer needs from the theme and the site's overrides.
#[derive(Debug, Default, Clone)]
pub struct Theme {
    /// Template name (e.g. `job.html`, `partials/form.html`) -> file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Output path (e.g. `style.css`, `img/logo.svg`) -> file.
    pub statics: BTreeMap<String, ThemeFile>,
    /// Merged theme strings for the site's language.
    pub strings: serde_json::Map<String, serde_json::Value>,
    /// Every layer's `i18n/` files, lowest layer first, for the strings of
    /// the site's other languages ([`Theme::in_language`]).
    i18n: Vec<Vec<(String, ThemeFile)>>,
}

/// One place files come from, lowest priority first in [`layers`].
enum Layer<'a> {
    Embedded(&'a Dir<'static>),
    Disk(PathBuf, PathBuf),
}

fn layers(root: &Path, config: &Config) -> Vec<Layer<'static>> {
    let mut layers = vec![Layer::Embedded(&DEFAULT_THEME)];
    let theme_dir = Path::new(layout::THEMES).join(&config.theme);
    if root.join(&theme_dir).is_dir() {
        layers.push(Layer::Disk(root.join(&theme_dir), theme_dir));
    }
    layers.push(Layer::Disk(root.to_path_buf(), PathBuf::new()));
    layers
}

impl Layer<'_> {
    /// Files under `sub` (e.g. `templates`), as (relative name, file).
    fn files(&self, sub: &str) -> Result<Vec<(String, ThemeFile)>, Diagnostic> {
        let mut out = Vec::new();
        match self {
            Layer::Embedded(dir) => {
                let Some(dir) = dir.get_dir(sub) else {
                    return Ok(out);
                };
                collect_embedded(dir, Path::new(sub), &mut out);
            }
            Layer::Disk(abs, shown) => {
                let base = abs.join(sub);
                if !base.is_dir() {
                    return Ok(out);
                }
                for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                    let entry = entry.map_err(|e| {
                        Diagnostic::error("io", format!("cannot read {}: {e}", base.display()))
                    })?;
                    let hidden = entry.file_name().to_string_lossy().starts_with('.');
                    if !entry.file_type().is_file() || hidden {
                        continue;
                    }
                    let rel = entry
                        .path()
                        .strip_prefix(&base)
                        .expect("walkdir stays under its root");
                    let name = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    let shown_as = shown.join(sub).join(rel);
                    let bytes = std::fs::read(entry.path()).map_err(|e| {
                        Diagnostic::in_file("io", &shown_as, format!("cannot read this file: {e}"))
                    })?;
                    out.push((name, ThemeFile { shown_as, bytes }));
                }
            }
        }
        Ok(out)
    }
}

fn collect_embedded(dir: &Dir<'static>, base: &Path, out: &mut Vec<(String, ThemeFile)>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(base).unwrap_or(file.path());
        let name = rel.to_string_lossy().replace('\\', "/");
        let shown_as = Path::new("(built-in theme)").join(file.path());
        out.push((
            name,
            ThemeFile {
                shown_as,
                bytes: file.contents().to_vec(),
            },
        ));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, base, out);
    }
}

/// Loads the theme's templates, static files and strings for a site.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut problems = Vec::new();
    let mut i18n = Vec::new();
    for layer in layers(root, config) {
        match layer.files(layout::TEMPLATES) {
            Ok(files) => theme.templates.extend(files),
            Err(d) => problems.push(d),
        }
        match layer.files(layout::STATIC) {
            Ok(files) => theme.statics.extend(files),
            Err(d) => problems.push(d),
        }
        match layer.files(layout::I18N) {
            Ok(files) => i18n.push(files),
            Err(d) => problems.push(d),
        }
    }
    match merged_strings(&i18n, &config.language) {
        Ok(strings) => theme.strings = strings,
        Err(d) => problems.extend(d),
    }
    theme.i18n = i18n;
    if problems.is_empty() {
        Ok(theme)
    } else {
        Err(problems)
    }
}

impl Theme {
    /// The same theme with the strings of `language` (a further language of
    /// the site), from the files already read.
    pub fn in_language(&self, language: &str) -> Result<Theme, Vec<Diagnostic>> {
        Ok(Theme {
            strings: merged_strings(&self.i18n, language)?,
            ..self.clone()
        })
    }
}

/// The strings of `language`: English first from every layer, then its base
/// language (`de` for `de-AT`) and then the full tag, so that a site's own
/// `en.toml` never hides the theme's German.
fn merged_strings(
    i18n: &[Vec<(String, ThemeFile)>],
    language: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, Vec<Diagnostic>> {
    let mut merged = serde_json::Map::new();
    let mut problems = Vec::new();
    for want in string_files(language) {
        for files in i18n {
            if let Some((_, file)) = files.iter().find(|(name, _)| *name == want) {
                match strings(file) {
                    Ok(table) => merged.extend(table),
                    Err(d) => problems.push(d),
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

/// The string files for `language`, weakest first: `en.toml`, then the base
/// language's and the full tag's (`de.toml`, `de-AT.toml`).
fn string_files(language: &str) -> Vec<String> {
    let mut files = vec!["en.toml".to_string()];
    let base = language.split(['-', '_']).next().unwrap_or(language);
    for tag in [base, language] {
        let file = format!("{tag}.toml");
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files
}

fn strings(file: &ThemeFile) -> Result<serde_json::Map<String, serde_json::Value>, Diagnostic> {
    let text = String::from_utf8_lossy(&file.bytes).into_owned();
    let source = Source::new(&file.shown_as, text);
    let table: toml::Table = toml::from_str(&source.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Diagnostic::at(
            "invalid-toml",
            &source,
            span,
            format!(
                "this theme strings file is not valid: {}",
                e.message().trim()
            ),
        )
        .with_hint("theme strings are `key = \"text\"` lines")
    })?;
    match serde_json::to_value(table) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        _ => Err(Diagnostic::in_file(
            "invalid-toml",
            &file.shown_as,
            "theme strings must be a table of `key = \"text\"` lines",
        )),
    }
}
