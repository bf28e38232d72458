//! Logging: one subscriber, set up once, writing to the sink it is given.
//!
//! The level comes from `WARMPATH_LOG` (an `EnvFilter` directive, default `warn`; `info`
//! shows one line per HTTP request), so tests and the CLI stay quiet unless asked. The
//! format is human-readable, or one JSON object per line with `WARMPATH_LOG_FORMAT=json`.
//! Row contents are never logged above debug level.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the global subscriber writing to standard error, in colour only when standard
/// error is a terminal (a log file gets no escape codes); a second call does nothing.
pub fn init_stderr() {
    use std::io::IsTerminal;
    init_with(std::io::stderr, std::io::stderr().is_terminal());
}

/// Installs the global subscriber, without colour; a second call does nothing.
pub fn init<W>(sink: W)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    init_with(sink, false);
}

fn init_with<W>(sink: W, ansi: bool)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_env("WARMPATH_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let json = std::env::var("WARMPATH_LOG_FORMAT")
        .is_ok_and(|format| format.trim().eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(sink);
    let _ = if json {
        builder.json().with_current_span(true).try_init()
    } else {
        builder.try_init()
    };
}
