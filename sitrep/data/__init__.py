"""Packaged data: lexicons, gazetteers, mappings and the sample corpus.

``load_yaml`` parses with libyaml's C loader when PyYAML was built with it (the PyPI wheels
are): the gazetteers hold thousands of entries and the pure-Python parser took seconds.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no arbitrary objects), as ``yaml.safe_load`` does, but faster."""
    return yaml.load(text, Loader=_LOADER)
