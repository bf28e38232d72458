"""Live writes against a running `warmpath serve`: how soon a write is answered, what writes
cost beside a read load, restarts and command-line questions on a large database.

Usage:
    python3 benches/live/writes.py visibility --url URL --egos DIR/egos_emails.txt [--writes 100] [--rows 100]
    python3 benches/live/writes.py load --url URL --egos DIR/egos_emails.txt [--seconds 60]
        [--imports-per-s 20] [--deletes-per-s 2] [--readers 32]
    python3 benches/live/writes.py restart --bin target/release/warmpath --db DB --egos DIR/egos_emails.txt
    python3 benches/live/writes.py big-list --bin target/release/warmpath --db DB [--rows 300000]

Every mode prints one JSON object. `visibility`: for each write, the write's own latency
(request to 201 or 204) and how long after its answer the next query showed it, for imports
of `--rows` new people, and for DELETE of a person and of an import. `load`: wrk (32
connections on GET /v1/introducers) beside a writer doing small imports and deletes at the
given rates; read latency percentiles from wrk, write percentiles from here, then a check
that every acknowledged import is answered and every deleted person and import is gone.
`restart`: `serve` started on the database until its first answer to /v1/introducers, and a
CLI `ask`, each timed. `big-list`: a contact list of `--rows` rows imported with the CLI
into the database, then a CLI `ask` timed.

Needs only Python's standard library (and wrk for `load`). Writes go to the server's
keyless loopback workspace unless KEY is set in the environment.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

KEY = os.environ.get("KEY", "")


def headers(extra=None):
    out = {"Authorization": f"Bearer {KEY}"} if KEY else {}
    out.update(extra or {})
    return out


class Client:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def call(self, method, path, body=None, content_type=None):
        extra = {"Content-Type": content_type} if content_type else {}
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers(extra))
                response = self.conn.getresponse()
                data = response.read()
                return response.status, data
            except (http.client.HTTPException, OSError):
                if attempt:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get_json(self, path):
        status, data = self.call("GET", path)
        return status, (json.loads(data) if data else None)


def query(params):
    return urllib.parse.urlencode(params)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def summary(values_ms):
    return {
        "n": len(values_ms),
        "p50_ms": round(statistics.median(values_ms), 2) if values_ms else None,
        "p99_ms": round(percentile(values_ms, 99), 2) if values_ms else None,
        "max_ms": round(max(values_ms), 2) if values_ms else None,
    }


def introducer_of(client, ego):
    """A direct contact of `ego` that leads to someone in finance: writes hang people off it."""
    status, body = client.get_json("/v1/introducers?" + query({"from": ego, "field": "finance", "limit": 1}))
    if status != 200 or not body["introducers"]:
        return None
    person = body["introducers"][0]["person"]
    return person["emails"][0] if person["emails"] else None


def contact_list(tag, rows):
    """`rows` new people in finance, with emails unique to this write."""
    lines = ["name,email,company,title,relationship,last_contacted"]
    for row in range(rows):
        lines.append(
            f"New Person {tag}-{row},new.{tag}.{row}@bench.example,Goldman Sachs,Investment Banker,colleague,2026-06-01"
        )
    return ("\n".join(lines) + "\n").encode()


def data_of(body):
    return json.dumps(body)[:200] if body is not None else None


def upload(client, owner, body):
    started = time.perf_counter()
    status, data = client.call(
        "POST", "/v1/imports?" + query({"owner": owner, "format": "contacts"}), body=body, content_type="text/csv"
    )
    took = (time.perf_counter() - started) * 1000
    return status, (json.loads(data) if data else None), took


def path_to(client, ego, target):
    """Whether a path from `ego` to `target` (an email) is answered now."""
    status, body = client.get_json("/v1/paths?" + query({"from": ego, "to": target, "max_hops": 2}))
    return status == 200 and len(body["paths"]) > 0


def wait_for(predicate, timeout=10.0):
    """Milliseconds until `predicate()` holds (checked at once, then without pause)."""
    started = time.perf_counter()
    while True:
        if predicate():
            return (time.perf_counter() - started) * 1000
        if time.perf_counter() - started > timeout:
            return None


def person_id(client, ego, email):
    """The id of the person holding `email`, from the path `ego` has to them (GET /v1/people?q=
    reads every person, which would weigh on what is measured)."""
    status, body = client.get_json("/v1/paths?" + query({"from": ego, "to": email, "max_hops": 2}))
    if status != 200 or not body["paths"]:
        return None
    return body["paths"][0]["target"]["id"]


def visibility(args):
    client = Client(args.url)
    egos = [line.strip() for line in open(args.egos) if line.strip()]
    random.seed(7)
    pairs = []
    for ego in egos:
        introducer = introducer_of(client, ego)
        if introducer:
            pairs.append((ego, introducer))
        if len(pairs) >= args.writes:
            break
    imports = {"write_ms": [], "visible_after_ms": [], "not_visible": 0, "errors": 0}
    made = []
    for index in range(args.writes):
        ego, owner = pairs[index % len(pairs)]
        tag = f"v{os.getpid()}x{index}"
        status, report, took = upload(client, owner, contact_list(tag, args.rows))
        if status != 201:
            imports["errors"] += 1
            continue
        imports["write_ms"].append(took)
        target = f"new.{tag}.0@bench.example"
        seen = wait_for(lambda: path_to(client, ego, target))
        if seen is None:
            imports["not_visible"] += 1
        else:
            imports["visible_after_ms"].append(seen)
        made.append((ego, target, report["id"]))
    deletes = {"person_write_ms": [], "person_gone_after_ms": [], "import_write_ms": [], "import_gone_after_ms": [], "still_there": 0}
    for position, (ego, target, import_id) in enumerate(made):
        if position % 2 == 0:
            person = person_id(client, ego, target)
            started = time.perf_counter()
            status, _ = client.call("DELETE", f"/v1/people/{person}")
            took = (time.perf_counter() - started) * 1000
            if status != 204:
                deletes["still_there"] += 1
                continue
            deletes["person_write_ms"].append(took)
            gone = wait_for(lambda: not path_to(client, ego, target))
            (deletes["person_gone_after_ms"].append(gone) if gone is not None else None)
            deletes["still_there"] += gone is None
        else:
            started = time.perf_counter()
            status, _ = client.call("DELETE", f"/v1/imports/{import_id}")
            took = (time.perf_counter() - started) * 1000
            if status != 204:
                deletes["still_there"] += 1
                continue
            deletes["import_write_ms"].append(took)
            gone = wait_for(lambda: not path_to(client, ego, target))
            (deletes["import_gone_after_ms"].append(gone) if gone is not None else None)
            deletes["still_there"] += gone is None
    print(json.dumps({
        "mode": "visibility",
        "rows_per_import": args.rows,
        "import": {
            "write": summary(imports["write_ms"]),
            "visible_after": summary(imports["visible_after_ms"]),
            "not_visible": imports["not_visible"],
            "errors": imports["errors"],
        },
        "delete_person": {"write": summary(deletes["person_write_ms"]), "gone_after": summary(deletes["person_gone_after_ms"])},
        "delete_import": {"write": summary(deletes["import_write_ms"]), "gone_after": summary(deletes["import_gone_after_ms"])},
        "still_there": deletes["still_there"],
    }))


def load(args):
    setup = Client(args.url)
    egos = [line.strip() for line in open(args.egos) if line.strip()]
    pairs = [(ego, introducer_of(setup, ego)) for ego in egos[:60]]
    pairs = [(ego, introducer) for ego, introducer in pairs if introducer]
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http", "introducers.lua")
    wrk = subprocess.Popen(
        ["wrk", "-t2", f"-c{args.readers}", f"-d{args.seconds}s", "--latency", "-s", script, args.url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, EGOS=args.egos, KEY=KEY),
    )
    lock = threading.Lock()
    results = {"import_ms": [], "delete_ms": [], "errors": [], "acknowledged": [], "deleted_people": [], "deleted_imports": []}
    stop = time.perf_counter() + args.seconds

    def writer(kind, rate, seed):
        client = Client(args.url)
        rng = random.Random(seed)
        interval = 1.0 / rate
        next_at = time.perf_counter()
        index = 0
        while time.perf_counter() < stop:
            now = time.perf_counter()
            if now < next_at:
                time.sleep(next_at - now)
            next_at += interval
            index += 1
            ego, owner = pairs[rng.randrange(len(pairs))]
            if kind == "import":
                tag = f"l{os.getpid()}s{seed}x{index}"
                status, report, took = upload(client, owner, contact_list(tag, 5))
                with lock:
                    if status == 201:
                        results["import_ms"].append(took)
                        results["acknowledged"].append((ego, f"new.{tag}.0@bench.example", f"new.{tag}.1@bench.example", report["id"]))
                    else:
                        results["errors"].append(("import", status, data_of(report)))
            else:
                with lock:
                    candidates = [a for a in results["acknowledged"] if a not in results["deleted_people"] and a not in results["deleted_imports"]]
                if not candidates:
                    continue
                victim = candidates[rng.randrange(len(candidates))]
                if index % 2:
                    person = person_id(client, victim[0], victim[1])
                    started = time.perf_counter()
                    status, _ = client.call("DELETE", f"/v1/people/{person}")
                    bucket = "deleted_people"
                else:
                    started = time.perf_counter()
                    status, _ = client.call("DELETE", f"/v1/imports/{victim[3]}")
                    bucket = "deleted_imports"
                took = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 204:
                        results["delete_ms"].append(took)
                        results[bucket].append(victim)
                    else:
                        results["errors"].append(("delete", status))

    threads = [threading.Thread(target=writer, args=("import", args.imports_per_s / 2, seed)) for seed in (1, 2)]
    threads.append(threading.Thread(target=writer, args=("delete", args.deletes_per_s, 3)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wrk_out, _ = wrk.communicate()
    # Afterwards: every acknowledged write answered, every deleted thing gone.
    check = Client(args.url)
    missing, lingering = 0, 0
    for ego, first, second, _ in results["acknowledged"]:
        deleted = (ego, first, second, _) in results["deleted_people"] or (ego, first, second, _) in results["deleted_imports"]
        if (ego, first, second, _) in results["deleted_imports"]:
            lingering += path_to(check, ego, first) or path_to(check, ego, second)
        elif (ego, first, second, _) in results["deleted_people"]:
            lingering += path_to(check, ego, first)
            missing += not path_to(check, ego, second)
        elif not deleted:
            missing += not path_to(check, ego, first)
    print(json.dumps({
        "mode": "load",
        "seconds": args.seconds,
        "reads": parse_wrk(wrk_out),
        "imports": summary(results["import_ms"]),
        "deletes": summary(results["delete_ms"]),
        "write_errors": len(results["errors"]),
        "first_errors": results["errors"][:3],
        "acknowledged_imports": len(results["acknowledged"]),
        "deleted_people": len(results["deleted_people"]),
        "deleted_imports": len(results["deleted_imports"]),
        "acknowledged_but_not_answered": missing,
        "deleted_but_still_answered": lingering,
    }))


def parse_wrk(text):
    out = {"raw_tail": text.strip().splitlines()[-12:]}
    for line in text.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] in ("50%", "75%", "90%", "99%"):
            value = words[1]
            scale = 1000.0 if value.endswith("us") else (1.0 if value.endswith("ms") else 0.001)
            number = float(value.rstrip("usm"))
            out[f"p{words[0][:-1]}_ms"] = round(number / scale if value.endswith("us") else number * (1000 if value.endswith("s") and not value.endswith("ms") else 1), 3)
        if line.startswith("Requests/sec:"):
            out["requests_per_s"] = float(line.split()[1])
        if "Non-2xx" in line or line.startswith("bad"):
            out["non_2xx"] = line.strip()
        if "Socket errors" in line:
            out["socket_errors"] = line.strip()
    return out


def rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(("VmHWM:", "VmRSS:")):
                yield line.split()[0][:-1], int(line.split()[1]) // 1024
    except OSError:
        return


def restart(args):
    egos = [line.strip() for line in open(args.egos) if line.strip()]
    env = dict(os.environ)
    log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)
    started = time.perf_counter()
    server = subprocess.Popen([args.bin, "--db", args.db, "serve", "--bind", "127.0.0.1:0"], stderr=log, env=env)
    url, first_answer = None, None
    try:
        while time.perf_counter() - started < 600:
            if url is None:
                text = open(log.name).read()
                for line in text.splitlines():
                    if line.startswith("warmpath listening on "):
                        url = line.split()[-1]
            if url:
                try:
                    client = Client(url)
                    status, _ = client.get_json("/v1/introducers?" + query({"from": egos[0], "field": "finance"}))
                    if status == 200:
                        first_answer = time.perf_counter() - started
                        break
                except OSError:
                    pass
            time.sleep(0.01)
        memory = dict(rss_mb(server.pid))
    finally:
        server.terminate()
        server.wait()
    ask_started = time.perf_counter()
    ask = subprocess.run([args.bin, "--db", args.db, "ask", "finance", "--from", egos[1], "--json"], capture_output=True, env=env)
    ask_s = time.perf_counter() - ask_started
    print(json.dumps({
        "mode": "restart",
        "serve_to_first_answer_s": round(first_answer, 3) if first_answer else None,
        "serve_rss_mb": memory,
        "cli_ask_s": round(ask_s, 3),
        "cli_ask_ok": ask.returncode == 0,
    }))


def big_list(args):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
        out.write("name,email,company,title,relationship,last_contacted\n")
        for row in range(args.rows):
            title = "Investment Banker" if row % 17 == 0 else "Engineer"
            out.write(f"Big List {row},big.{row}@list.example,Company {row % 5000},{title},acquaintance,2024-01-01\n")
        path = out.name
    started = time.perf_counter()
    imported = subprocess.run([args.bin, "--db", args.db, "import", path, "--json"], capture_output=True)
    import_s = time.perf_counter() - started
    asks = []
    for _ in range(3):
        started = time.perf_counter()
        ask = subprocess.run([args.bin, "--db", args.db, "ask", "finance", "--json"], capture_output=True)
        asks.append(time.perf_counter() - started)
    os.unlink(path)
    print(json.dumps({
        "mode": "big-list",
        "rows": args.rows,
        "import_s": round(import_s, 3),
        "import_ok": imported.returncode == 0,
        "cli_ask_s": [round(x, 3) for x in asks],
        "ask_ok": ask.returncode == 0,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    v = modes.add_parser("visibility")
    v.add_argument("--url", required=True)
    v.add_argument("--egos", required=True)
    v.add_argument("--writes", type=int, default=100)
    v.add_argument("--rows", type=int, default=100)
    l = modes.add_parser("load")
    l.add_argument("--url", required=True)
    l.add_argument("--egos", required=True)
    l.add_argument("--seconds", type=int, default=60)
    l.add_argument("--imports-per-s", type=float, default=20)
    l.add_argument("--deletes-per-s", type=float, default=2)
    l.add_argument("--readers", type=int, default=32)
    r = modes.add_parser("restart")
    r.add_argument("--bin", required=True)
    r.add_argument("--db", required=True)
    r.add_argument("--egos", required=True)
    b = modes.add_parser("big-list")
    b.add_argument("--bin", required=True)
    b.add_argument("--db", required=True)
    b.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    {"visibility": visibility, "load": load, "restart": restart, "big-list": big_list}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
