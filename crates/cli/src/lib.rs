//! `jixiao` — the command line front end. Thin: parses arguments, calls `jixiao-app` as the
//! local administrator ([`jixiao_app::Actor::local_admin`]), prints.
//!
//! The arguments are in `cli` (the global ones) and in each command group's module under
//! `commands` (its arguments and what it does); the texts it prints are in [`render`]. It
//! depends on `app`, `model`, the renderers (`pdf`) and `server` (to serve) only
//! (`tests/tidy_deps.rs`).
//!
//! Exit status:
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | `check` found error-level findings (`check --keep-going`: in some file read) |
//! | 2 | bad input: a malformed file, an unknown or ambiguous project, a usage error; `check --keep-going`: some file could not be read (every other file is still checked) |
//! | 3 | a system failure (database, disk); the detail follows the message on stderr |
//! | 4 | forbidden: the actor's role does not allow it (the local administrator never sees it) |
//! | 5 | conflict: the data changed meanwhile; read again and retry |

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use jixiao_app::{AppError, ErrorKind};

/// Writes to stdout; a closed pipe (`jixiao list | head`) ends the program quietly instead of
/// panicking as `println!` would.
fn write_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("无法写出结果 / cannot write the output: {e}");
        std::process::exit(3);
    }
}

macro_rules! out {
    ($($arg:tt)*) => { $crate::write_out(&format!($($arg)*)) };
}

macro_rules! outln {
    ($($arg:tt)*) => { $crate::write_out(&(format!($($arg)*) + "\n")) };
}

mod cli;
mod commands;
pub mod render;

use cli::Cli;
use commands::Command;

/// The exit status of an error (see the table at the top).
fn exit_status(e: &AppError) -> u8 {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::NotFound | ErrorKind::Ambiguous => 2,
        ErrorKind::Internal | ErrorKind::Unavailable => 3,
        ErrorKind::Forbidden | ErrorKind::Unauthenticated => 4,
        ErrorKind::Conflict => 5,
    }
}

/// The `jixiao` command: reads the arguments, runs the command, prints an error and returns
/// its exit status.
pub fn main() -> ExitCode {
    let help = format!(
        "默认数据库 / default database: {}\n（用 --db 或环境变量 JIXIAO_DB 指定 / choose with --db or JIXIAO_DB）",
        cli::default_db().display()
    );
    let matches = Cli::command().after_help(help).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    // The server runs on all cores (a password check takes a while); commands on one thread.
    let rt = if matches!(cli.command, Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    };
    let rt = match rt {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动运行时 / cannot start the runtime: {e}");
            return ExitCode::from(3);
        }
    };
    // An error is shown in the language asked for; without `--lang`, in both (Chinese first).
    let error_lang = cli.lang.map(cli::LangArg::lang);
    match rt.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            match error_lang {
                Some(lang) => eprintln!("{}", e.text(lang)),
                None => eprintln!("{e}"),
            }
            if let Some(detail) = e.detail() {
                eprintln!("detail: {detail}");
            }
            ExitCode::from(exit_status(&e))
        }
    }
}
