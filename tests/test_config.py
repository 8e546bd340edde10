"""Settings: defaults, environment, overrides, and errors that name the key."""

from __future__ import annotations

import pytest

from sitrep.config import DEFAULT_MODELS, Settings
from sitrep.errors import ConfigError


def test_settings_defaults() -> None:
    settings = Settings.load(environ={})
    assert settings.db == "sitrep.db"
    assert settings.model_candidates() == DEFAULT_MODELS


def test_settings_environment_then_overrides() -> None:
    env = {"SITREP_DB": "env.db", "SITREP_MAX_BYTES": "1_000", "SITREP_MODEL": "xx_model"}
    settings = Settings.load({"db": "cli.db", "max_bytes": None}, environ=env)
    assert settings.db == "cli.db"
    assert settings.max_bytes == 1000
    assert settings.model_candidates() == ("xx_model",)


def test_settings_bad_value_names_key() -> None:
    with pytest.raises(ConfigError, match=r"max_bytes.*'lots'"):
        Settings.load(environ={"SITREP_MAX_BYTES": "lots"})


def test_settings_unknown_key() -> None:
    with pytest.raises(ConfigError, match="Unknown setting 'colour'"):
        Settings.load({"colour": "red"}, environ={})


@pytest.mark.parametrize(("raw", "expected"), [("0", False), ("false", False), ("YES", True)])
def test_settings_bool_from_environment(raw: str, expected: bool) -> None:
    assert Settings.load(environ={"SITREP_CASCADE": raw}).cascade is expected


def test_settings_bad_bool() -> None:
    with pytest.raises(ConfigError, match="cascade"):
        Settings.load(environ={"SITREP_CASCADE": "sometimes"})


def test_settings_classifier_takes_auto_on_or_off() -> None:
    assert Settings.load(environ={}).classifier == "off"
    assert Settings.load(environ={"SITREP_CLASSIFIER": " OFF "}).classifier == "off"
    assert Settings.load({"classifier": "on"}, environ={}).classifier == "on"
    with pytest.raises(ConfigError, match=r"'classifier'.*'sometimes'.*auto, on, off"):
        Settings.load(environ={"SITREP_CLASSIFIER": "sometimes"})
