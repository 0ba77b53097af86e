//! The shape of `src/` that the compiler does not keep: no two files import
//! each other, and no module imports one above it (see README, "Where things are").

mod common;

#[test]
fn no_file_of_src_imports_one_that_imports_it() {
    let out = std::process::Command::new("python3")
        .arg(common::repo().join("scripts/imports.py"))
        .output()
        .expect("python3 runs scripts/imports.py");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("no import cycle"), "{text}");
}
