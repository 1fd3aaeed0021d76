"""Screening Arrow data: columns out of pyarrow into the Rust core, hits
back into a pyarrow table (the conversion is pyarrow's; the screening, in
parallel with the GIL released, the core's)."""

from __future__ import annotations

from typing import Any, List, Optional

import pyarrow as pa
import pyarrow.compute as pc

# Rows handed to the core at a time: large enough to keep every core busy,
# small enough that a large table's names are not all copied at once.
CHUNK_ROWS = 1 << 16

_TEXT_TYPES = (pa.string(), pa.large_string())


def output_schema(id_field: Optional[pa.Field] = None) -> pa.Schema:
    """The schema of what ``screen_arrow`` returns (with the id column, if named)."""
    fields = [pa.field("row", pa.int64(), nullable=False)]
    if id_field is not None:
        fields.append(id_field)
    fields += [
        pa.field("entity_id", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("severity", pa.string()),
        pa.field("list", pa.string()),
        pa.field("matched_name", pa.string()),
        pa.field("primary_name", pa.string()),
        pa.field("entity_type", pa.string()),
        pa.field("programs", pa.list_(pa.string())),
        pa.field("why", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("error", pa.string()),
    ]
    return pa.schema(fields)


def _plain_views(table: pa.Table) -> pa.Table:
    """String and binary views (as polars gives) as plain strings and
    binaries, which every pyarrow kernel takes."""
    is_string_view = getattr(pa.types, "is_string_view", lambda t: False)
    is_binary_view = getattr(pa.types, "is_binary_view", lambda t: False)
    fields = []
    for f in table.schema:
        if is_string_view(f.type):
            f = f.with_type(pa.string())
        elif is_binary_view(f.type):
            f = f.with_type(pa.binary())
        fields.append(f)
    schema = pa.schema(fields, metadata=table.schema.metadata)
    return table if schema.equals(table.schema) else table.cast(schema)


def to_table(data: Any) -> pa.Table:
    return _plain_views(_any_table(data))


def _any_table(data: Any) -> pa.Table:
    """A pyarrow Table of ``data``: a Table, a RecordBatch, a RecordBatchReader,
    anything with ``__arrow_c_stream__`` (polars, pandas 2.2+), or a pandas
    DataFrame."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if hasattr(data, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(data).read_all()
    try:
        import pandas
    except ImportError:  # pragma: no cover - pandas is optional
        pandas = None
    if pandas is not None and isinstance(data, pandas.DataFrame):
        return pa.Table.from_pandas(data, preserve_index=False)
    raise ValueError(
        "data must be a pyarrow Table or RecordBatch, or have __arrow_c_stream__, "
        f"got {type(data).__name__}"
    )


def _column(table: pa.Table, what: str, column: Optional[str]) -> Optional[pa.ChunkedArray]:
    if column is None:
        return None
    if not isinstance(column, str):
        raise ValueError(f"{what} must name a column (a str), got {column!r}")
    if column not in table.column_names:
        raise ValueError(
            f"{what}: no column {column!r} (columns: {', '.join(table.column_names)})"
        )
    return table.column(column)


def _texts(col: Optional[pa.ChunkedArray], what: str, n: int) -> List[Optional[str]]:
    if col is None:
        return [None] * n
    if col.type not in _TEXT_TYPES:
        try:
            col = col.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise ValueError(f"{what}: the column's type {col.type} cannot be read as text") from None
    return col.to_pylist()


def screen_table(
    core,
    table: pa.Table,
    *,
    name: str = "name",
    id: Optional[str] = None,
    date_of_birth: Optional[str] = None,
    country: Optional[str] = None,
    type: Optional[str] = None,
    row_offset: int = 0,
) -> pa.Table:
    """Screen ``table`` with a core (``sanctions._sanctions.Core``)."""
    names = _column(table, "name", name)
    ids = _column(table, "id", id)
    dobs = _column(table, "date_of_birth", date_of_birth)
    countries = _column(table, "country", country)
    types = _column(table, "type", type)
    if names.type not in _TEXT_TYPES and not pa.types.is_null(names.type):
        try:
            names = names.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise ValueError(f"name: the column {name!r} holds {names.type}, not text") from None
    id_field = table.schema.field(id) if id is not None else None
    if id is not None and id in output_schema().names:
        raise ValueError(f"id: the column {id!r} has the name of an output column: rename it")
    schema = output_schema(id_field)
    headers = [name, date_of_birth or "date_of_birth", type or "type"]
    parts = []
    n = table.num_rows
    for start in range(0, n, CHUNK_ROWS):
        length = min(CHUNK_ROWS, n - start)
        chunk = lambda col: col.slice(start, length) if col is not None else None  # noqa: E731
        rows = list(
            zip(
                _texts(chunk(names), "name", length),
                _texts(chunk(dobs), "date_of_birth", length),
                _texts(chunk(countries), "country", length),
                _texts(chunk(types), "type", length),
                [[]] * length,
            )
        )
        cols = core.screen_columns(rows, headers)
        local_rows = pa.array(cols["row"], pa.int64())
        arrays = {"row": pc.add(local_rows, start + row_offset)}
        if ids is not None:
            arrays[id] = chunk(ids).take(local_rows)
        for f in schema:
            if f.name in arrays:
                continue
            arrays[f.name] = pa.array(cols[f.name], f.type)
        parts.append(pa.Table.from_arrays([arrays[f.name] for f in schema], schema=schema))
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts)


def screen_arrow(screener, data: Any, **columns) -> pa.Table:
    return screen_table(screener._core, to_table(data), **columns)
