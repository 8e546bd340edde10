"""Opening a store: URLs and paths, SQLite pragmas, and errors that say what to do."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.errors import StoreError
from sitrep.records import Document, Failure
from sitrep.store import Store, open_store
from sitrep.store.engine import BUSY_TIMEOUT_MS, open_failure_reason, store_url


def _pragma(store: Store, name: str) -> object:
    with store._engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


@pytest.mark.parametrize(
    ("given", "backend", "database"),
    [
        ("sitrep.db", "sqlite", "sitrep.db"),
        ("data/my db?.db", "sqlite", "data/my db?.db"),
        (":memory:", "sqlite", ":memory:"),
        ("sqlite://", "sqlite", None),
        ("sqlite:///rel.db", "sqlite", "rel.db"),
        ("postgresql://u:p@host/sitrep", "postgresql", "sitrep"),
    ],
)
def test_store_url_from_path_or_url(given: str, backend: str, database: str | None) -> None:
    url = store_url(given)
    assert (url.get_backend_name(), url.database) == (backend, database)


def test_store_file_database_uses_wal(store: Store) -> None:
    assert _pragma(store, "journal_mode") == "wal"
    assert _pragma(store, "foreign_keys") == 1
    assert _pragma(store, "busy_timeout") == BUSY_TIMEOUT_MS


def test_store_memory_database_works_without_wal() -> None:
    with open_store(":memory:") as store:
        assert _pragma(store, "journal_mode") == "memory"
        assert _pragma(store, "foreign_keys") == 1
        assert store.counts()["documents"] == 0
        assert store.dialect == "sqlite"


def test_store_context_manager_closes(db_path: Path) -> None:
    with open_store(db_path) as store:
        assert "sitrep.db" in store.url
    with pytest.raises(StoreError):
        store.has_document("x")


def test_store_two_stores_share_one_file(db_path: Path) -> None:
    with open_store(str(db_path)) as writer, open_store(str(db_path)) as reader:
        writer.record_failure(Failure("a", "b", "E101"))
        assert reader.counts()["failures"] == 1


def test_store_open_missing_folder_says_create_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"Cannot open the store at .*does not exist"):
        open_store(str(tmp_path / "nowhere" / "sitrep.db"))


def test_store_open_non_database_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not a database " * 100)
    with pytest.raises(StoreError, match="Cannot open the store"):
        open_store(str(path))


@pytest.mark.parametrize(
    "url",
    ["nosuchdb://host/db", "postgresql+nosuchdriver://user:secret@db.invalid/sitrep", "::://"],
)
def test_store_open_bad_url_hides_password(url: str) -> None:
    with pytest.raises(StoreError, match="Cannot open the store") as raised:
        open_store(url)
    assert "secret" not in str(raised.value)


def test_store_missing_driver_reason_says_what_to_install() -> None:
    reason = open_failure_reason(
        ModuleNotFoundError("No module named 'psycopg2'"), store_url("postgresql://h/db")
    )
    assert "psycopg2" in reason
    assert "install" in reason.lower()


def test_store_foreign_keys_are_enforced(store: Store) -> None:
    from sitrep.store.schema import events

    with (
        pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"),
        store._engine.begin() as connection,
    ):
        connection.execute(
            events.insert(),
            {
                "document_id": "missing",
                "type": "AID",
                "context": "[]",
                "status": "reported",
                "negated": False,
                "evidence_text": "",
                "evidence_start": 0,
                "evidence_end": 0,
                "extractor_version": "0",
                "created_at": datetime.now(UTC),
            },
        )


def test_store_import_connects_to_nothing() -> None:
    code = (
        "import sys, sitrep.store\n"
        "assert 'sitrep.store.store' not in sys.modules\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        "import sitrep.store.store, sitrep.store.schema, sitrep.store.migrate\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_store_concurrent_writers_queue_instead_of_failing(db_path: Path) -> None:
    open_store(str(db_path)).close()
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with open_store(str(db_path)) as store:
                for i in range(15):
                    store.add_document(Document.from_text(f"Worker {worker} text {i}."))
                    store.add_document(Document.from_text(f"Shared text {i}."))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(str(db_path)) as store:
        assert store.counts()["documents"] == 4 * 15 + 15
