//! Prometheus metrics: requests and their latency by route and status, rows imported, and
//! each workspace's snapshot size and build time. Labels are route *patterns*, never paths,
//! so no id or email reaches a label.

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
struct WorkspaceLabels {
    workspace: i64,
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
    snapshot_people: Family<WorkspaceLabels, Gauge>,
    snapshot_ties: Family<WorkspaceLabels, Gauge>,
    snapshot_build: Family<WorkspaceLabels, Histogram, fn() -> Histogram>,
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
        let snapshot_people = Family::<WorkspaceLabels, Gauge>::default();
        let snapshot_ties = Family::<WorkspaceLabels, Gauge>::default();
        let snapshot_build: Family<WorkspaceLabels, Histogram, fn() -> Histogram> =
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
            "people in the published snapshot",
            snapshot_people.clone(),
        );
        registry.register(
            "snapshot_ties",
            "ties in the published snapshot",
            snapshot_ties.clone(),
        );
        registry.register(
            "snapshot_build_seconds",
            "time to build a snapshot",
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

    pub fn snapshot_built(
        &self,
        workspace: WorkspaceId,
        people: usize,
        ties: usize,
        took: Duration,
    ) {
        let labels = WorkspaceLabels {
            workspace: workspace.0,
        };
        self.snapshot_people
            .get_or_create(&labels)
            .set(people as i64);
        self.snapshot_ties.get_or_create(&labels).set(ties as i64);
        self.snapshot_build
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
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
