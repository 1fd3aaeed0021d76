"""sanctions.spark.screen on pyspark local[2]: its hits equal the CLI's.

Skipped without pyspark or Java unless SANCTIONS_REQUIRE_SPARK is set (as
CI sets it): then a missing piece fails the test.
"""

import os
import shutil
import sys

import pytest

import sanctions
from conftest import cli_hits


def _need(what):
    if os.environ.get("SANCTIONS_REQUIRE_SPARK"):
        pytest.fail(f"SANCTIONS_REQUIRE_SPARK is set but {what} is missing")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _need("pyspark")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        _need("Java")
    # The workers run this interpreter, which has the package installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sanctions-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_hits_equal_the_clis(spark, cli, corpus, tmp_path):
    import sanctions.spark

    names, lists = corpus
    names = names[:3000]
    ids = [f"q{i}" for i in range(len(names))]
    expected = cli_hits(cli, names, lists, tmp_path, ids=ids)
    df = spark.createDataFrame(list(zip(ids, names)), "id string, name string").repartition(3)
    out = sanctions.spark.screen(df, lists, id="id")
    assert out.columns[:3] == ["row", "id", "entity_id"]
    got = {i: [] for i in ids}
    for r in out.collect():
        if r["status"] == "error":
            got[r["id"]] = ("error", r["error"])
        else:
            got[r["id"]].append((r["entity_id"], r["score"], r["programs"]))
    for i, e in zip(ids, expected):
        g = got[i]
        if isinstance(e, tuple):
            assert isinstance(g, tuple), (i, g)
            continue
        # Within a row, hits keep their order (best first).
        assert [(eid, s) for eid, s, _ in g] == e, i
    assert sum(len(v) for v in got.values() if isinstance(v, list)) > 0


def test_spark_a_missing_list_fails_on_the_driver(spark, tmp_path):
    import sanctions.spark

    df = spark.createDataFrame([("a", "ACME")], "id string, name string")
    with pytest.raises(sanctions.ListError, match="nowhere"):
        sanctions.spark.screen(df, [tmp_path / "nowhere"], id="id")
