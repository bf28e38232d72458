//! A full disk, for real: the database lives on a small tmpfs, and uploads go on until the
//! filesystem is full. The write that does not fit is a 507 problem naming the cause, and
//! everything acknowledged before it is still there, whole.
//!
//! Mounting needs root (or CAP_SYS_ADMIN); where `mount` is refused the test says so loudly
//! and checks nothing (the mapping itself is also unit-tested in `api::problem`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::spawn_app_on;

/// A tmpfs mounted for the test, unmounted (lazily: the server thread keeps files open)
/// when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .ok()?;
        status.success().then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A contact list of about 60 KB (under the tests' 64 KiB body limit), its people unique to
/// `batch`.
fn list(batch: usize) -> String {
    let mut csv = String::from("name,email,company,title\n");
    for row in 0..600 {
        csv.push_str(&format!(
            "Person {batch} {row},p{batch}x{row}@example.com,Company {row} of batch {batch},Analyst {row}\n"
        ));
    }
    csv
}

#[test]
fn a_full_disk_is_a_507_and_every_acknowledged_import_stays_whole() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mount_point = dir.path().join("small");
    std::fs::create_dir(&mount_point).unwrap();
    let Some(_tmpfs) = Tmpfs::mount(&mount_point, "4m") else {
        eprintln!(
            "SKIPPED a_full_disk_is_a_507...: `mount -t tmpfs` is not permitted here (needs root)"
        );
        return;
    };
    let app = spawn_app_on(mount_point.join("warmpath.db"), dir.clone());
    let mut acknowledged = Vec::new();
    let mut full = None;
    for batch in 0..200 {
        let reply = app.post_import("", &list(batch));
        match reply.status {
            201 => acknowledged.push((batch, reply.json()["id"].clone())),
            _ => {
                full = Some(reply);
                break;
            }
        }
    }
    let full = full.expect("4 MiB never filled up");
    let problem = full.problem(507);
    assert!(
        problem["detail"].as_str().unwrap().contains("disk is full"),
        "{problem}"
    );
    assert!(
        !acknowledged.is_empty(),
        "the first list did not fit at all"
    );

    // Every acknowledged import is listed and answered; the refused one left nothing.
    let listed = app.get("/v1/imports?limit=1000").ok(200);
    let ids: Vec<_> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].clone())
        .collect();
    for (batch, id) in &acknowledged {
        assert!(ids.contains(id), "import {id} of batch {batch} is gone");
    }
    assert_eq!(
        ids.len(),
        acknowledged.len(),
        "the refused import is listed"
    );
    let (last, _) = acknowledged.last().unwrap();
    let person = app.get(&format!("/v1/people?q=p{last}x599%40example.com"));
    assert_eq!(person.ok(200)["items"].as_array().unwrap().len(), 1);
    let refused = acknowledged.len();
    let ghost = app.get(&format!("/v1/people?q=p{refused}x0%40example.com"));
    assert_eq!(ghost.ok(200)["items"].as_array().unwrap().len(), 0);

    // The file itself is sound.
    let connection =
        rusqlite::Connection::open_with_flags(&app.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let check: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
