"""Ingest stage: local files, folders and standard input become ``Document`` records.

``read_inputs`` is the entry point; it yields a ``Document`` per readable document and a
``Failure`` per unreadable input, so callers can report failures and carry on. Pages and
feeds come in through ``web`` (over the guarded client in ``fetch``); ``dedup`` finds near
duplicates. Those modules are imported where they are used, not here.
"""

from sitrep.ingest.local import SUPPORTED_SUFFIXES, read_inputs

__all__ = ["SUPPORTED_SUFFIXES", "read_inputs"]
