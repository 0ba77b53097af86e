//! Decides whether a file event matters and what it invalidates: editors' swap,
//! backup and temporary files are ignored, and a burst of events becomes one
//! [`Changes`]. Pure: paths in, changes out; nothing here touches the disk.

use crate::build::incremental::Changes;
use std::path::{Path, PathBuf};

/// One file event from the watcher, with paths relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsEvent {
    pub kind: Kind,
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Create,
    Modify,
    Remove,
    /// A rename; `paths` holds the old name, the new name, or both.
    Rename,
    /// A file was only opened, read or had its access time changed.
    Access,
    /// The watcher lost events (queue overflow): read everything again.
    Rescan,
}

/// What one path of the site is, for a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Config,
    Theme,
    /// A Markdown file under `content/`.
    Content(PathBuf),
    /// Under `content/` but not Markdown and without extension: likely a folder.
    ContentFolder,
}

use crate::layout::{self, THEME_DIRS};

/// The names editors and tools give the files they write next to the real one
/// while saving: vim (`.x.swp`, `x~`), emacs (`#x#`, `.#x`), JetBrains
/// (`x___jb_tmp___`), VS Code and others (`x.tmp`, `.x.crswap`), and hidden
/// files in general.
const NOISE: &[&str] = &[
    ".*",
    "*~",
    "#*#",
    "*___jb_tmp___",
    "*___jb_old___",
    "*.swp",
    "*.swo",
    "*.swx",
    "*.tmp",
    "*.temp",
    "*.bak",
    "*.crswap",
    "*.kate-swp",
    "*.tmp.*",
];

fn noise() -> &'static globset::GlobSet {
    static NOISE_SET: std::sync::LazyLock<globset::GlobSet> = std::sync::LazyLock::new(|| {
        let mut set = globset::GlobSetBuilder::new();
        for pattern in NOISE {
            set.add(globset::Glob::new(pattern).expect("the patterns are valid globs"));
        }
        set.build().expect("the patterns are valid globs")
    });
    &NOISE_SET
}

/// True for a file name of [`NOISE`], and for vim's all-digit probe files (`4913`).
pub fn is_noise(name: &str) -> bool {
    name.is_empty() || noise().is_match(name) || name.bytes().all(|b| b.is_ascii_digit())
}

/// What a path (relative to the site root) is to the build, or `None` when a change
/// to it cannot change the site (editor noise, `public/`, `.git/`, a README).
pub fn classify(rel: &Path) -> Option<Target> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (first, name) = (parts.first()?, parts.last()?);
    if parts.iter().any(|p| p.starts_with('.')) || is_noise(name) {
        return None;
    }
    if parts.len() == 1 {
        // A whole folder appeared or went (moved in, checked out, deleted).
        return match first.as_str() {
            layout::SITE_TOML => Some(Target::Config),
            layout::CONTENT => Some(Target::ContentFolder),
            dir if THEME_DIRS.contains(&dir) => Some(Target::Theme),
            _ => None,
        };
    }
    if THEME_DIRS.contains(&first.as_str()) {
        return Some(Target::Theme);
    }
    if first == layout::CONTENT {
        return match Path::new(name).extension() {
            Some(ext) if ext == "md" => Some(Target::Content(rel.to_path_buf())),
            Some(_) => None,
            None => Some(Target::ContentFolder),
        };
    }
    None
}

