//! `spawn_app()` and the typed requests every test uses.

use std::path::PathBuf;
use std::sync::Once;
use std::time::Duration;

use serde_json::Value;
use warmpath::config::Settings;
use warmpath::startup::{Application, ServeSettings};

/// "Today" for every test, so strengths and staleness do not drift with the calendar.
pub const TODAY: &str = "2026-01-01";

static TRACING: Once = Once::new();

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub db: PathBuf,
    pub key: Option<String>,
    pub agent: ureq::Agent,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

/// A response: status, content type and the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Asserts a problem+json body with this status and returns it.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "not problem+json: {} {}",
            self.content_type,
            self.text
        );
        let body = self.json();
        assert_eq!(body["status"], status);
        for key in ["type", "title", "detail"] {
            assert!(body[key].is_string(), "problem without {key}: {body}");
        }
        body
    }

    /// Asserts this status and returns the JSON body.
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        self.json()
    }
}

/// Spawns the application over a new temporary database and waits until it is ready.
pub fn spawn_app() -> TestApp {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let db = dir.path().join("warmpath.db");
    spawn_app_on(db, dir)
}

/// Spawns the application over an existing database file (e.g. to test a restart).
pub fn spawn_app_on(db: PathBuf, dir: std::sync::Arc<tempfile::TempDir>) -> TestApp {
    spawn(db, dir, false)
}

/// Spawns `serve --demo`: the demo network in a temporary database of its own.
pub fn spawn_demo() -> TestApp {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let db = dir.path().join("untouched.db");
    spawn(db, dir, true)
}

fn spawn(db: PathBuf, dir: std::sync::Arc<tempfile::TempDir>, demo: bool) -> TestApp {
    TRACING.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            warmpath::telemetry::init(std::io::stdout);
        } else {
            warmpath::telemetry::init(std::io::sink);
        }
    });
    let serve = ServeSettings {
        bind: "127.0.0.1:0".to_string(),
        db: db.clone(),
        demo,
        workspace: "default".to_string(),
        body_limit: 64 * 1024,
        cors_origins: Vec::new(),
        settings: Settings::for_today(
            chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap(),
        ),
        // Short, so a test of a stalled upload is quick.
        upload_idle: Duration::from_millis(1500),
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let application = Application::build(serve).await.unwrap();
            sender.send(application.port()).unwrap();
            application.run_until_stopped().await.unwrap();
        })
    });
    let port = receiver.recv_timeout(Duration::from_secs(30)).unwrap();
    let app = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db,
        key: None,
        agent: ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build(),
        _dir: dir,
    };
    for _ in 0..600 {
        if app.get("/readyz").status == 200 {
            return app;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the application never became ready");
}

impl TestApp {
    /// The same database, served by a new application (a restart).
    pub fn restart(&self) -> TestApp {
        let mut app = spawn_app_on(self.db.clone(), self._dir.clone());
        app.key = self.key.clone();
        app
    }

    pub fn with_key(&self, key: Option<&str>) -> TestApp {
        TestApp {
            address: self.address.clone(),
            db: self.db.clone(),
            key: key.map(str::to_string),
            agent: self.agent.clone(),
            _dir: self._dir.clone(),
        }
    }

    /// Runs the real CLI against this app's database (workspaces, keys).
    pub fn cli(&self, args: &[&str]) -> String {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_warmpath"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "warmpath {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn request(&self, method: &str, path: &str) -> ureq::Request {
        let request = self
            .agent
            .request(method, &format!("{}{path}", self.address));
        match &self.key {
            Some(key) => request.set("Authorization", &format!("Bearer {key}")),
            None => request,
        }
    }

    pub fn send(&self, request: ureq::Request, body: Option<(&str, &[u8])>) -> Reply {
        let outcome = match body {
            Some((content_type, bytes)) => {
                request.set("Content-Type", content_type).send_bytes(bytes)
            }
            None => request.call(),
        };
        let response = match outcome {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let headers = response
            .headers_names()
            .into_iter()
            .map(|name| {
                let value = response.header(&name).unwrap_or("").to_string();
                (name, value)
            })
            .collect();
        Reply {
            status: response.status(),
            content_type: response.header("content-type").unwrap_or("").to_string(),
            headers,
            text: response.into_string().unwrap(),
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send(self.request("GET", path), None)
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.send(self.request("DELETE", path), None)
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            self.request("POST", path),
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    pub fn patch_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            self.request("PATCH", path),
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    /// `POST /v1/imports?QUERY` with a CSV body.
    pub fn post_import(&self, query: &str, csv: &str) -> Reply {
        self.send(
            self.request("POST", &format!("/v1/imports?{query}")),
            Some(("text/csv", csv.as_bytes())),
        )
    }

    pub fn get_paths(&self, query: &str) -> Reply {
        self.get(&format!("/v1/paths?{query}"))
    }

    pub fn get_introducers(&self, query: &str) -> Reply {
        self.get(&format!("/v1/introducers?{query}"))
    }

    /// Declares a tie and returns its body.
    pub fn post_tie(&self, body: &Value) -> Reply {
        self.post_json("/v1/ties", body)
    }

    /// Creates a person the only way the API can: an import owned by their email.
    pub fn person_by_email(&self, email: &str) -> i64 {
        let body = self.post_import(
            &format!("owner={email}&format=native"),
            "name,email\nSomeone Else,else@example.org\n",
        );
        assert!(body.status == 201 || body.status == 200, "{}", body.text);
        body.json()["owner"].as_i64().unwrap()
    }
}

/// A small native contact list of "me": two finance people, one at a law firm.
pub const MY_CONTACTS: &str = "name,email,company,title,relationship,last_contacted\n\
Maria Lopez,maria@example.com,Acme Bank,Analyst,family,2025-10-01\n\
Tom Baker,tom@example.com,Baker & Partners,Lawyer,friend,2025-06-01\n";

/// Maria's contacts: a VP at Goldman Sachs.
pub const MARIA_CONTACTS: &str = "name,email,company,title,relationship\n\
Dana Ortiz,dana@example.com,Goldman Sachs,Vice President,colleague\n";

impl Reply {
    /// Asserts this status and an empty body (204).
    pub fn ok_empty(&self, status: u16) {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.text
        );
        assert!(self.text.is_empty());
    }
}
