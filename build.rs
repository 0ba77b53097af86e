//! Build script: names the commit the binary is built from, for `openings
//! --version` ("openings 0.1.0 (abc1234)"). From git when building inside the
//! repository; from `.cargo_vcs_info.json` when building a packaged crate
//! (`cargo install openings`), which `cargo package` writes; else the version
//! alone.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    let commit = from_git(&manifest).or_else(|| from_vcs_info(&manifest));
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let full = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=OPENINGS_VERSION={full}");
}

/// `git rev-parse --short HEAD`, only when this folder is the top of a git
/// work tree (a packaged crate unpacked inside some other repository is not).
fn from_git(manifest: &Path) -> Option<String> {
    let top = git(manifest, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(manifest).ok()? {
        return None;
    }
    let commit = git(manifest, &["rev-parse", "--short", "HEAD"])?;
    // Build again when HEAD moves: a commit, a checkout, a branch update.
    for path in [
        git(manifest, &["rev-parse", "--git-path", "HEAD"]),
        git(manifest, &["rev-parse", "--symbolic-full-name", "HEAD"])
            .and_then(|r| git(manifest, &["rev-parse", "--git-path", &r])),
        git(manifest, &["rev-parse", "--git-path", "packed-refs"]),
    ]
    .into_iter()
    .flatten()
    {
        let path = manifest.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The commit `cargo package` recorded: `{"git": {"sha1": "..."}}`.
fn from_vcs_info(manifest: &Path) -> Option<String> {
    let path = manifest.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    // A newer package unpacked over a kept target folder names its own commit.
    println!("cargo:rerun-if-changed={}", path.display());
    let start = text.find("\"sha1\"")? + "\"sha1\"".len();
    let rest = text[start..].trim_start().strip_prefix(':')?.trim_start();
    let sha = rest.strip_prefix('"')?.split('"').next()?;
    let short: String = sha.chars().take(7).collect();
    (short.len() == 7 && short.chars().all(|c| c.is_ascii_hexdigit())).then_some(short)
}