/// The changes a burst of events makes, and the paths that matter (for the
/// terminal line), without repeats.
pub fn changes(events: &[FsEvent]) -> (Changes, Vec<PathBuf>) {
    let mut changes = Changes::default();
    let mut shown: Vec<PathBuf> = Vec::new();
    for event in events {
        if event.kind == Kind::Rescan {
            changes.rescan = true;
            changes.theme = true;
            continue;
        }
        if event.kind == Kind::Access {
            continue;
        }
        for path in &event.paths {
            let Some(target) = classify(path) else {
                continue;
            };
            match target {
                Target::Config => changes.config = true,
                Target::Theme => changes.theme = true,
                Target::Content(rel) => {
                    changes.content.insert(rel);
                }
                Target::ContentFolder => {
                    // Also the temporary files of tools like `sed -i`: not worth showing.
                    changes.rescan = true;
                    continue;
                }
            }
            if !shown.contains(path) {
                shown.push(path.clone());
            }
        }
    }
    if shown.is_empty() && changes.rescan {
        shown.push(PathBuf::from(layout::CONTENT));
    }
    (changes, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: Kind, paths: &[&str]) -> FsEvent {
        FsEvent {
            kind,
            paths: paths.iter().map(PathBuf::from).collect(),
        }
    }

    fn content(paths: &[&str]) -> Changes {
        Changes {
            content: paths.iter().map(PathBuf::from).collect(),
            ..Changes::default()
        }
    }

    #[test]
    fn vim_default_save_is_one_content_change() {
        // vim probes with `4913`, keeps a swap file, renames the original to `x~`,
        // writes the new file and removes the backup.
        let events = [
            ev(Kind::Create, &["content/jobs/4913"]),
            ev(Kind::Remove, &["content/jobs/4913"]),
            ev(Kind::Modify, &["content/jobs/.role.md.swp"]),
            ev(
                Kind::Rename,
                &["content/jobs/role.md", "content/jobs/role.md~"],
            ),
            ev(Kind::Create, &["content/jobs/role.md"]),
            ev(Kind::Modify, &["content/jobs/role.md"]),
            ev(Kind::Remove, &["content/jobs/role.md~"]),
            ev(Kind::Remove, &["content/jobs/.role.md.swx"]),
        ];
        let (found, shown) = changes(&events);
        assert_eq!(found, content(&["content/jobs/role.md"]));
        assert_eq!(shown, [PathBuf::from("content/jobs/role.md")]);
    }

    #[test]
    fn emacs_autosave_and_lock_files_are_ignored() {
        let events = [
            ev(Kind::Create, &["content/jobs/#role.md#"]),
            ev(Kind::Create, &["content/jobs/.#role.md"]),
            ev(Kind::Modify, &["content/jobs/role.md"]),
            ev(Kind::Remove, &["content/jobs/#role.md#"]),
        ];
        assert_eq!(changes(&events).0, content(&["content/jobs/role.md"]));
    }

    #[test]
    fn jetbrains_safe_write_is_the_target_file() {
        let events = [
            ev(Kind::Create, &["content/jobs/role.md___jb_tmp___"]),
            ev(Kind::Modify, &["content/jobs/role.md___jb_tmp___"]),
            ev(
                Kind::Rename,
                &["content/jobs/role.md", "content/jobs/role.md___jb_old___"],
            ),
            ev(
                Kind::Rename,
                &["content/jobs/role.md___jb_tmp___", "content/jobs/role.md"],
            ),
            ev(Kind::Remove, &["content/jobs/role.md___jb_old___"]),
        ];
        assert_eq!(changes(&events).0, content(&["content/jobs/role.md"]));
    }

    #[test]
    fn vscode_and_other_temporary_files_are_ignored() {
        for noise in [
            "content/jobs/.role.md.crswap",
            "content/jobs/role.md.tmp",
            "content/jobs/role.md.tmp.1234",
            "content/.goutputstream-ABC123",
            "content/jobs/.role.md.kate-swp",
            ".vscode/settings.json",
            "content/.DS_Store",
        ] {
            assert_eq!(classify(Path::new(noise)), None, "{noise}");
        }
    }

    #[test]
    fn atomic_rename_over_save_counts_the_new_name() {
        let events = [
            ev(Kind::Create, &["content/jobs/.role.md.tmp-x1"]),
            ev(
                Kind::Rename,
                &["content/jobs/.role.md.tmp-x1", "content/jobs/role.md"],
            ),
        ];
        assert_eq!(changes(&events).0, content(&["content/jobs/role.md"]));
        // The rename may also arrive as two events.
        let events = [
            ev(Kind::Rename, &["content/jobs/role.md.tmp"]),
            ev(Kind::Rename, &["content/jobs/role.md"]),
        ];
        assert_eq!(changes(&events).0, content(&["content/jobs/role.md"]));
    }

    #[test]
    fn git_checkout_burst_is_one_change_set() {
        let mut events = vec![
            ev(Kind::Create, &[".git/index.lock"]),
            ev(Kind::Modify, &[".git/HEAD"]),
        ];
        for i in 0..200 {
            let path = format!("content/jobs/role-{i}.md");
            events.push(ev(Kind::Remove, &[&path]));
            events.push(ev(Kind::Create, &[&path]));
            events.push(ev(Kind::Modify, &[&path]));
        }
        events.push(ev(Kind::Modify, &["templates/job.html"]));
        events.push(ev(Kind::Modify, &["site.toml"]));
        events.push(ev(Kind::Remove, &[".git/index.lock"]));
        let (found, shown) = changes(&events);
        assert_eq!(found.content.len(), 200);
        assert!(found.theme && found.config && !found.rescan);
        assert_eq!(shown.len(), 202);
    }

    #[test]
    fn numbered_folders_are_not_vim_probes() {
        assert_eq!(
            classify(Path::new("content/jobs/2026/role.md")),
            Some(Target::Content(PathBuf::from("content/jobs/2026/role.md")))
        );
        assert_eq!(classify(Path::new("content/jobs/2026/4913")), None);
    }

    #[test]
    fn only_site_inputs_matter() {
        assert_eq!(classify(Path::new("site.toml")), Some(Target::Config));
        assert_eq!(
            classify(Path::new("templates/job.html")),
            Some(Target::Theme)
        );
        assert_eq!(classify(Path::new("static/style.css")), Some(Target::Theme));
        assert_eq!(classify(Path::new("i18n/de.toml")), Some(Target::Theme));
        assert_eq!(
            classify(Path::new("themes/acme/templates/x.html")),
            Some(Target::Theme)
        );
        assert_eq!(
            classify(Path::new("content/benefits.md")),
            Some(Target::Content(PathBuf::from("content/benefits.md")))
        );
        assert_eq!(
            classify(Path::new("content/jobs/eng")),
            Some(Target::ContentFolder)
        );
        assert_eq!(classify(Path::new("content")), Some(Target::ContentFolder));
        assert_eq!(classify(Path::new("templates")), Some(Target::Theme));
        for other in [
            "public/index.html",
            "README.md",
            "content/jobs/photo.png",
            "target/debug/openings",
            "other.toml",
        ] {
            assert_eq!(classify(Path::new(other)), None, "{other}");
        }
    }

    #[test]
    fn access_events_and_lost_events() {
        let (read, _) = changes(&[ev(Kind::Access, &["content/jobs/role.md"])]);
        assert!(read.is_empty());
        let (lost, _) = changes(&[ev(Kind::Rescan, &[])]);
        assert!(lost.rescan && lost.theme);
    }
}
