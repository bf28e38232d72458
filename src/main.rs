use clap::Parser;

fn main() -> std::process::ExitCode {
    warmpath::telemetry::init(std::io::stderr);
    warmpath::cli::run(warmpath::cli::Cli::parse())
}
