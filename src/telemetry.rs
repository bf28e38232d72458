//! Logging: one subscriber, set up once, writing to the sink it is given.
//!
//! The level comes from `WARMPATH_LOG` (an `EnvFilter` directive, default `warn`), so tests
//! and the CLI stay quiet unless asked. Row contents are never logged above debug level.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the global subscriber; a second call does nothing.
pub fn init<W>(sink: W)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_env("WARMPATH_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink)
        .try_init();
}
