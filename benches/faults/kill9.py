#!/usr/bin/env python3
"""kill -9 in the middle of imports: is each import whole or absent, and the database sound?

Two loops over one database each (python3 standard library only):

* CLI: N times, `warmpath import` of a generated CSV of --rows rows (every row a new person
  with an email of its own), killed with SIGKILL at a random moment;
* server: N times, `warmpath serve` receives the same kind of CSV as a POST /v1/imports and
  is killed with SIGKILL at a random moment while it reads, resolves or writes it.

After each kill the database is opened again (by `warmpath people`, or by the restarted
server, whose GET /v1/imports must list exactly the imports the database holds), and each
import is checked: whole (its row in `imports`, its owner, every one of its people and
listings) or absent (none of them). `PRAGMA integrity_check` must say ok. Anything else
counts as corrupt, and the script exits 1.

    cargo build --release
    python3 benches/faults/kill9.py --cli 30 --server 30 --rows 5000

The kill moment is uniform over 0 to 1.3 times an uninterrupted run's duration (measured
first), so some kills land before the transaction, some inside it, some after the commit.
"""

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

DOMAIN = "kill.example"


def generate(path, tag, rows):
    with open(path, "w", encoding="utf-8") as out:
        out.write("name,email,company,title\n")
        for j in range(rows):
            out.write(f"Person {tag} {j},{tag}x{j}@{DOMAIN},Company {j % 97},Engineer\n")


def check(db, tag, rows):
    """'whole', 'absent' or a description of what is wrong with import `tag`."""
    connection = sqlite3.connect(db, timeout=30)
    try:
        (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
        if integrity != "ok":
            return f"integrity_check: {integrity}"
        owner = f"o{tag}@{DOMAIN}"
        (imports,) = connection.execute(
            "SELECT COUNT(*) FROM imports i JOIN person_emails e ON e.person_id = i.owner_id "
            "WHERE e.email = ?",
            (owner,),
        ).fetchone()
        (owners,) = connection.execute(
            "SELECT COUNT(*) FROM person_emails WHERE email = ?", (owner,)
        ).fetchone()
        (people,) = connection.execute(
            "SELECT COUNT(*) FROM person_emails WHERE email LIKE ?", (f"{tag}x%@{DOMAIN}",)
        ).fetchone()
        (listings,) = connection.execute(
            "SELECT COUNT(*) FROM listings l JOIN imports i ON i.id = l.import_id "
            "JOIN person_emails e ON e.person_id = i.owner_id WHERE e.email = ?",
            (owner,),
        ).fetchone()
    finally:
        connection.close()
    if (imports, owners, people, listings) == (1, 1, rows, rows):
        return "whole"
    if (imports, owners, people, listings) == (0, 0, 0, 0):
        return "absent"
    return f"partial: imports={imports} owner={owners} people={people} listings={listings}"


def imports_in_db(db):
    connection = sqlite3.connect(db, timeout=30)
    try:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM imports WHERE format <> 'manual'"
        ).fetchone()
    finally:
        connection.close()
    return count


