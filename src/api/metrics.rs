//! Prometheus metrics: requests and their latency by route and status, rows imported, the
//! people and ties of every live network together, and the time networks take to load,
//! rebuild or apply a write. Labels are route *patterns* and kinds of update, never paths or
//! workspaces, so no id, email or workspace reaches a label.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::store::WorkspaceId;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpdateLabels {
    update: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

fn build_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The registry and the handles the server updates.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    imported_rows: Counter,
    snapshot_people: Gauge,
    snapshot_ties: Gauge,
    snapshot_build: Family<UpdateLabels, Histogram, fn() -> Histogram>,
    /// Each workspace's people and ties, summed into the gauges (never a label).
    sizes: Mutex<HashMap<WorkspaceId, (usize, usize)>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("warmpath");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Family<RequestLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let imported_rows = Counter::default();
        let snapshot_people = Gauge::default();
        let snapshot_ties = Gauge::default();
        let snapshot_build: Family<UpdateLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(build_histogram);
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "time to answer an HTTP request",
            latency.clone(),
        );
        registry.register(
            "imported_rows",
            "contact rows imported",
            imported_rows.clone(),
        );
        registry.register(
            "snapshot_people",
            "people in the published networks of every workspace",
            snapshot_people.clone(),
        );
        registry.register(
            "snapshot_ties",
            "ties in the published networks of every workspace",
            snapshot_ties.clone(),
        );
        registry.register(
            "snapshot_build_seconds",
            "time to bring a network up to date, by kind of update (loaded, rebuilt, applied)",
            snapshot_build.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            imported_rows,
            snapshot_people,
            snapshot_ties,
            snapshot_build,
            sizes: Mutex::new(HashMap::new()),
        }
    }

    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        let labels = RequestLabels {
            method: method.to_string(),
            route: route.to_string(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }

    pub fn rows_imported(&self, rows: usize) {
        self.imported_rows.inc_by(rows as u64);
    }

    pub fn snapshot_built(&self, built: &crate::live::Built) {
        let (people, ties) = {
            let mut sizes = self
                .sizes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            sizes.insert(built.workspace, (built.people, built.ties));
            sizes.values().fold((0, 0), |(people, ties), size| {
                (people + size.0, ties + size.1)
            })
        };
        self.snapshot_people.set(people as i64);
        self.snapshot_ties.set(ties as i64);
        let update = match built.update {
            crate::live::Update::Loaded => "loaded",
            crate::live::Update::Rebuilt => "rebuilt",
            crate::live::Update::Applied => "applied",
        };
        self.snapshot_build
            .get_or_create(&UpdateLabels { update })
            .observe(built.took.as_secs_f64());
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode_registry(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}
