"""Packaged data: lexicons, gazetteers, mappings and the sample corpus.

``load_yaml`` parses with libyaml's C loader when PyYAML was built with it (the PyPI wheels
are): the gazetteers hold thousands of entries and the pure-Python parser took seconds.
"""

from __future__ import annotations

from typing import Any

import yaml

from sitrep.errors import DataFileError, ErrorCode

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no arbitrary objects), as ``yaml.safe_load`` does, but faster."""
    return yaml.load(text, Loader=_LOADER)


def data_file_error(path: str, why: str) -> DataFileError:
    """The one error for a packaged (or user-supplied) data file that fails to load."""
    return DataFileError(f"{ErrorCode.E301.format(path=path, why=why)} [E301]")


def read_yaml_file(root: Any, filename: str) -> tuple[str, Any]:
    """Read and parse ``root / filename`` (a folder Path or an importlib Traversable).

    Returns the path as text (for messages) and the parsed data; a missing file or bad YAML
    raises ``DataFileError`` naming the file. Validation is the caller's.
    """
    path = str(root / filename)
    try:
        text = (root / filename).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise data_file_error(path, "file not found") from exc
    try:
        return path, load_yaml(text)
    except yaml.YAMLError as exc:
        raise data_file_error(path, f"not valid YAML ({exc})") from exc
