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
    "ingest_paths",
    "open_store",
    "timeline",
]

# Public name -> function in sitrep.api. ``sitrep.ingest`` is the ingest *stage* (a
# subpackage), so the API's ingest function is exported as ``ingest_paths``.
_API = {
    "extract": "extract",
    "extract_document": "extract_document",
    "ingest_paths": "ingest",
    "open_store": "open_store",
    "timeline": "timeline",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module("sitrep.api"), _API[name])
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
