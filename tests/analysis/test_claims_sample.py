"""The same behaviour on reporting kept aside: the bundled sample corpus.

The sample articles (``sitrep/data/sample``) summarise the real autumn-2024 reporting on
North Korean troops in Russia; they were written before the claim linker and were not used
to tune it. These tests check behaviours, not particular claims: wire reprints count as one
origin, the precedence rule holds, contradictions are found, ingest order does not matter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app, sample_corpus

runner = CliRunner()
POSITIVE = {"confirmed", "reported", "believed", "suspected", "expected"}


def cli(*args: str) -> str:
    result = runner.invoke(
        app, list(args), env={"SITREP_SIMILARITY": "lexical"}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("sample")
    files = sorted(str(p) for p in Path(sample_corpus()).glob("*.md"))
    forward, backward = str(folder / "f.db"), str(folder / "b.db")
    cli("ingest", *files, "--db", forward, "-q")
    cli("ingest", *reversed(files), "--db", backward, "-q")
    claims = json.loads(cli("claims", "--json", "--db", forward))
    docs = {d["id"]: d for d in json.loads(cli("documents", "--json", "--db", forward))}
    return {"forward": forward, "backward": backward, "claims": claims, "docs": docs}


def test_claims_sample_wire_reprints_are_one_origin(sample) -> None:
    docs, claims = sample["docs"], sample["claims"]
    wire = {d for d, meta in docs.items() if "hwasong19-wire" in (meta["source"] or "")}
    assert len(wire) == 2
    both = [c for c in claims if wire <= set(c["documents"])]
    assert both, "the two reprints of the Meridian Wire story share no claim"
    for claim in both:
        assert claim["origins"] == len(claim["documents"]) - 1


def test_claims_sample_precedence_rule_holds(sample) -> None:
    for claim in sample["claims"]:
        statuses = {o["status"] for o in claim["status_history"]}
        if statuses & POSITIVE:
            assert claim["status"] in POSITIVE  # a denial or "unconfirmed" never wins
        if "confirmed" in statuses:
            assert claim["status"] == "confirmed"


def test_claims_sample_finds_contradictions_with_both_sides(sample) -> None:
    found = [x for c in sample["claims"] for x in c["contradictions"]]
    assert {x["kind"] for x in found} >= {"quantity", "status"}
    for x in found:
        assert x["a"]["document"] in sample["docs"] and x["b"]["document"] in sample["docs"]


def test_claims_sample_links_across_documents(sample) -> None:
    linked = [c for c in sample["claims"] if len(c["documents"]) > 1]
    assert len(linked) >= 5
    combat = [c for c in linked if c["type"] == "ASSAULT" and len(c["documents"]) >= 4]
    assert combat and combat[0]["status"] == "confirmed"


def test_claims_sample_ingest_order_does_not_matter(sample) -> None:
    backward = json.loads(cli("claims", "--json", "--db", sample["backward"]))
    assert backward == sample["claims"]
