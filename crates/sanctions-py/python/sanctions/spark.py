"""Screening a Spark DataFrame, with ``mapInArrow``.

The list files are shipped to the workers with ``SparkContext.addFile``;
each Python worker loads and indexes them once (Spark reuses Python workers)
and keeps the index in a module-level cache keyed by the files' sha256 and
the options. The result has the schema of ``Screener.screen_arrow``; ``row``
counts the rows of each partition from 0 (Spark has no global row number),
so name an ``id`` column to tell the input rows apart.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import ListError
from ._arrow import output_schema, screen_table
from ._sanctions import Core as _Core

__all__ = ["screen"]

PathLike = Union[str, "os.PathLike[str]"]

# Per Python worker: (files' key, threshold, top, threads) -> the loaded core.
_CORES: Dict[Tuple[str, float, int, Optional[int]], _Core] = {}


def _files(path: str) -> List[str]:
    """The files under a list path (the path itself when a file), in order."""
    if os.path.isfile(path):
        return [path]
    out = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in sorted(files))
    return out


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def lists_key(paths: Sequence[str]) -> str:
    """One sha256 of the list files under ``paths``: of each file's path
    (relative to its list path) and sha256, in order."""
    h = hashlib.sha256()
    for p in paths:
        base = os.path.basename(p)
        for f in _files(p):
            rel = os.path.join(base, os.path.relpath(f, p)) if os.path.isdir(p) else base
            h.update(f"{rel}\0{_sha256(f)}\n".encode())
    return h.hexdigest()


def _worker_core(key: str, names: List[str], threshold: float, top: int, threads: Optional[int]):
    """The core of this worker for these lists, loaded on first use."""
    cache_key = (key, threshold, top, threads)
    core = _CORES.get(cache_key)
    if core is None:
        from pyspark import SparkFiles

        core = _Core([SparkFiles.get(n) for n in names], threshold, top, threads)
        _CORES[cache_key] = core
    return core


def screen(
    df,
    lists: Union[PathLike, Sequence[PathLike]],
    *,
    name: str = "name",
    id: Optional[str] = None,
    date_of_birth: Optional[str] = None,
    country: Optional[str] = None,
    type: Optional[str] = None,
    threshold: float = 0.85,
    top: int = 5,
    threads: Optional[int] = None,
):
    """Screen the ``name`` column of a Spark DataFrame against ``lists``
    (files or directories on the driver): a DataFrame with a row per hit
    and a row per input row in error, as ``Screener.screen_arrow`` gives,
    with the ``id`` column carried through."""
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_type

    if isinstance(lists, (str, os.PathLike)):
        lists = [lists]
    paths = [os.path.abspath(os.fspath(p)) for p in lists]
    if not paths:
        raise ValueError("lists is empty: name the list files or directories to ship")
    for p in paths:
        if not os.path.exists(p):
            raise ListError(f"{p}: cannot read list path (No such file or directory)")
    names = [os.path.basename(p) for p in paths]
    if len(set(names)) != len(names):
        raise ValueError(f"lists: two list paths have the same name ({names}): Spark ships files by name")
    for col in (name, id, date_of_birth, country, type):
        if col is not None and col not in df.columns:
            raise ValueError(f"no column {col!r} (columns: {', '.join(df.columns)})")
    # Load the lists once on the driver: a broken list fails here, with
    # its name, not in a task; the options are checked the same way.
    _Core(paths, float(threshold), top, threads)
    key = lists_key(paths)
    sc = df.sparkSession.sparkContext
    for p in paths:
        sc.addFile(p, recursive=os.path.isdir(p))
    id_field = None
    if id is not None:
        id_field = pa.field(id, to_arrow_type(df.schema[id].dataType))
    arrow_schema = output_schema(id_field)
    schema = from_arrow_schema(pa.schema([f.with_nullable(True) for f in arrow_schema]))
    columns = dict(name=name, id=id, date_of_birth=date_of_birth, country=country, type=type)
    threshold = float(threshold)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        core = _worker_core(key, names, threshold, top, threads)
        offset = 0
        for batch in batches:
            out = screen_table(core, pa.Table.from_batches([batch]), row_offset=offset, **columns)
            offset += batch.num_rows
            yield from out.to_batches()

    return df.mapInArrow(run, schema)
