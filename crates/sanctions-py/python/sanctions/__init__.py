"""Screen names against sanctions and export-control lists.

The same screening core as the ``sanctions`` command: the same lists give
the same hits and scores as ``sanctions screen``.

>>> import sanctions
>>> screener = sanctions.Screener()          # doctest: +SKIP
>>> screener.screen("SenseTime Group Ltd")[0].entity_id  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._sanctions import Core as _Core
from ._sanctions import ListError

__all__ = ["Hit", "ListError", "Screener"]

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Hit:
    """A potential match of a screened name with a listed entry."""

    entity_id: str
    score: float
    severity: str
    list: str
    matched_name: str
    primary_name: str
    entity_type: str
    programs: Tuple[str, ...]
    why: str
    explanation: Dict[str, Any]

    @classmethod
    def _from_tuple(cls, t: tuple) -> "Hit":
        return cls(
            entity_id=t[0],
            score=t[1],
            severity=t[2],
            list=t[3],
            matched_name=t[4],
            primary_name=t[5],
            entity_type=t[6],
            programs=tuple(t[7]),
            why=t[8],
            explanation=json.loads(t[9]),
        )


def _is_per_name(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _identifier_pairs(identifiers: Any) -> List[Tuple[str, str]]:
    """Identifiers as (kind, value) pairs, from a mapping or pairs."""
    if identifiers is None:
        return []
    items = identifiers.items() if isinstance(identifiers, Mapping) else identifiers
    pairs = []
    for item in items:
        try:
            kind, value = item
        except (TypeError, ValueError):
            raise ValueError(
                f"identifiers: expected a mapping of kind to value or (kind, value) pairs, got {item!r}"
            ) from None
        if not isinstance(kind, str) or not isinstance(value, str):
            raise ValueError(f"identifiers: kind and value must be str, got {item!r}")
        pairs.append((kind, value))
    return pairs


def _optional_str(what: str, value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{what} must be a str or None, got {type(value).__name__}")


class Screener:
    """The lists, indexed once, and what screens names against them.

    ``lists``: list files or directories (as ``--lists``); ``None`` means what
    the CLI uses: ``SANCTIONS_LISTS``, then the fetched lists, then the bundled
    sample (with a warning). ``threshold``: hits scoring at least this are
    reported; ``top``: at most this many hits per name (0 = all);
    ``threads``: at most this many threads screen a batch (default: every core).
    """

    def __init__(
        self,
        lists: Optional[Sequence[PathLike]] = None,
        *,
        threshold: float = 0.85,
        top: int = 5,
        threads: Optional[int] = None,
    ) -> None:
        if lists is not None:
            if isinstance(lists, (str, bytes, os.PathLike)):
                lists = [lists]
            paths = []
            for p in lists:
                if not isinstance(p, (str, os.PathLike)):
                    raise ValueError(f"lists: expected paths (str or os.PathLike), got {p!r}")
                paths.append(os.fspath(p))
            lists = paths
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise ValueError(f"threshold must be a number, got {threshold!r}")
        if isinstance(top, bool) or not isinstance(top, int) or top < 0:
            raise ValueError(f"top must be an int of at least 0, got {top!r}")
        if threads is not None and (
            isinstance(threads, bool) or not isinstance(threads, int) or threads < 1
        ):
            raise ValueError(f"threads must be an int of at least 1, got {threads!r}")
        self._core = _Core(lists, float(threshold), top, threads)
        self.threshold = float(threshold)
        self.top = top
        if self._core.bundled():
            warnings.warn("sanctions: " + _Core.bundled_warning(), UserWarning, stacklevel=2)

    def lists(self) -> Dict[str, Any]:
        """What ``sanctions lists --json`` says of the lists loaded."""
        return json.loads(self._core.lists_json())

    def screen(
        self,
        name: str,
        *,
        date_of_birth: Optional[str] = None,
        country: Optional[str] = None,
        type: Optional[str] = None,
        identifiers: Optional[Union[Mapping[str, str], Sequence[Tuple[str, str]]]] = None,
    ) -> List[Hit]:
        """Screen one name: its hits, best first."""
        if not isinstance(name, str):
            raise ValueError(f"name must be a str, got {_type_name(name)}")
        return self.screen_many(
            [name],
            date_of_birth=date_of_birth,
            country=country,
            type=type,
            identifiers=identifiers,
        )[0]

    def screen_many(
        self,
        names: Sequence[str],
        *,
        date_of_birth: Any = None,
        country: Any = None,
        type: Any = None,
        identifiers: Any = None,
    ) -> List[List[Hit]]:
        """Screen many names in parallel: per name, its hits, best first.

        Each keyword is either one value for every name or a list or tuple
        with a value per name.
        """
        if isinstance(names, str):
            raise ValueError("names must be a sequence of str, not one str (use screen)")
        names = list(names)
        n = len(names)
        for i, nm in enumerate(names):
            if not isinstance(nm, str):
                raise ValueError(f"names[{i}] must be a str, got {_type_name(nm)}")

        def per_name(what: str, value: Any, check) -> list:
            if _is_per_name(value) and not (what == "identifiers" and _is_pairs(value)):
                if len(value) != n:
                    raise ValueError(f"{what}: {len(value)} values for {n} names")
                return [check(f"{what}[{i}]", v) for i, v in enumerate(value)]
            one = check(what, value)
            return [one] * n

        dobs = per_name("date_of_birth", date_of_birth, _optional_str)
        countries = per_name("country", country, _optional_str)
        types = per_name("type", type, _optional_str)
        ids = per_name("identifiers", identifiers, lambda _w, v: _identifier_pairs(v))
        rows = list(zip(names, dobs, countries, types, ids))
        results = self._core.screen_rows(rows, ["name", "date_of_birth", "type"])
        out = []
        for i, r in enumerate(results):
            if isinstance(r, str):
                raise ValueError(f"names[{i}]: {r}" if n > 1 else r)
            out.append([Hit._from_tuple(t) for t in r])
        return out

    def screen_arrow(
        self,
        data: Any,
        *,
        name: str = "name",
        id: Optional[str] = None,
        date_of_birth: Optional[str] = None,
        country: Optional[str] = None,
        type: Optional[str] = None,
    ):
        """Screen a column of names of an Arrow table: a ``pyarrow.Table``
        with a row per hit and a row per input row in error."""
        from . import _arrow

        return _arrow.screen_arrow(
            self,
            data,
            name=name,
            id=id,
            date_of_birth=date_of_birth,
            country=country,
            type=type,
        )


def _is_pairs(value: Any) -> bool:
    """One set of identifiers given as (kind, str) pairs, not one per name."""
    return (
        isinstance(value, (list, tuple))
        and len(value) > 0
        and all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in value
        )
    )


def _type_name(value: Any) -> str:
    # `type` is a keyword argument in the methods above, the builtin here.
    return type(value).__name__
