"""sitrep: a sourced, queryable model of a crisis built from open reporting.

Importing does nothing heavy: the public API is loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "extract",
    "extract_document",
    "ingest",
    "open_store",
]

_API = {"extract", "extract_document", "ingest", "open_store"}


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module("sitrep.api"), name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
