//! `cargo install openings` works: the crate packs with its metadata, ships the
//! tool and its theme and nothing of tests/, bench/ or node_modules/, and a
//! binary installed from the packed crate (no git around it) names its version
//! and commit and builds a site that `openings init` made.
//!
//! Slow the first time (it compiles the crate from the package); the build
//! folder `target/package-test/` is kept, so later runs reuse it. Offline: the
//! dependencies come from the local registry cache the test build filled.

mod common;
use common::{TODAY, TestSite, repo};
use std::path::Path;
use std::process::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[track_caller]
fn cargo(args: &[&str], dir: &Path) -> String {
    let target = repo().join("target/package-test");
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "cargo {args:?} failed:\n{text}");
    text
}

#[test]
fn the_packaged_crate_installs_and_builds_a_new_site() {
    let listed = cargo(
        &["package", "--list", "--allow-dirty", "--offline"],
        &repo(),
    );
    let files: Vec<&str> = listed.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "build.rs",
        "src/main.rs",
        "src/scaffold/recipes/github.yml",
        "themes/default/templates/job.html",
    ] {
        assert!(
            files.contains(&needed),
            "the package lacks {needed}:\n{listed}"
        );
    }
    for f in &files {
        assert!(
            !["tests/", "bench/", "node_modules/", "content/", "target/"]
                .iter()
                .any(|p| f.starts_with(p)),
            "the package ships {f}"
        );
    }

    let packed = cargo(
        &["package", "--allow-dirty", "--no-verify", "--offline"],
        &repo(),
    );
    assert!(!packed.contains("warning: manifest has no"), "{packed}");
    let work = TestSite::empty();
    let crate_file = repo().join(format!(
        "target/package-test/package/openings-{VERSION}.crate"
    ));
    // `-m`: the files get the time of unpacking, not the fixed time cargo
    // packs them with, so a build kept in target/package-test sees the change.
    let untar = Command::new("tar")
        .arg("xzmf")
        .arg(&crate_file)
        .current_dir(work.root())
        .status()
        .unwrap();
    assert!(untar.success());
    let source = work.path(&format!("openings-{VERSION}"));
    let manifest = std::fs::read_to_string(source.join("Cargo.toml")).unwrap();
    for key in [
        "description = ",
        "license = \"MIT OR Apache-2.0\"",
        "repository = ",
        "keywords = ",
        "categories = ",
    ] {
        assert!(manifest.contains(key), "Cargo.toml lacks {key}");
    }

    let root = work.path("installed");
    let root_arg = root.to_string_lossy().into_owned();
    let source_arg = source.to_string_lossy().into_owned();
    cargo(
        &[
            "install",
            "--debug",
            "--locked",
            "--offline",
            "--path",
            &source_arg,
            "--root",
            &root_arg,
        ],
        work.root(),
    );
    let openings = root.join("bin/openings");
    let run = |args: &[&str]| {
        let out = Command::new(&openings)
            .args(args)
            .current_dir(work.root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openings {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // No git around the unpacked crate: the commit comes from .cargo_vcs_info.json.
    let version = run(&["--version"]);
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout)[..7].to_string();
    assert_eq!(version.trim(), format!("openings {VERSION} ({head})"));

    run(&["init", "careers", "--host", "github"]);
    run(&["build", "--root", "careers", "--today", TODAY]);
    let index = std::fs::read_to_string(work.path("careers/public/index.html")).unwrap();
    assert!(index.contains("Example Role"));
    assert!(work.path("careers/.github/workflows/careers.yml").is_file());
}
