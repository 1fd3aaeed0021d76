"""The package screens as `sanctions screen` does, and its errors."""

import threading
import time
import warnings
from pathlib import Path

import pyarrow as pa
import pytest

import sanctions
from conftest import REPO, cli_hits


def test_the_bundled_sample_finds_sensetime_with_a_warning():
    with pytest.warns(UserWarning, match="bundled SAMPLE"):
        screener = sanctions.Screener()
    hits = screener.screen("SenseTime Group Ltd")
    assert hits[0].list.endswith("(NS-CMIC)"), hits[0]
    assert hits[0].entity_id == "ofac-cons:33114"
    assert hits[0].severity == "block" and hits[0].score == 1.0
    assert "CMIC-EO13959" in hits[0].programs
    assert hits[0].explanation["query_tokens"] == ["sensetime", "group", "ltd"]
    with pytest.raises(Exception):
        hits[0].score = 0.5  # frozen
    assert screener.screen("Jane Example") == []


def test_hits_and_scores_equal_the_clis(cli, corpus, tmp_path):
    names, lists = corpus
    expected = cli_hits(cli, names, lists, tmp_path)
    screener = sanctions.Screener(lists)
    got = screener.screen_many(names)
    assert len(got) == len(expected)
    mismatches = [
        (n, e, [(h.entity_id, h.score) for h in g])
        for n, e, g in zip(names, expected, got)
        if e != [(h.entity_id, round(h.score, 4)) for h in g]
    ]
    assert not mismatches, mismatches[:5]
    assert sum(map(len, got)) > 0
    table = screener.screen_arrow(pa.table({"name": names}))
    by_row = [[] for _ in names]
    for r, e, s in zip(
        table.column("row").to_pylist(),
        table.column("entity_id").to_pylist(),
        table.column("score").to_pylist(),
    ):
        by_row[r].append((e, s))
    assert by_row == expected


def test_threshold_and_top_are_the_clis(cli, corpus, tmp_path):
    names, lists = corpus
    names = names[:300]
    expected = cli_hits(cli, names, lists, tmp_path, threshold=0.7, top=2)
    got = sanctions.Screener(lists, threshold=0.7, top=2, threads=1).screen_many(names)
    assert [[(h.entity_id, h.score) for h in g] for g in got] == expected
    assert max(map(len, got)) == 2


def test_lists_is_what_the_cli_says(cli, tmp_path):
    import json
    import subprocess

    lists = REPO / "data" / "lists"
    done = subprocess.run(
        [str(cli), "lists", "--json", "--lists", str(lists)], capture_output=True, text=True, check=True
    )
    assert sanctions.Screener([lists]).lists() == json.loads(done.stdout)


def test_a_missing_list_is_a_list_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere" / "sdn.csv"
    with pytest.raises(sanctions.ListError, match=str(missing)):
        sanctions.Screener([missing])


def test_a_broken_list_is_a_list_error_naming_file_and_line(tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("hello,world\nfoo\n")
    with pytest.raises(sanctions.ListError) as e:
        sanctions.Screener([str(broken)])
    assert f"{broken}:1:" in str(e.value)


def test_a_list_directory_without_a_list_is_a_list_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to screen against\n")
    with pytest.raises(sanctions.ListError, match=str(tmp_path)):
        sanctions.Screener([tmp_path])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(threshold=1.5),
        dict(threshold="high"),
        dict(top=-1),
        dict(threads=0),
        dict(lists=[]),
        dict(lists=[42]),
    ],
)
def test_bad_options_are_value_errors(kwargs):
    kwargs.setdefault("lists", [REPO / "data" / "lists"])
    with pytest.raises(ValueError):
        sanctions.Screener(**kwargs)


