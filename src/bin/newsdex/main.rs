//! The `newsdex` command: parse arguments, call the library, print, map errors to exit codes.

mod args;
mod commands;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc (issue 4): indexing frees and reallocates hundreds of
/// megabytes of tantivy arena pages and documents across threads at each commit, and glibc's
/// per-thread arenas kept that memory, so peak RSS at 1M articles was 1.59 GiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsdex: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader that closed our output (`newsdex search | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
