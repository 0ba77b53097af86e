//! openings: a static careers-site generator. The command line lives in `cli`;
//! the pipeline in the modules below (load -> validate -> model -> render -> write),
//! with `serve` and `apply` for the one dynamic part.

// Diagnostics are the error values of every stage; they are large on purpose
// (a quoted line, a hint) and only built on the error path.
#![allow(clippy::result_large_err)]

mod apply;
mod build;
mod check;
mod config;
mod content;
mod diagnostic;
mod duration;
mod format;
mod languages;
mod layout;
mod markdown;
mod node;
mod outputs;
mod render;
mod scaffold;
mod serve;
mod site;
mod urls;
mod write;

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
