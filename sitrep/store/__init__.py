"""The store stage: the only part of sitrep that speaks SQL.

``open_store(path_or_url)`` gives a ``Store`` that takes and returns typed records. Importing
this package connects to nothing; the submodules load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.store.store import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("sitrep.store.store"), name)
    raise AttributeError(f"module 'sitrep.store' has no attribute {name!r}")
