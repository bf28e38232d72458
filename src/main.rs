use clap::Parser;

/// mimalloc: bulk imports allocate and free millions of small strings, which glibc's
/// allocator spends a fifth of the import's time on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    warmpath::telemetry::init_stderr();
    warmpath::cli::run(warmpath::cli::Cli::parse())
}
