//! `c1`: the C1 API from the shell (the command line is the library
//! beside this file, `lib.rs`).

fn main() -> std::process::ExitCode {
    c1_cli::main()
}