def cli_loop(bin_path, work, runs, rows, rng, counts, failures):
    db = os.path.join(work, "cli.db")
    # One uninterrupted import to measure how long one takes.
    csv = os.path.join(work, "cli-base.csv")
    generate(csv, "cbase", rows)
    started = time.monotonic()
    subprocess.run(
        [bin_path, "--db", db, "import", csv, "--owner", f"ocbase@{DOMAIN}"],
        check=True, stdout=subprocess.DEVNULL,
    )
    duration = time.monotonic() - started
    print(f"cli: one import of {rows} rows takes {duration:.3f} s; killing within {1.3 * duration:.3f} s")
    for i in range(runs):
        tag = f"c{i}"
        csv = os.path.join(work, f"{tag}.csv")
        generate(csv, tag, rows)
        process = subprocess.Popen(
            [bin_path, "--db", db, "import", csv, "--owner", f"o{tag}@{DOMAIN}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0, 1.3 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        os.remove(csv)
        # Reopen with warmpath itself first (recovery, migrations), then look.
        subprocess.run(
            [bin_path, "--db", db, "people", "--limit", "1"],
            check=True, stdout=subprocess.DEVNULL,
        )
        verdict = check(db, tag, rows)
        record(counts, failures, "cli", tag, verdict)


def start_server(bin_path, db, log_path):
    with open(log_path, "w") as log:  # the server keeps its own copy of the descriptor
        process = subprocess.Popen(
            [bin_path, "--db", db, "serve", "--bind", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=log,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(log_path, encoding="utf-8", errors="replace") as text:
            found = re.search(r"^warmpath listening on (http:\S+)$", text.read(), re.M)
        if found:
            url = found.group(1)
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=5):
                    return process, url
            except OSError:
                pass
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    with open(log_path, encoding="utf-8", errors="replace") as text:
        raise SystemExit(f"the server did not become ready; its log:\n{text.read()}")


def listed_imports(url):
    count, cursor = 0, None
    while True:
        query = "/v1/imports?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        with urllib.request.urlopen(url + query, timeout=30) as response:
            page = json.load(response)
        count += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return count


def post(url, tag, body, killed_under_it=True):
    """Uploads body; a connection lost to the kill is expected unless killed_under_it is False
    (the baseline, whose failure would size the kill window from a failed request)."""
    request = urllib.request.Request(
        f"{url}/v1/imports?owner=o{tag}@{DOMAIN}", data=body,
        headers={"Content-Type": "text/csv"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except OSError:
        if not killed_under_it:
            raise


def server_loop(bin_path, work, runs, rows, rng, counts, failures):
    db = os.path.join(work, "server.db")
    log_path = os.path.join(work, "server.log")
    process, url = start_server(bin_path, db, log_path)
    try:
        csv = os.path.join(work, "server-base.csv")
        generate(csv, "sbase", rows)
        with open(csv, "rb") as f:
            body = f.read()
        started = time.monotonic()
        post(url, "sbase", body, killed_under_it=False)
        duration = time.monotonic() - started
        print(f"server: one upload of {rows} rows takes {duration:.3f} s; killing within {1.3 * duration:.3f} s")
        for i in range(runs):
            tag = f"s{i}"
            generate(csv, tag, rows)
            with open(csv, "rb") as f:
                body = f.read()
            sender = threading.Thread(target=post, args=(url, tag, body))
            sender.start()
            time.sleep(rng.uniform(0, 1.3 * duration))
            process.send_signal(signal.SIGKILL)
            process.wait()
            sender.join()
            process, url = start_server(bin_path, db, log_path)
            verdict = check(db, tag, rows)
            listed, stored = listed_imports(url), imports_in_db(db)
            if verdict in ("whole", "absent") and listed != stored:
                verdict = f"GET /v1/imports lists {listed} imports, the database holds {stored}"
            record(counts, failures, "server", tag, verdict)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def record(counts, failures, loop, tag, verdict):
    key = verdict if verdict in ("whole", "absent") else "corrupt"
    counts[loop][key] += 1
    if key == "corrupt":
        failures.append(f"{loop} {tag}: {verdict}")
        print(f"  {loop} {tag}: {verdict}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--bin", default=os.path.join(root, "target", "release", "warmpath"))
    parser.add_argument("--cli", type=int, default=30, help="CLI imports to kill")
    parser.add_argument("--server", type=int, default=30, help="server uploads to kill")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.access(args.bin, os.X_OK):
        raise SystemExit(f"no binary at {args.bin}: cargo build --release first")
    rng = random.Random(args.seed)
    counts = {loop: {"whole": 0, "absent": 0, "corrupt": 0} for loop in ("cli", "server")}
    failures = []
    with tempfile.TemporaryDirectory(prefix="warmpath-kill9-") as work:
        env_db = os.environ.pop("WARMPATH_DB", None)
        try:
            if args.cli:
                cli_loop(args.bin, work, args.cli, args.rows, rng, counts, failures)
            if args.server:
                server_loop(args.bin, work, args.server, args.rows, rng, counts, failures)
        finally:
            if env_db is not None:
                os.environ["WARMPATH_DB"] = env_db
    for loop in ("cli", "server"):
        c = counts[loop]
        print(f"{loop}: {c['whole']} whole, {c['absent']} absent, {c['corrupt']} corrupt")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
