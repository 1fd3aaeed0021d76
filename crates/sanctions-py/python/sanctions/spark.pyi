import os
from typing import Optional, Sequence, Union

PathLike = Union[str, os.PathLike[str]]

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
): ...
