"""``sitrep watch``, ``sitrep feeds`` and ``sitrep ingest URL --feed``: exit codes and output.

These run in-process through Typer's runner, so the real extractor is loaded once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def config_file(tmp_path: Path, **data: Any) -> str:
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"host_delay": 0, **data}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["watch", "feeds"])
def test_cli_watch_commands_have_help_with_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_cli_watch_once_then_feeds_listing(
    site: Any, news_feed: Callable[..., str], tmp_path: Path, db_path: str
) -> None:
    feed = news_feed(3)
    site.add("/news/1.html", "<html>down</html>", status=500)
    config = config_file(tmp_path, feeds=[feed], allow_private=True)
    result = invoke("watch", config, "--once", "--db", db_path, "--json")
    assert result.exit_code == 1  # one item failed
    summary = json.loads(result.stdout)
    assert (summary["polls"], summary["stored"], summary["failed"]) == (1, 2, 1)
    assert "item at line" in summary["failures"][0] and "HTTP 500" in summary["failures"][0]
    assert "polling " + feed in result.stderr

    again = invoke("watch", config, "--once", "--db", db_path, "--json")
    assert json.loads(again.stdout)["stored"] == 0  # the 500 is retried, the rest are settled

    listed = invoke("feeds", "--db", db_path, "--json")
    assert listed.exit_code == 0
    (row,) = json.loads(listed.stdout)
    assert (row["url"], row["stored"], row["failed"], row["title"]) == (feed, 2, 1, "Test wire")
    table = invoke("feeds", "--db", db_path, "--csv")
    (csv_row,) = list(csv.DictReader(io.StringIO(table.stdout)))
    assert csv_row["url"] == feed and csv_row["stored"] == "2"


def test_cli_watch_refuses_loopback_without_allow_private(
    site: Any, news_feed: Callable[..., str], tmp_path: Path, db_path: str
) -> None:
    feed = news_feed(1)
    config = config_file(tmp_path, feeds=[feed])
    result = invoke("watch", config, "--once", "--db", db_path)
    assert result.exit_code == 1
    assert "a loopback address. Pass --allow-private" in result.stderr
    assert site.hits == []
    allowed = invoke("watch", config, "--once", "--db", db_path, "--allow-private")
    assert allowed.exit_code == 0, allowed.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("feeds: []\n", "'feeds' must be a list"), ("feeds: [x]\nevery: 5\n", "unknown key 'every'")],
)
def test_cli_watch_bad_config_is_a_usage_error(
    tmp_path: Path, db_path: str, content: str, message: str
) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text(content, encoding="utf-8")
    result = invoke("watch", str(path), "--db", db_path)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_watch_missing_config_is_a_usage_error(tmp_path: Path, db_path: str) -> None:
    result = invoke("watch", str(tmp_path / "nope.yaml"), "--db", db_path)
    assert result.exit_code == 2
    assert "cannot be read" in result.output


def test_cli_ingest_urls_and_feeds(site: Any, news_feed: Callable[..., str], db_path: str) -> None:
    feed = news_feed(2)
    page = site.article("/extra.html", 40)
    args = ["ingest", page, "--feed", feed, "--db", db_path, "--allow-private", "--host-delay", "0"]
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ingested"] == 3
    again = invoke(*args, "--json")
    assert json.loads(again.stdout) | {"failures": []} == {
        "ingested": 0,
        "already_present": 1,  # the page URL is read again (a sighting); the feed adds nothing
        "failed": 0,
        "events": 0,
        "db": db_path,
        "failures": [],
    }


def test_cli_ingest_url_on_loopback_fails_without_allow_private(site: Any, db_path: str) -> None:
    page = site.article("/story.html", 1)
    result = invoke("ingest", page, "--db", db_path)
    assert result.exit_code == 1
    assert "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address" in result.stderr
    assert "[E551]" in result.stderr


def test_cli_ingest_needs_a_path_or_a_feed(db_path: str) -> None:
    result = invoke("ingest", "--db", db_path)
    assert result.exit_code == 2
    assert "--feed" in result.output


def test_cli_watch_verbose_logs_items_and_requests(
    site: Any, news_feed: Callable[..., str], tmp_path: Path, db_path: str
) -> None:
    feed = news_feed(1)
    config = config_file(tmp_path, feeds=[feed], allow_private=True)
    quiet = invoke("watch", config, "--once", "--db", db_path)
    assert "HTTP Request" not in quiet.stderr and "fetching item" not in quiet.stderr
    verbose = invoke("watch", config, "--once", "--db", str(tmp_path / "other.db"), "-v")
    assert verbose.exit_code == 0, verbose.output
    assert f"fetching item at line 6: {site.url('/news/0.html')}" in verbose.stderr
    assert f"HTTP Request: GET {feed}" in verbose.stderr
