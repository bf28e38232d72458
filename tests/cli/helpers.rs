//! The sandbox every CLI test runs in.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// "Today" for every test, so strengths and staleness do not drift with the calendar.
pub const TODAY: &str = "2026-01-01";

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    /// Runs `warmpath --db <sandbox>/warmpath.db ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_warmpath"))
            .arg("--db")
            .arg(self.dir.path().join("warmpath.db"))
            .args(args)
            .current_dir(self.dir.path())
            .env("WARMPATH_TODAY", TODAY)
            .env_remove("WARMPATH_DB")
            .output()
            .unwrap()
    }

    /// Runs and asserts success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "warmpath {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs, asserts success and parses standard output as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
    }

    /// Imports a file for an owner and returns the report.
    pub fn import(
        &self,
        name: &str,
        contents: &str,
        owner: &str,
        relationship: Option<&str>,
    ) -> Value {
        let path = self.write(name, contents);
        let path = path.to_string_lossy().into_owned();
        let mut args = vec!["import", path.as_str(), "--owner", owner, "--json"];
        if let Some(relationship) = relationship {
            args.extend(["--relationship", relationship]);
        }
        self.json(&args)
    }
}

/// The names of the people in a list of people objects.
pub fn names(people: &[Value]) -> Vec<String> {
    people
        .iter()
        .map(|person| person["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A small student network in warmpath's native format: me knows Alice (strong, recent)
/// and Bob (weak, stale); Alice knows two finance people, Bob knows one and a lawyer.
pub fn student_network(sandbox: &Sandbox) {
    sandbox.ok(&[
        "me",
        "--name",
        "Sam Student",
        "--email",
        "sam@student.example.edu",
    ]);
    sandbox.import(
        "mine.csv",
        "name,email,company,title,relationship,last_contacted,interactions\n\
         Alice Aunt,alice@example.com,City Hospital,Nurse,family,2025-12-01,40\n\
         Bob Oldcoach,bob@example.com,Riverside High,Coach,mentor,2019-05-01,3\n\
         Fay Intern,fay@example.com,Goldman Sachs,Summer Analyst,classmate,2025-10-01,10\n",
        "me",
        None,
    );
    sandbox.import(
        "alice.csv",
        "name,email,company,title,relationship,last_contacted,interactions,field\n\
         Dana Ortiz,dana@gs.example.com,Goldman Sachs,Vice President,friend,2025-11-01,25,finance\n\
         Evan Price,evan@fund.example.com,Northstar Ventures,Partner,acquaintance,2024-01-01,2,finance\n\
         Fay Intern,fay@example.com,Goldman Sachs,Summer Analyst,family,2025-12-01,5,finance\n",
        "alice@example.com",
        Some("family"),
    );
    sandbox.import(
        "bob.csv",
        "name,email,company,title,relationship,last_contacted,interactions,field\n\
         Gina Law,gina@law.example.com,Hale & Dorr,Associate,friend,2025-06-01,10,law\n\
         Hugo Banks,hugo@bank.example.com,First Bank,Credit Officer,colleague,2025-09-01,30,finance\n",
        "bob@example.com",
        Some("mentor"),
    );
}
