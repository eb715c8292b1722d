//! `jixiao` — the command line (see the `jixiao_cli` library for the commands and their exit
//! statuses).

fn main() -> std::process::ExitCode {
    jixiao_cli::main()
}
