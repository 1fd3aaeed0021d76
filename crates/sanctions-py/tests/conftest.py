"""Shared fixtures: the repository, the CLI to compare with, and the names
and lists the comparisons run on (the real lists and the dev names beside
the checkout when present, else the small files under data/)."""

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


def _cli_path():
    given = os.environ.get("SANCTIONS_CLI")
    if given:
        if not Path(given).is_file():
            pytest.fail(f"SANCTIONS_CLI={given}: no such file")
        return Path(given)
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "sanctions"
        if p.is_file():
            return p
    pytest.skip("no sanctions CLI to compare with: run `cargo build --release` or set SANCTIONS_CLI")


@pytest.fixture(scope="session")
def cli():
    return _cli_path()


@pytest.fixture(scope="session")
def corpus():
    """(names, list paths): the dev names and the real lists from ../shared
    when present, else data/examples/names.csv and the bundled sample files."""
    dev, lists = SHARED / "eval" / "dev.csv", SHARED / "lists"
    if dev.is_file() and lists.is_dir():
        with open(dev, newline="", encoding="utf-8") as f:
            names = [r["query"] for r in csv.DictReader(f)]
        return names, [lists]
    print("../shared is absent: comparing on data/examples/names.csv and data/lists instead")
    with open(REPO / "data" / "examples" / "names.csv", newline="", encoding="utf-8") as f:
        names = [r["name"] for r in csv.DictReader(f)]
    return names, [REPO / "data" / "lists"]


def cli_hits(cli, names, lists, tmp_path, threshold=0.85, top=5, ids=None):
    """Per name, the CLI's hits as (entity_id, score); or the row's error."""
    path = tmp_path / "names.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for i, n in enumerate(names):
            w.writerow([ids[i] if ids else f"r{i}", n])
    args = [str(cli), "screen", str(path), "--format", "json", "--threshold", str(threshold)]
    args += ["--top", str(top)]
    for p in lists:
        args += ["--lists", str(p)]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode in (0, 1, 2), done.stderr
    report = json.loads(done.stdout)
    out = {}
    for r in report["results"]:
        key = r["id"]
        if r["verdict"] == "error":
            out[key] = ("error", r["error"])
        else:
            out[key] = [(h["entity_id"], h["score"]) for h in r["hits"]]
    return [out[ids[i] if ids else f"r{i}"] for i in range(len(names))]
