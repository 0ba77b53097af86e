//! The site folder on disk: every file and folder name openings reads or
//! writes there, in one place. Where a name means something (which folders
//! are inputs, which are published), the lists are made here too, so that the
//! build, the watcher, the no-op check and the endpoint's safety check can
//! never disagree. Not the URL space of the built site: see `urls`.

/// The site's configuration, at the root of the site folder.
pub const SITE_TOML: &str = "site.toml";
/// Postings and pages.
pub const CONTENT: &str = "content";
/// Postings, inside [`CONTENT`].
pub const JOBS: &str = "jobs";
/// A site's own templates (override the theme's).
pub const TEMPLATES: &str = "templates";
/// A site's own static files.
pub const STATIC: &str = "static";
/// A site's own theme strings.
pub const I18N: &str = "i18n";
/// Named themes of a site: `themes/NAME/{templates,static,i18n}`.
pub const THEMES: &str = "themes";
/// Where `openings build` writes by default.
pub const OUTPUT: &str = "public";
/// The data folder of the dev server and the default of `--data`.
pub const DATA: &str = ".openings";
/// Where the dev server writes the emails it does not send, under [`DATA`].
pub const DEV_MAIL: &str = "dev-mail";

/// The dev server's mail folder of the site at `root`.
pub fn dev_mail_dir(root: &std::path::Path) -> std::path::PathBuf {
    root.join(DATA).join(DEV_MAIL)
}

/// The folders of a site whose files a build reads, besides `site.toml`: the
/// content, then the theme's (templates, static files, strings, themes).
pub const INPUT_DIRS: [&str; 5] = [CONTENT, TEMPLATES, STATIC, I18N, THEMES];

/// The theme's folders of [`INPUT_DIRS`].
pub const THEME_DIRS: &[&str] = INPUT_DIRS.split_at(1).1;

/// The folders whose files end up public (the output, and the inputs that are
/// copied or rendered into it): no application may be kept inside one.
pub const PUBLISHED: [&str; 5] = [OUTPUT, STATIC, CONTENT, TEMPLATES, THEMES];

/// In an output folder: the mark that openings wrote it (so it may be emptied).
pub const OUTPUT_MARKER: &str = ".openings-output";
/// In an output folder: the fingerprint of the inputs of the build it holds.
pub const FINGERPRINT: &str = ".openings-build";
/// In an output folder: where a build's pages wait until every one rendered.
pub const STAGING: &str = ".openings-staging";
