"""Ingest stage: local files, folders and standard input become ``Document`` records.

``read_inputs`` is the entry point; it yields a ``Document`` per readable document and a
``Failure`` per unreadable input, so callers can report failures and carry on.
"""

from sitrep.ingest.local import SUPPORTED_SUFFIXES, read_inputs

__all__ = ["SUPPORTED_SUFFIXES", "read_inputs"]
