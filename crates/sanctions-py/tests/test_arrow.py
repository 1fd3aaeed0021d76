"""screen_arrow: Arrow input from pyarrow, pandas and polars."""

import pyarrow as pa
import pytest

import sanctions
from conftest import REPO

NAMES = ["SenseTime Group Ltd", "", "Jane Example", "China Mobile Limited", None]
IDS = ["a", "b", "c", "d", "e"]


@pytest.fixture(scope="module")
def screener():
    return sanctions.Screener([REPO / "data" / "lists"])


def check(screener, table):
    expected = screener.screen_many(["SenseTime Group Ltd", "Jane Example", "China Mobile Limited"])
    assert table.column_names == [
        "row", "id", "entity_id", "score", "severity", "list", "matched_name", "primary_name",
        "entity_type", "programs", "why", "status", "error",
    ]
    assert table.schema.field("programs").type == pa.list_(pa.string())
    rows = table.to_pylist()
    hits = [r for r in rows if r["status"] == "hit"]
    errors = [r for r in rows if r["status"] == "error"]
    assert [(r["row"], r["id"]) for r in errors] == [(1, "b"), (4, "e")]
    assert all("empty `name` value" in r["error"] for r in errors)
    want = [(0, "a", h) for h in expected[0]] + [(3, "d", h) for h in expected[2]]
    assert [(r["row"], r["id"], r["entity_id"], r["score"]) for r in hits] == [
        (row, i, h.entity_id, h.score) for row, i, h in want
    ]
    first = hits[0]
    h = expected[0][0]
    assert (first["severity"], first["list"], first["matched_name"], first["primary_name"]) == (
        h.severity, h.list, h.matched_name, h.primary_name
    )
    assert tuple(first["programs"]) == h.programs and first["why"] == h.why


def test_a_pyarrow_table_and_record_batch(screener):
    table = pa.table({"id": IDS, "name": NAMES})
    check(screener, screener.screen_arrow(table, id="id"))
    check(screener, screener.screen_arrow(table.to_batches()[0], id="id"))


def test_pandas(screener):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": IDS, "name": NAMES})
    check(screener, screener.screen_arrow(df, id="id"))


def test_polars(screener):
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"id": IDS, "name": NAMES})
    check(screener, screener.screen_arrow(df, id="id"))


def test_other_columns_and_an_empty_table(screener):
    table = pa.table({
        "who": ["SenseTime Group Ltd", "SenseTime Group Ltd"],
        "born": ["1970-01-01", "someday"],
        "kind": ["organization", "organization"],
        "where": ["China", "China"],
    })
    out = screener.screen_arrow(table, name="who", date_of_birth="born", type="kind", country="where")
    statuses = out.column("status").to_pylist()
    assert "hit" in statuses and statuses[-1] == "error"
    assert "the `born` value" in out.column("error").to_pylist()[-1]
    empty = screener.screen_arrow(pa.table({"name": pa.array([], pa.string())}))
    assert empty.num_rows == 0 and "entity_id" in empty.column_names
