"""read_inputs end to end: files, folders, standard input, and every way an input can fail."""

from __future__ import annotations

import codecs
import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from sitrep.ingest import SUPPORTED_SUFFIXES, read_inputs
from sitrep.records import Document, Failure, document_id

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
REPORT = "Artillery fire was reported near the northern crossing on Sunday evening.\n"


def _read(*paths: str | Path, **kwargs: object) -> list[Document | Failure]:
    return list(read_inputs(paths, **kwargs))  # type: ignore[arg-type]


def _only(results: list[Document | Failure]) -> Document | Failure:
    assert len(results) == 1, results
    return results[0]


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _codes(results: list[Document | Failure]) -> list[str]:
    return ["doc" if isinstance(r, Document) else r.code for r in results]


# --- single files ---------------------------------------------------------------------------


def test_read_inputs_text_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "report.txt", REPORT)
    doc = _only(_read(path, published=date(2024, 4, 1)))
    assert isinstance(doc, Document)
    assert doc.text == REPORT
    assert doc.title is None
    assert doc.published == date(2024, 4, 1)
    assert doc.source == str(path)
    assert doc.id == document_id(REPORT)


def test_read_inputs_file_without_suffix_is_text(tmp_path: Path) -> None:
    doc = _only(_read(_write(tmp_path, "NOTES", REPORT)))
    assert isinstance(doc, Document)
    assert doc.text == REPORT


def test_read_inputs_keeps_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "in/report.txt", REPORT)
    monkeypatch.chdir(tmp_path)
    doc = _only(_read("in/report.txt"))
    assert doc.source == "in/report.txt"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("wire_report.txt", None),
        ("briefing.md", "Border crossing reopens after talks"),
        ("field_notes.md", "Shelling reported near the river port"),
        ("news_page.html", "Ceasefire talks resume in Doha"),
    ],
)
def test_read_inputs_fixture_formats(name: str, title: str | None) -> None:
    doc = _only(_read(FIXTURES / name))
    assert isinstance(doc, Document)
    assert doc.title == title
    assert doc.text.strip()


def test_read_inputs_markdown_suffix_variants(tmp_path: Path) -> None:
    results = _read(
        _write(tmp_path, "a.markdown", "# Upper\n\nBody one.\n"),
        _write(tmp_path, "b.MD", "# Shouting\n\nBody two.\n"),
        _write(
            tmp_path, "c.htm", "<html><body><article><p>Body three.</p></article></body></html>"
        ),
    )
    assert [r.title for r in results if isinstance(r, Document)] == ["Upper", "Shouting", None]


def test_read_inputs_metadata_date_wins_over_argument() -> None:
    doc = _only(_read(FIXTURES / "briefing.md", published=date(1999, 1, 1)))
    assert isinstance(doc, Document)
    assert doc.published == date(2024, 3, 7)


