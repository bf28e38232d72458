"""POST /v1/paths/batch with 1,000 path queries (two paths each: a batch asks for at most 2,000
paths in all) against the same 1,000 queries sent one by one.

Usage: python3 benches/http/batch.py HOST PORT egos_emails.txt
Prints the five timings of each and the ratio of the medians. Both sides read the whole
response before the clock stops; the batch's answers are checked after it.
"""
import http.client, json, sys, time, urllib.parse, statistics
host, port, egos_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
egos = [l.strip() for l in open(egos_file) if l.strip()]
queries = [egos[i % len(egos)] for i in range(1000)]
def one_by_one(conn):
    t = time.perf_counter()
    for ego in queries:
        conn.request("GET", "/v1/paths?" + urllib.parse.urlencode({"from": ego, "field": "finance", "limit": 2}))
        r = conn.getresponse(); body = r.read()
        assert r.status == 200, (r.status, body[:200])
    return time.perf_counter() - t
def batch(conn):
    payload = json.dumps({"queries": [{"from": ego, "field": "finance", "limit": 2} for ego in queries]})
    t = time.perf_counter()
    conn.request("POST", "/v1/paths/batch", body=payload, headers={"Content-Type": "application/json"})
    r = conn.getresponse(); body = r.read()
    took = time.perf_counter() - t
    assert r.status == 200, (r.status, body[:300])
    results = json.loads(body)["results"]
    assert len(results) == 1000 and all("paths" in x for x in results), results[:1]
    return took
conn = http.client.HTTPConnection(host, port)
one_by_one(conn); batch(conn)  # warm up
seq = [one_by_one(conn) for _ in range(5)]
bat = [batch(conn) for _ in range(5)]
print(json.dumps({"one_by_one_s": [round(x, 3) for x in seq], "batch_s": [round(x, 3) for x in bat],
                  "median_one_by_one_s": round(statistics.median(seq), 3), "median_batch_s": round(statistics.median(bat), 3),
                  "speedup": round(statistics.median(seq) / statistics.median(bat), 2)}))
