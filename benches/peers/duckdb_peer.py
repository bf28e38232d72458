"""The DuckDB peer of ../shared/bench/README.md, run beside `warmpath bench` on the same data.

Usage: python3 benches/peers/duckdb_peer.py DATA_DIR   (DATA_DIR holds people.csv, edges.csv,
egos.txt from gen_network.py; needs `pip install duckdb`)

Loads people and both directions of every edge as the shared README's SQL does, then times
WB-2HOP and WB-INTRO for every ego, one query at a time, and prints one JSON object with the
load time and each query's median and p99 in microseconds.
"""
import json
import statistics
import sys
import time

import duckdb

data = sys.argv[1]
connection = duckdb.connect()
started = time.perf_counter()
connection.execute(
    f"CREATE TABLE people AS SELECT id::INTEGER id, email, field FROM read_csv('{data}/people.csv', header=true)"
)
connection.execute(
    f"""CREATE TABLE e2 AS WITH e AS (SELECT src::INTEGER src, dst::INTEGER dst, strength::DOUBLE w
        FROM read_csv('{data}/edges.csv', header=true))
      SELECT * FROM (SELECT src, dst, w FROM e UNION ALL SELECT dst, src, w FROM e) ORDER BY src, dst"""
)
load_s = time.perf_counter() - started

CANDIDATES = """WITH n1 AS (SELECT dst AS i, w AS sei FROM e2 WHERE src = $ego),
c AS (SELECT x.dst t, n1.i i, n1.sei * x.w score FROM n1 JOIN e2 x ON x.src = n1.i
      JOIN people p ON p.id = x.dst
      WHERE p.field = 'finance' AND x.dst <> $ego AND x.dst NOT IN (SELECT i FROM n1))"""
TWO_HOP = CANDIDATES + """
SELECT t, i, score FROM c
QUALIFY row_number() OVER (PARTITION BY t ORDER BY score DESC, i) = 1
ORDER BY score DESC, t LIMIT 10"""
INTRO = CANDIDATES + """
SELECT i, max(score) s, count(*) reach FROM c GROUP BY i ORDER BY s DESC, i LIMIT 10"""

egos = [int(line) for line in open(f"{data}/egos.txt") if line.strip()]


def timed(sql):
    for ego in egos[:10]:
        connection.execute(sql, {"ego": ego}).fetchall()
    samples = []
    for ego in egos:
        started = time.perf_counter()
        connection.execute(sql, {"ego": ego}).fetchall()
        samples.append(time.perf_counter() - started)
    samples.sort()
    p99 = samples[min(len(samples), -(-len(samples) * 99 // 100)) - 1]
    return {"median_us": round(statistics.median(samples) * 1e6, 1), "p99_us": round(p99 * 1e6, 1)}


print(json.dumps({"load_s": round(load_s, 2), "2hop": timed(TWO_HOP), "intro": timed(INTRO)}))