def test_read_inputs_bad_metadata_date_is_e110(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\npublished: 07/03/2024\n---\nBody.\n")
    failure = _only(_read(path))
    assert isinstance(failure, Failure)
    assert failure.code == "E110"
    assert failure.source == str(path)


def test_read_inputs_bad_front_matter_is_e109(tmp_path: Path) -> None:
    failure = _only(_read(_write(tmp_path, "a.md", "---\ntitle: 'unclosed\n---\nBody.\n")))
    assert isinstance(failure, Failure)
    assert failure.code == "E109"


def test_read_inputs_html_without_text_is_e108(tmp_path: Path) -> None:
    failure = _only(_read(_write(tmp_path, "a.html", "<html><body><nav>Home</nav></body></html>")))
    assert isinstance(failure, Failure)
    assert failure.code == "E108"


def test_read_inputs_jsonl_in_order_with_failures() -> None:
    results = _read(FIXTURES / "records.jsonl", published=date(2024, 12, 1))
    assert _codes(results) == ["doc", "doc", "E107", "E107", "E110", "E107", "doc"]
    assert [r.record_id for r in results if isinstance(r, Document)] == ["r1", "r2", "6"]
    last = results[-1]
    assert isinstance(last, Document)
    assert last.published == date(2024, 12, 1)
    assert last.source == str(FIXTURES / "records.jsonl")


def test_read_inputs_json_list() -> None:
    results = _read(FIXTURES / "records.json")
    assert _codes(results) == ["doc", "E107", "doc"]


# --- failures for a whole input ---------------------------------------------------------


def test_read_inputs_missing_path_is_e101(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    failure = _only(_read(missing))
    assert failure == Failure(
        source=str(missing),
        reason="file not found. Check the path, or pass '-' to read standard input.",
        code="E101",
    )


def test_read_inputs_path_below_a_file_is_e101(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", REPORT)
    assert _codes(_read(path / "b.txt")) == ["E101"]


def test_read_inputs_path_with_nul_is_e111() -> None:
    failure = _only(_read("bad\x00name.txt"))
    assert isinstance(failure, Failure)
    assert failure.code == "E111"


def test_read_inputs_wrong_encoding_is_e103(tmp_path: Path) -> None:
    path = _write(tmp_path, "legacy.txt", "Réunion à Genève".encode("cp1252"))
    failure = _only(_read(path))
    assert isinstance(failure, Failure)
    assert failure.code == "E103"
    assert failure.message().startswith(f"{path}: is not valid UTF-8")


@pytest.mark.parametrize("data", [b"", b"\n\n  \t\n"])
def test_read_inputs_empty_file_is_e104(tmp_path: Path, data: bytes) -> None:
    assert _codes(_read(_write(tmp_path, "empty.txt", data))) == ["E104"]


def test_read_inputs_utf16_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.txt", codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"))
    doc = _only(_read(path))
    assert isinstance(doc, Document)
    assert doc.text == REPORT


def test_read_inputs_nul_bytes_in_text_file_are_e102(tmp_path: Path) -> None:
    assert _codes(_read(_write(tmp_path, "blob.txt", b"\x7fELF\x02\x01\x01\x00\x00\xff"))) == [
        "E102"
    ]


def test_read_inputs_size_limit_is_e105(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.txt", "word " * 300)
    failure = _only(_read(path, max_bytes=1_000))
    assert isinstance(failure, Failure)
    assert failure.code == "E105"
    assert failure.reason == (
        "is 1,500 bytes, over the 1,000-byte limit. Raise --max-bytes to read it."
    )
    assert _codes(_read(path, max_bytes=1_500)) == ["doc"]


def test_read_inputs_unsupported_suffix_is_e106(tmp_path: Path) -> None:
    failure = _only(_read(_write(tmp_path, "brief.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")))
    assert isinstance(failure, Failure)
    assert failure.code == "E106"
    assert "'.pdf'" in failure.reason
    assert all(suffix in failure.reason for suffix in SUPPORTED_SUFFIXES)


# --- folders --------------------------------------------------------------------------------


def test_read_inputs_folder_skips_binary_and_reads_siblings(tmp_path: Path) -> None:
    _write(tmp_path, "a_report.txt", REPORT)
    _write(tmp_path, "b_map.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    _write(tmp_path, "c_dump.txt", b"\x00\x01\x02\x03binary\x00")
    _write(tmp_path, "d_notes.md", "# Notes\n\nConvoy seen at the bridge.\n")
    results = _read(tmp_path)
    assert _codes(results) == ["doc", "E106", "E102", "doc"]
    assert [Path(r.source or "").name for r in results] == [
        "a_report.txt",
        "b_map.png",
        "c_dump.txt",
        "d_notes.md",
    ]


def test_read_inputs_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/b/c.txt", "c.md", "A.txt"]:
        _write(tmp_path, name, f"Report stored as {name}.\n")
    sources = [r.source for r in _read(tmp_path)]
    expected = ["A.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c.md"]
    assert sources == [os.path.join(str(tmp_path), name) for name in expected]


def test_read_inputs_folder_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    _write(tmp_path, "visible.txt", REPORT)
    _write(tmp_path, ".draft.txt", "hidden draft\n")
    _write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    _write(tmp_path, "sub/.cache/x.txt", "cached\n")
    _write(tmp_path, "sub/.DS_Store", b"\x00\x00\x00\x01Bud1")
    results = _read(tmp_path)
    assert [Path(r.source or "").name for r in results] == ["visible.txt"]


def test_read_inputs_hidden_file_named_directly_is_read(tmp_path: Path) -> None:
    assert _codes(_read(_write(tmp_path, ".note.txt", REPORT))) == ["doc"]


def test_read_inputs_folder_copy_of_fixtures(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "in")
    results = _read(tmp_path / "in")
    names = [Path(r.source or "").name for r in results]
    assert names == sorted(names)
    assert {Path(r.source or "").name for r in results if isinstance(r, Failure)} == {
        "records.json",
        "records.jsonl",
    }


def test_read_inputs_does_not_follow_folder_links(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", REPORT)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert _codes(_read(tmp_path)) == ["doc"]


def test_read_inputs_broken_link_in_folder_is_e101(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", REPORT)
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    assert _codes(_read(tmp_path)) == ["doc", "E101"]


def test_read_inputs_same_text_same_id(tmp_path: Path) -> None:
    first = _write(tmp_path, "one.txt", REPORT)
    second = _write(tmp_path, "copy/two.txt", REPORT.replace("\n", "\r\n"))
    third = _write(tmp_path, "three.jsonl", '{"id": "x", "text": "' + REPORT.strip() + '"}\n')
    docs = _read(first, second, third)
    assert all(isinstance(d, Document) for d in docs)
    assert len({d.id for d in docs if isinstance(d, Document)}) == 1
    assert [d.source for d in docs] == [str(first), str(second), str(third)]


def test_read_inputs_different_text_different_id(tmp_path: Path) -> None:
    docs = _read(_write(tmp_path, "a.txt", "One report.\n"), _write(tmp_path, "b.txt", "Two.\n"))
    assert len({d.id for d in docs if isinstance(d, Document)}) == 2


# --- standard input -------------------------------------------------------------------------


def test_read_inputs_stdin_text() -> None:
    stdin = io.BytesIO(b"Sirens sounded across the capital overnight.\r\n")
    doc = _only(_read("-", stdin=stdin, published=date(2024, 7, 4)))
    assert isinstance(doc, Document)
    assert doc.source == "<stdin>"
    assert doc.text == "Sirens sounded across the capital overnight.\n"
    assert doc.published == date(2024, 7, 4)


def test_read_inputs_stdin_jsonl() -> None:
    stdin = io.BytesIO(
        b'  {"id": "s1", "text": "First item.", "outlet": "Wire"}\n'
        b"not json\n"
        b'{"id": "s2", "text": "Second item."}\n'
    )
    results = _read("-", stdin=stdin)
    assert _codes(results) == ["doc", "E107", "doc"]
    assert [r.source for r in results] == ["<stdin>"] * 3
    assert [r.record_id for r in results if isinstance(r, Document)] == ["s1", "s2"]


def test_read_inputs_stdin_with_bom_jsonl() -> None:
    stdin = io.BytesIO(codecs.BOM_UTF8 + b'{"text": "Item."}\n')
    assert _codes(_read("-", stdin=stdin)) == ["doc"]


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "E104"), (b"\xff\xfeab\xd8", "E103"), (b"x" * 2_000, "E105")],
)
def test_read_inputs_stdin_failures(data: bytes, code: str) -> None:
    failure = _only(_read("-", stdin=io.BytesIO(data), max_bytes=1_000))
    assert isinstance(failure, Failure)
    assert failure.code == code
    assert failure.source == "<stdin>"


def test_read_inputs_mixes_stdin_files_and_failures_in_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", REPORT)
    stdin = io.BytesIO(b"From a pipe.\n")
    results = _read(path, "-", tmp_path / "missing.md", stdin=stdin)
    assert [r.source for r in results] == [str(path), "<stdin>", str(tmp_path / "missing.md")]
    assert _codes(results) == ["doc", "doc", "E101"]


# --- the contract ---------------------------------------------------------------------------


def test_read_inputs_is_lazy(tmp_path: Path) -> None:
    stdin = io.BytesIO(b"Unread.\n")
    results = read_inputs(["-"], stdin=stdin)
    assert stdin.tell() == 0
    next(results)
    assert stdin.tell() > 0


def test_read_inputs_rejects_a_single_path_string() -> None:
    with pytest.raises(TypeError, match="list of paths"):
        list(read_inputs("report.txt"))


def test_read_inputs_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        list(read_inputs([], max_bytes=0))
