import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pyarrow

__all__ = ["Hit", "ListError", "Screener"]

PathLike = Union[str, os.PathLike[str]]
Identifiers = Union[Mapping[str, str], Sequence[Tuple[str, str]]]

class ListError(Exception):
    """A list file is missing, unreadable or cannot be parsed (the message names the file and line)."""

@dataclass(frozen=True)
class Hit:
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

class Screener:
    threshold: float
    top: int
    def __init__(
        self,
        lists: Optional[Sequence[PathLike]] = None,
        *,
        threshold: float = 0.85,
        top: int = 5,
        threads: Optional[int] = None,
    ) -> None: ...
    def lists(self) -> Dict[str, Any]: ...
    def screen(
        self,
        name: str,
        *,
        date_of_birth: Optional[str] = None,
        country: Optional[str] = None,
        type: Optional[str] = None,
        identifiers: Optional[Identifiers] = None,
    ) -> List[Hit]: ...
    def screen_many(
        self,
        names: Sequence[str],
        *,
        date_of_birth: Union[None, str, Sequence[Optional[str]]] = None,
        country: Union[None, str, Sequence[Optional[str]]] = None,
        type: Union[None, str, Sequence[Optional[str]]] = None,
        identifiers: Union[None, Identifiers, Sequence[Optional[Identifiers]]] = None,
    ) -> List[List[Hit]]: ...
    def screen_arrow(
        self,
        data: Any,
        *,
        name: str = "name",
        id: Optional[str] = None,
        date_of_birth: Optional[str] = None,
        country: Optional[str] = None,
        type: Optional[str] = None,
    ) -> pyarrow.Table: ...
