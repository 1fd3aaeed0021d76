#!/usr/bin/env python3
"""Names/s of the Python package against the CLI, in one run, on the same
names and lists (docs/python.md gives the figures this printed).

    python scripts/bench_python.py [--rows 100000] [--spark 1000000]
        [--names ../shared/eval/dev.csv] [--lists ../shared/lists]
        [--cli target/release/sanctions]

The names are the `query` column of --names, cycled to --rows; each round
after the first rotates every name's words by one more place (a name
written surname first), so that the rows are not the same names again.
Run it with the Python that has the package installed (and pyspark, for
--spark). It prints, for the CLI: the wall time of `sanctions screen` on
the names (CSV report to a file) and of the same command on one name (the
lists loaded and indexed, nothing screened), and names/s over the
difference; for Python: the time to build `Screener(lists)`, then
`screen_arrow` on a pyarrow table of the names, names/s, and the ratio to
the CLI. With --spark N: `sanctions.spark.screen` on N names in a Parquet
file, on `local[2]`, written to Parquet.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_names(dev: Path, rows: int) -> list:
    with open(dev, newline="", encoding="utf-8") as f:
        base = [r["query"] for r in csv.DictReader(f) if r["query"].strip()]
    out = []
    k = 0
    while len(out) < rows:
        for n in base:
            words = n.split()
            shift = k % len(words) if words else 0
            out.append(" ".join(words[shift:] + words[:shift]))
            if len(out) == rows:
                break
        k += 1
    return out


def run_cli(cli: Path, lists: Path, names_csv: Path, out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [str(cli), "screen", str(names_csv), "--lists", str(lists), "--format", "csv", "-o", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1, 2):
        sys.exit(f"the CLI failed ({done.returncode}): {done.stderr}")
    return elapsed


def write_csv(path: Path, names: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        w.writerows((f"r{i}", n) for i, n in enumerate(names))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--spark", type=int, default=0, help="also screen this many names on Spark local[2]")
    ap.add_argument("--names", type=Path, default=REPO.parent / "shared" / "eval" / "dev.csv")
    ap.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "lists")
    ap.add_argument("--cli", type=Path, default=REPO / "target" / "release" / "sanctions")
    a = ap.parse_args()

    import pyarrow as pa

    import sanctions

    names = make_names(a.names, a.rows)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_csv(tmp / "names.csv", names)
        write_csv(tmp / "one.csv", names[:1])
        full = run_cli(a.cli, a.lists, tmp / "names.csv", tmp / "out.csv")
        fixed = run_cli(a.cli, a.lists, tmp / "one.csv", tmp / "out1.csv")
        cli_rate = len(names) / (full - fixed)
        print(f"names: {len(names)} from {a.names.name}; lists: {os.path.relpath(a.lists, REPO)}; cores: {os.cpu_count()}")
        print(
            f"cli: screen {full:.2f}s, one name {fixed:.2f}s (load and index); "
            f"{cli_rate:,.0f} names/s screening ({len(names) / full:,.0f} names/s with the load)"
        )
        start = time.perf_counter()
        screener = sanctions.Screener([a.lists])
        load = time.perf_counter() - start
        table = pa.table({"id": [f"r{i}" for i in range(len(names))], "name": names})
        start = time.perf_counter()
        result = screener.screen_arrow(table, id="id")
        screen = time.perf_counter() - start
        rate = len(names) / screen
        print(
            f"python: Screener {load:.2f}s; screen_arrow {screen:.2f}s, {result.num_rows} rows out; "
            f"{rate:,.0f} names/s ({len(names) / (load + screen):,.0f} names/s with the load); "
            f"{rate / cli_rate:.2f}x the CLI"
        )
        if a.spark:
            spark_run(a, tmp)


def spark_run(a, tmp: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession

    import sanctions.spark

    names = make_names(a.names, a.spark)
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(len(names))], "name": names}), tmp / "in.parquet")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter()
    df = spark.read.parquet(str(tmp / "in.parquet"))
    sanctions.spark.screen(df, [a.lists], id="id").write.parquet(str(tmp / "out.parquet"))
    elapsed = time.perf_counter() - start
    hits = spark.read.parquet(str(tmp / "out.parquet")).count()
    print(
        f"spark local[2]: {len(names)} names in {elapsed:.1f}s, {len(names) / elapsed:,.0f} names/s "
        f"(lists loaded once per Python worker), {hits} rows out"
    )
    spark.stop()


if __name__ == "__main__":
    main()
