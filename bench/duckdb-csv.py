"""The peer figure of bench/run.sh: DuckDB's read_json of a JSON-lines file written as CSV, one thread.

Usage: python3 bench/duckdb-csv.py FILE.jsonl OUT_DIR [ROUNDS (3)]
Prints one line per output: "<what> <seconds> <output bytes> <CPU seconds of the process>", each the
best of ROUNDS passes after a warm-up pass (on a shared machine the least disturbed pass is the truest, as bench/run.sh takes it).
Needs the duckdb Python module (pip install duckdb); bench/run.sh skips this step without it.
DuckDB keeps nested objects and lists as STRUCT/LIST columns (written as their text in one CSV),
where Observes flattens them into child tables: the work differs, the input is the same.
"""
import os
import sys
import time

import duckdb

source, out_dir = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
os.makedirs(out_dir, exist_ok=True)
db = duckdb.connect()
db.execute("SET threads = 1")
db.execute("SET preserve_insertion_order = true")
print("duckdb", duckdb.__version__, flush=True)
for what, options in (("plain-csv", "FORMAT csv"), ("zstd-csv", "FORMAT csv, COMPRESSION zstd")):
    out = os.path.join(out_dir, what + ".csv")
    sql = ("COPY (SELECT * FROM read_json(?, format = 'newline_delimited')) TO '" + out.replace("'", "''")
           + "' (" + options + ")")
    times, cpu = [], []
    for attempt in range(1 + rounds):  # a warm-up pass, then the best of the measured ones
        t0, c0 = time.perf_counter(), time.process_time()
        db.execute(sql, [source])
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(what, f"{min(times[1:]):.3f}", os.path.getsize(out), f"{min(cpu[1:]):.3f}", flush=True)
    os.remove(out)
