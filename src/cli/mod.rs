//! The `openings` command line: parses arguments (clap), runs a command, prints
//! diagnostics and a one-line summary, and sets the exit code (0 ok, 1 user error,
//! 2 bad usage). The commands are in `commands` (build, check, init, new) and
//! `applications`; everything else lives in the pipeline modules.

mod applications;
mod args;
mod ask;
mod commands;
mod out;
mod report;

use crate::diagnostic::Diagnostic;
use crate::serve;
use applications::applications;
use args::*;
use clap::Parser;
use commands::{
    CheckArgs, NewArgs, build, check, deploy_recipe, init, new_posting, new_translation,
};
use out::{Failed, Out};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Runs the command line and returns the process's exit code.
// One arm per command, each only moving clap's fields into the command's own
// arguments: long, but a table rather than logic.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let out = Out {
        quiet: cli.quiet,
        verbose: cli.verbose,
        terminal: std::io::stderr().is_terminal(),
    };
    let result = match cli.command {
        Command::Build { site, output } => build(&out, site, &output),
        Command::Check {
            site,
            expiring_within,
            max_age,
            format,
            deny_warnings,
        } => {
            let lints = CheckArgs {
                expiring_within,
                max_age,
                format,
                deny_warnings,
            };
            check(&out, site, &lints)
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
            production,
            endpoint_only,
            data,
            database,
        } => serve::run(serve::Options {
            build: build_options(&site),
            bind,
            port,
            poll,
            open,
            production,
            endpoint_only,
            database: database_url(database, data.is_some()).filter(|_| production),
            data,
            quiet: out.quiet,
        })
        .map_err(Failed::from),
        Command::Init { name, host } => init(&out, &name, host),
        Command::DeployRecipe { host, root, force } => deploy_recipe(&out, &root, host, force),
        Command::New {
            from: Some(from),
            lang: Some(lang),
            root,
            today,
            ..
        } => new_translation(&out, &root, &from, &lang, today),
        Command::New {
            title,
            department,
            locations,
            employment_type,
            yaml,
            root,
            today,
            ..
        } => new_posting(
            &out,
            NewArgs {
                title: title.unwrap_or_default(),
                department,
                locations,
                employment_type,
                yaml,
                root,
                today,
            },
        ),
        Command::Healthcheck { url } => serve::probe(&url)
            .map(|()| out.info(&format!("{url}: healthy")))
            .map_err(|why| Failed::from(vec![Diagnostic::error("unhealthy", why)])),
        Command::Applications { command } => applications(&out, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failed) => {
            out.diagnostics(&failed.problems);
            if !failed.summary.is_empty() {
                eprintln!("{}", failed.summary);
            }
            ExitCode::from(if failed.usage { 2 } else { 1 })
        }
    }
}