@pytest.fixture(scope="module")
def screener():
    return sanctions.Screener([REPO / "data" / "lists"])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: s.screen(42), "must be a str"),
        (lambda s: s.screen(""), "empty `name` value"),
        (lambda s: s.screen("#N/A"), "spreadsheet error"),
        (lambda s: s.screen("???"), "no letter or digit"),
        (lambda s: s.screen("x" * 5000), "characters long"),
        (lambda s: s.screen("ACME", date_of_birth="yesterday"), "date_of_birth"),
        (lambda s: s.screen("ACME", type="fish"), "type"),
        (lambda s: s.screen("ACME", identifiers={"shoe size": "42"}), "identifier kind"),
        (lambda s: s.screen_many("ACME"), "not one str"),
        (lambda s: s.screen_many(["a", "b"], country=["US"]), "1 values for 2 names"),
        (lambda s: s.screen_arrow(pa.table({"nom": ["ACME"]})), "no column 'name'"),
        (lambda s: s.screen_arrow([1, 2]), "pyarrow Table"),
        (lambda s: s.screen_arrow(pa.table({"name": ["A"], "list": ["x"]}), id="list"), "output column"),
        (lambda s: s.screen_arrow(pa.table({"name": [[1, 2]]})), "not text"),
    ],
)
def test_bad_arguments_are_value_errors(screener, call, message):
    with pytest.raises(ValueError, match=message):
        call(screener)


def test_facts_change_hits_as_in_the_cli(cli, tmp_path, screener):
    import csv
    import json
    import subprocess

    rows = [
        ("SenseTime Group Ltd", "", "", "", ""),
        ("SenseTime Group Ltd", "China", "organization", "", ""),
        ("SenseTime Group Ltd", "Russia", "person", "1970-01-01", ""),
        ("China Mobile Limited", "Hong Kong", "", "", ""),
        ("China Mobile Limited", "", "vessel", "", ""),
        ("China Mobile Ltd", "", "", "", "HK0941009539"),
        ("Cheena Mobil", "", "", "", "HK0941009539"),
    ]
    path = tmp_path / "facts.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "country", "type", "date_of_birth", "isin"])
        w.writerows(rows)
    done = subprocess.run(
        [str(cli), "screen", str(path), "--format", "json", "--lists", str(REPO / "data" / "lists")],
        capture_output=True, text=True,
    )
    results = json.loads(done.stdout)["results"]
    expected = [[(h["entity_id"], h["score"], h["why"]) for h in r["hits"]] for r in results]
    got = screener.screen_many(
        [r[0] for r in rows],
        country=[r[1] or None for r in rows],
        type=[r[2] or None for r in rows],
        date_of_birth=[r[3] or None for r in rows],
        identifiers=[{"isin": r[4]} if r[4] else None for r in rows],
    )
    assert [[(h.entity_id, h.score, h.why) for h in g] for g in got] == expected
    fields = ["severity", "list", "matched_name", "primary_name", "entity_type", "programs", "explanation"]
    assert [[{f: getattr(h, f) for f in fields} for h in g] for g in got] == [
        [{f: tuple(h[f]) if f == "programs" else h[f] for f in fields} for h in r["hits"]]
        for r in results
    ]
    # The facts matter: the same name is reported differently.
    assert expected[0] != expected[2]
    # A listed ISIN finds a name too far off to match by itself.
    assert expected[6] and not screener.screen("Cheena Mobil")
    one = screener.screen("SenseTime Group Ltd", country="Russia", type="person", date_of_birth="1970-01-01")
    assert [(h.entity_id, h.score, h.why) for h in one] == expected[2]


def test_another_thread_runs_while_a_batch_screens():
    screener = sanctions.Screener([REPO / "data" / "lists"], threads=2)
    base = ["SenseTime Group Ltd", "China Mobile Limited", "Jane Example", "Rosneft Oil Company"]
    names = [f"{n} {i}" for i in range(30000) for n in base]
    ticks = 0
    stop = threading.Event()

    def spin():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        # How fast the other thread counts with the main thread asleep.
        time.sleep(0.05)
        start_ticks = ticks
        time.sleep(0.3)
        alone = (ticks - start_ticks) / 0.3
        before = ticks
        start = time.perf_counter()
        results = screener.screen_many(names)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert len(results) == len(names)
    assert elapsed > 0.3, f"the batch took {elapsed:.2f}s: too short to tell"
    # With the GIL held through the batch the other thread would count at
    # most one switch interval's worth (5 ms); released, it counts on
    # throughout, if slower beside the screening threads.
    assert during > 0.1 * alone * elapsed, (during, alone, elapsed)


def test_no_warning_with_lists_given():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sanctions.Screener([REPO / "data" / "lists"])


def test_sanctions_lists_env_is_the_default(monkeypatch):
    monkeypatch.setenv("SANCTIONS_LISTS", str(REPO / "data" / "samples" / "ofac"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sanctions.Screener()
    assert not s.lists()["bundled_sample_lists"]
    assert str(REPO / "data" / "samples" / "ofac") in s.lists()["files"][0]["path"]
