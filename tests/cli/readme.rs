//! The README's curl examples, run exactly as printed against `warmpath serve --demo`
//! (only the port differs: the test server listens on a free one).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::helpers::TODAY;

/// The block that follows the README's "run as printed" marker, as separate commands
/// (separated by blank lines; comment lines dropped).
fn readme_commands() -> Vec<String> {
    let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
    let after_marker = readme
        .split_once("tests/cli/readme.rs against `serve --demo`")
        .expect("the README marks its tested curl block")
        .1;
    let block = after_marker
        .split_once("```sh\n")
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    block
        .split("\n\n")
        .map(|command| {
            command
                .lines()
                .filter(|line| !line.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|command| !command.trim().is_empty())
        .collect()
}

/// `warmpath serve --demo` on a free port; killed when dropped.
struct DemoServer {
    child: Child,
    address: String,
}

impl DemoServer {
    fn start() -> DemoServer {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_warmpath"))
            .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env("WARMPATH_TODAY", TODAY)
            .env_remove("WARMPATH_BIND")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first_line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        let address = first_line
            .trim()
            .strip_prefix("warmpath listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first_line}"))
            .to_string();
        let server = DemoServer { child, address };
        for _ in 0..600 {
            if ureq::get(&format!("{}/readyz", server.address))
                .call()
                .is_ok()
            {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("serve --demo never became ready");
    }

    /// Runs one README command with this server's address, and parses what it prints.
    fn run(&self, command: &str) -> Value {
        let command = command.replace("http://127.0.0.1:8080", &self.address);
        let output = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &command])
            .output()
            .unwrap();
        assert!(output.status.success(), "{command}: {output:?}");
        let body: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("{command}: not JSON ({error}): {output:?}"));
        assert!(
            body.get("status").is_none(),
            "{command}: answered a problem: {body}"
        );
        body
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_readme_curl_examples_work_as_printed_against_the_demo_server() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 4, "{commands:#?}");
    let server = DemoServer::start();

    let introducers = server.run(&commands[0]);
    assert_eq!(introducers["fields"], serde_json::json!(["finance"]));
    let introducers = introducers["introducers"].as_array().unwrap();
    assert!(!introducers.is_empty() && introducers.len() <= 3);
    assert!(introducers[0]["reach"].as_u64().unwrap() >= 1);

    let paths = server.run(&commands[1]);
    let paths = paths["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 2);
    for path in paths {
        let product: f64 = path["hops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hop| hop["strength"].as_f64().unwrap())
            .product();
        assert!((path["score"].as_f64().unwrap() - product).abs() < 1e-9);
    }

    let report = server.run(&commands[2]);
    assert_eq!(report["rows"], 1);
    assert_eq!(
        report["people_created"], 2,
        "lee, created from the owner email, and priya"
    );

    let northwind = server.run(&commands[3]);
    let path = &northwind["paths"][0];
    assert_eq!(path["target"]["name"], "Priya Raman");
    assert_eq!(
        path["hops"][0]["to"]["emails"],
        serde_json::json!(["lee.park@example.com"])
    );
    assert_eq!(path["hops"][0]["relationship"], "classmate");
}

#[test]
fn the_set_up_section_has_exactly_the_two_commands_a_newcomer_needs() {
    let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
    let section = readme
        .split_once("## Set up\n")
        .expect("the README has a Set up section")
        .1
        .split("\n## ")
        .next()
        .unwrap();
    let commands: Vec<&str> = section
        .split("```sh\n")
        .skip(1)
        .flat_map(|block| block.split_once("```").unwrap().0.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    assert_eq!(
        commands,
        vec!["cargo run --release -- serve --demo", "cargo test --locked"]
    );
}
