//! Standard output that goes away: a reader that stops early (`| head`) ends the command
//! quietly; a full disk is an error that says so. Neither is a panic.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// A `title,company` CSV long enough that its table overflows any pipe buffer.
fn many_rows() -> String {
    let mut csv = String::from("title,company\n");
    for row in 0..20_000 {
        csv.push_str(&format!("Analyst {row},Acme Bank {row}\n"));
    }
    csv
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warmpath"))
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = many_rows();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, as `head` would close it.
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
}

#[test]
fn a_full_disk_is_an_error_that_says_so() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full on this machine: nothing to test");
        return;
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_warmpath"))
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"title,company\nAnalyst,Acme Bank\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn logs_written_to_a_file_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_warmpath"))
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("WARMPATH_LOG", "info")
        .env_remove("WARMPATH_BIND")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut address = None;
    for _ in 0..600 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        address = text
            .lines()
            .find_map(|line| line.strip_prefix("warmpath listening on "))
            .map(str::to_string);
        if let Some(address) = &address
            && ureq::get(&format!("{address}/readyz")).call().is_ok()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let address = address.expect("the server said where it listens");
    let _ = ureq::get(&format!("{address}/v1/people/me")).call();
    let _ = ureq::get(&format!("{address}/v1/nothing")).call();
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("request finished"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}
