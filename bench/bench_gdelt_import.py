"""Benchmark: import a synthetic 100,000-row GDELT 2.0 Events export into a fresh SQLite file.

Usage::

    python bench/bench_gdelt_import.py [--rows 100000] [--runs 3] [--zip]

Writes a synthetic export (61 tab-separated columns, seeded, so every run reads the same
bytes) to a temporary folder, then imports it ``--runs`` times, each in a fresh process into
a fresh database, and prints rows per second (median of the runs) and peak memory. Each run
is timed around ``sitrep.api.import_gdelt`` only: reading, mapping (including loading the
mapping tables and gazetteer) and writing, with the store already open.

About 15% of the synthetic rows are CAMEO 01x/02x statements and appeals, which are read and
skipped as real exports' are; rows/s counts every row read. Nothing here is GDELT data: actor,
place and URL values are drawn from small made-up pools.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from sitrep.ingest.gdelt import EVENT_COLUMNS

ACTORS = [
    ("RUSMIL", "RUSSIAN", "RUS", "", "MIL"),
    ("RUSGOV", "KREMLIN", "RUS", "", "GOV"),
    ("UKRMIL", "UKRAINIAN", "UKR", "", "MIL"),
    ("UKRGOV", "KYIV", "UKR", "", "GOV"),
    ("UKRCVL", "UKRAINIAN", "UKR", "", "CVL"),
    ("PRKMIL", "NORTH KOREA", "PRK", "", "MIL"),
    ("PRK", "NORTH KOREA", "PRK", "", ""),
    ("KORGOV", "SEOUL", "KOR", "", "GOV"),
    ("USAGOV", "WASHINGTON", "USA", "", "GOV"),
    ("CHN", "CHINA", "CHN", "", ""),
    ("IGOWSTNAT", "NATO", "", "NAT", "IGO"),
    ("IGOUNO", "UNITED NATIONS", "", "UNO", "IGO"),
    ("IGOEUREEC", "EUROPEAN UNION", "", "EEC", "IGO"),
    ("MIL", "SOLDIER", "", "", "MIL"),
    ("", "", "", "", ""),
]
PLACES = [
    ("4", "Kursk, Kursk, Russia", "RS", "RS41", 51.7373, 36.1874),
    ("4", "Kharkiv, Kharkivs'ka Oblast', Ukraine", "UP", "UP07", 49.9808, 36.2527),
    ("4", "Kyiv, Kyyiv, Misto, Ukraine", "UP", "UP12", 50.4333, 30.5167),
    ("4", "Pyongyang, P'yongyang-si, North Korea", "KN", "KN12", 39.0194, 125.755),
    ("4", "Moscow, Moskva, Russia", "RS", "RS48", 55.7522, 37.6156),
    ("3", "Washington, District of Columbia, United States", "US", "USDC", 38.8951, -77.0364),
    ("4", "Seoul, Seoul-t'ukpyolsi, South Korea", "KS", "KS11", 37.5664, 126.997),
    ("1", "Ukraine", "UP", "UP", 49.0, 32.0),
]
CODES = [
    *("010", "012", "020", "0231", "036"),  # statements and appeals: read, then skipped
    *("042", "043", "046", "051", "057", "061", "072", "073", "0841", "087"),
    *("111", "112", "1123", "120", "130", "138", "141", "145", "154", "163"),
    *("173", "181", "190", "193", "194", "195", "1951", "192"),
]
HOSTS = [f"news{n}.example.{tld}" for n in range(40) for tld in ("com", "org", "net")]


def write_export(path: Path, rows: int, seed: int = 20241105) -> None:
    """A synthetic Events export: ``rows`` lines of 61 tab-separated columns."""
    rng = random.Random(seed)
    index = {name: position for position, name in enumerate(EVENT_COLUMNS)}
    url = ""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for n in range(rows):
            if n % 4 == 0:  # GDELT codes several events per article
                url = f"https://{rng.choice(HOSTS)}/2024/11/{n // 4:07d}-story"
            day = f"202411{rng.randint(1, 30):02d}"
            code = rng.choice(CODES)
            fields = [""] * len(EVENT_COLUMNS)
            fields[index["GLOBALEVENTID"]] = str(1_300_000_000 + n)
            fields[index["SQLDATE"]] = day
            fields[index["MonthYear"]] = day[:6]
            fields[index["Year"]] = day[:4]
            fields[index["FractionDate"]] = "2024.8712"
            for side in ("Actor1", "Actor2"):
                code_, name, country, group, type1 = rng.choice(ACTORS)
                fields[index[f"{side}Code"]] = code_
                fields[index[f"{side}Name"]] = name
                fields[index[f"{side}CountryCode"]] = country
                fields[index[f"{side}KnownGroupCode"]] = group
                fields[index[f"{side}Type1Code"]] = type1
            fields[index["IsRootEvent"]] = "1"
            fields[index["EventCode"]] = code
            fields[index["EventBaseCode"]] = code[:3]
            fields[index["EventRootCode"]] = code[:2]
            fields[index["QuadClass"]] = str(rng.randint(1, 4))
            fields[index["GoldsteinScale"]] = f"{rng.uniform(-10, 10):.1f}"
            for column in ("NumMentions", "NumSources", "NumArticles"):
                fields[index[column]] = str(rng.randint(1, 20))
            fields[index["AvgTone"]] = f"{rng.uniform(-10, 10):.4f}"
            geo_type, full_name, fips, adm1, lat, lon = rng.choice(PLACES)
            for prefix in ("Actor1Geo", "ActionGeo"):
                fields[index[f"{prefix}_Type"]] = geo_type
                fields[index[f"{prefix}_FullName"]] = full_name
                fields[index[f"{prefix}_CountryCode"]] = fips
                fields[index[f"{prefix}_ADM1Code"]] = adm1
                fields[index[f"{prefix}_Lat"]] = f"{lat}"
                fields[index[f"{prefix}_Long"]] = f"{lon}"
                fields[index[f"{prefix}_FeatureID"]] = str(rng.randint(-2_000_000, 2_000_000))
            fields[index["DATEADDED"]] = day + "101500"
            fields[index["SOURCEURL"]] = url
            out.write("\t".join(fields) + "\n")


def child(export: str, db: str) -> dict[str, float | int]:
    """One run in this (fresh) process: open a new store, time the import, measure memory."""
    from sitrep import api

    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with api.open_store(db) as store:
        start, cpu_start = time.perf_counter(), time.process_time()
        report = api.import_gdelt([export], store=store)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        counts = store.counts()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": report.rows,
        "imported": report.imported,
        "skipped": report.skipped,
        "failed": len(report.failed),
        "events_stored": counts["events"],
        "documents_stored": counts["documents"],
        "rss_before_mib": before_kib / 1024,
        "rss_peak_mib": peak_kib / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zip", action="store_true", help="Import a zipped copy instead.")
    parser.add_argument("--child", nargs=2, metavar=("EXPORT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "20241130000000.export.CSV"
        write_export(export, args.rows)
        if args.zip:
            zipped = export.with_name(export.name + ".zip")
            with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(export, export.name)
            export = zipped
        runs = []
        for run in range(args.runs):
            db = Path(folder) / f"run{run}.db"
            command = [sys.executable, __file__, "--child", str(export), str(db)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            result = json.loads(output)
            result["rows_per_s"] = result["rows"] / result["seconds"]
            result["rows_per_cpu_s"] = result["rows"] / result["cpu_seconds"]
            runs.append(result)
            print(
                f"run {run + 1}: {result['rows']:,} rows in {result['seconds']:.2f} s = "
                f"{result['rows_per_s']:,.0f} rows/s (CPU {result['cpu_seconds']:.2f} s = "
                f"{result['rows_per_cpu_s']:,.0f} rows per CPU-second); {result['imported']:,} "
                f"events and {result['documents_stored']:,} documents stored, "
                f"{result['skipped']:,} skipped, {result['failed']} failed; "
                f"peak RSS {result['rss_peak_mib']:.0f} MiB "
                f"({result['rss_before_mib']:.0f} MiB before the import)"
            )
        median = statistics.median(r["rows_per_s"] for r in runs)
        median_cpu = statistics.median(r["rows_per_cpu_s"] for r in runs)
        peak = max(r["rss_peak_mib"] for r in runs)
        size = export.stat().st_size / 1e6
        print(
            f"median {median:,.0f} rows/s wall, {median_cpu:,.0f} rows per CPU-second, "
            f"over {args.runs} runs "
            f"({args.rows:,} rows, {size:.1f} MB {'zipped' if args.zip else 'plain'}); "
            f"peak RSS {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main()
