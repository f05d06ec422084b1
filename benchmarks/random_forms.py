"""Accuracy and checks on random generated forms (samples/synth): forms, producers,
typefaces and layouts that no test tuned on.

    .venv/bin/python benchmarks/accuracy.py --random N [--seed S] [--defects] [--scans]
                                            [--jobs J] [--keep DIR] [-v]

Seeds S .. S+N-1 are generated (or taken from ``--keep DIR`` when already there), each
ingested into a database of its own, exported and scored field by field against the
truth it was made from (benchmarks/metrics.py). ``--scans`` reads a scan of each form
instead (samples/synth: scan_recipe), printed, stamped and degraded as paper is.
``--defects`` also breaks each seed's
form in one known way (the defects in turn) and reports whether the right check fired
on the right field. Prints accuracy overall and per producer, typeface, layout and
value kind (and scan resolution), the share of wrong fields no issue points at (silent
errors) and of fields an issue points at (what a person must review), the checks'
catches and false alarms, and the worst fields.

Seeds below 100000 are the tuning range; judge a change on seeds from 100000 up that
were not looked at while making it (and name which were used).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "samples"))

from metrics import KINDS, Score, covered, score_record  # noqa: E402

CHECK_CODES = ("budget_total_mismatch", "budget_subtotal_mismatch", "period_order", "value_unreadable",
               "section_missing", "income_expenditure_mismatch")
_INDICATOR = re.compile(r"^\$\.indicators\[(\d+)\]\.(target|annual|h1|q3)\b")


def _read(job: tuple) -> dict:
    """Generate (unless kept) and ingest one form, or its scan (``job``: seed, defect,
    folder, scanned, and optionally the ExtractSettings to read with); the scored result."""
    from synth import defects, scan_recipe, write, write_scan

    from jixiao import api

    seed, defect, folder, scanned, *rest = job
    settings = rest[0] if rest else None
    name = f"synth_{seed}" + (f"_{defect}" if defect else "")
    if scanned:
        name += scan_recipe(seed).suffix()
    pdf = Path(folder) / f"{name}.pdf"
    started = time.perf_counter()
    if not (pdf.exists() and pdf.with_suffix(".meta.json").exists()):
        try:
            (write_scan if scanned else write)(seed, Path(folder), defect)
        except defects.NotApplicable:
            return {"seed": seed, "defect": defect, "skipped": True}
        except Exception as exc:  # noqa: BLE001 - a producer that failed is reported, not fatal
            return {"seed": seed, "defect": defect, "skipped": True,
                    "error": f"{type(exc).__name__}: {exc}"[:200]}
    made = time.perf_counter() - started
    meta = json.loads(pdf.with_suffix(".meta.json").read_text(encoding="utf-8"))
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'one.db'}"
        started = time.perf_counter()
        report = api.ingest([pdf], db=db, workers=1, settings=settings)
        seconds = time.perf_counter() - started
        result = report.results[0]
        record = api.export(db=db, fmt="json")[0] if result.status != "failed" else None
    score = score_record(record or {}, expected)
    issues = (record or {}).get("issues", [])
    # a refused file is not a silent error: the user is told it was not read, and why
    silent_paths = [path for path, _, credit in score.fields
                    if credit < 1 and not covered(path, issues)] if record is not None else []
    silent = sum(1 - credit for path, _, credit in score.fields
                 if not covered(path, issues)) if record is not None else 0
    pointed = sum(1 for path, _, _ in score.fields if covered(path, issues))
    return {"seed": seed, "defect": defect, "name": name, "meta": meta, "pages": meta["pages"],
            "silent": silent, "pointed": pointed, "silent_paths": silent_paths,
            "failed": result.reason if record is None else "", "fields": score.fields,
            "wrong": score.wrong, "issues": (record or {}).get("issues", []),
            "seconds": seconds, "made": made}


def _category(path: str, meta: dict) -> str | None:
    m = _INDICATOR.match(path)
    if not m:
        return None
    kinds = meta.get("value_kinds", [])
    i = int(m.group(1))
    return kinds[i].get(m.group(2)) if i < len(kinds) else None


def _size_bucket(size: float) -> str:
    return "6.5-8pt" if size <= 8 else "8.5-10pt" if size <= 10 else "10.5-12pt"


def _groups(meta: dict) -> dict[str, str]:
    scan = meta.get("scan")
    return {"producer": meta["producer"], "typeface": f"{meta['face']} ({meta['face_style']})",
            "scan": f"{scan['dpi']} dpi" + (" lit unevenly" if scan["shadow"] else "")
            if scan else "born-digital",
            "style": meta["face_style"], "size": _size_bucket(meta["font_size"]),
            "page": meta["page"], "layout": meta["style"] + (" +periods" if meta["periods"] else "")
            + (" 2-row" if meta["two_row_headers"] else "") + (" unit-col" if meta["unit_column"] else "")
            + (" type-col" if meta["type_column"] else "")}


def _table(title: str, scores: dict[str, Score], forms: Counter) -> None:
    print(f"\n{title:28s} {'forms':>5s} {'fields':>7s} {'accuracy':>9s}")
    for key in sorted(scores, key=lambda k: scores[k].accuracy()):
        s = scores[key]
        print(f"  {key:26s} {forms[key]:5d} {sum(s.total.values()):7d} {100 * s.accuracy():8.2f}%")


def _merge_fields(score: Score, fields) -> None:
    for _path, kind, credit in fields:
        score.right[kind] += credit
        score.total[kind] += 1


def report(results: list[dict], verbose: bool) -> None:
    for r in results:
        if r.get("error"):
            print(f"  generator failed on seed {r['seed']} ({r['defect'] or 'correct'}): {r['error']}")
    correct = [r for r in results if not r.get("skipped") and not r["defect"]]
    broken = [r for r in results if not r.get("skipped") and r["defect"]]
    overall = Score()
    by: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    forms: dict[str, Counter] = defaultdict(Counter)
    by_value: dict[str, Score] = defaultdict(Score)
    value_forms: Counter = Counter()
    worst: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    failed = []
    pages = seconds = 0.0
    for r in correct:
        pages += r["pages"]
        seconds += r["seconds"]
        if r["failed"]:
            failed.append(f"{r['name']}: {r['failed']}")
        _merge_fields(overall, r["fields"])
        for dim, key in _groups(r["meta"]).items():
            _merge_fields(by[dim][key], r["fields"])
            forms[dim][key] += 1
        seen = set()
        for path, kind, credit in r["fields"]:
            cat = _category(path, r["meta"])
            if cat:
                _merge_fields(by_value[cat], [(path, kind, credit)])
                if cat not in seen:
                    value_forms[cat] += 1
                    seen.add(cat)
            if credit < 1:
                pattern = re.sub(r"\[\d+\]", "[]", path)
                worst[pattern] += 1 - credit
        for line in r["wrong"]:
            pattern = re.sub(r"\[\d+\]", "[]", line.split(":", 1)[0])
            if len(examples[pattern]) < 3:
                examples[pattern].append(f"{r['name']} {line}")
    total = sum(overall.total.values())
    print(f"{len(correct)} random forms, {int(pages)} pages, {total} fields, "
          f"{seconds / max(pages, 1):.3f} s/page to read")
    print(f"field accuracy: {100 * overall.accuracy():.2f}%   ("
          + ", ".join(f"{k} {100 * overall.accuracy(k):.2f}%" for k in KINDS if overall.total[k]) + ")")
    fields = sum(len(r["fields"]) for r in correct)
    silent = sum(r["silent"] for r in correct)
    pointed = sum(r["pointed"] for r in correct)
    print(f"wrong with no issue pointing at them (silent): {silent:.1f} fields, "
          f"{100 * silent / max(fields, 1):.3f}%; pointed at by an issue (to review): {pointed} "
          f"fields, {100 * pointed / max(fields, 1):.2f}%")
    _measure(correct)
    for dim in ("producer", "typeface", "style", "scan", "size", "page", "layout"):
        _table(dim, by[dim], forms[dim])
    _table("value kind", by_value, value_forms)
    if failed:
        print(f"\nrefused ({len(failed)}):")
        for line in failed:
            print(f"  {line}")
    _checks(correct, broken)
    quiet = Counter(re.sub(r"\[\d+\]", "[]", path) for r in correct for path in r["silent_paths"])
    print("\nsilent errors by field (wrong, no issue pointing at them):")
    for pattern, n in quiet.most_common(10):
        print(f"  {n:7d}  {pattern}")
    print("\nworst fields (fields lost, summed over forms):")
    for pattern, lost in worst.most_common(15):
        print(f"  {lost:7.1f}  {pattern}")
        for ex in examples[pattern][: 3 if verbose else 1]:
            print(f"             e.g. {ex[:160]}")
    if verbose:
        for r in correct:
            if r["wrong"]:
                codes = Counter(i["code"] for i in r["issues"])
                print(f"\n{r['name']} ({r['meta']['producer']}, {r['meta']['face']}, "
                      f"{r['meta']['font_size']}pt): {len(r['wrong'])} wrong, {r['pointed']} of "
                      f"{len(r['fields'])} fields pointed at ({', '.join(f'{c} {n}' for c, n in codes.most_common())})")
                quiet_here = set(r["silent_paths"])
                for line in r["wrong"]:  # "!" marks a silent one
                    mark = "!" if line.split(":", 1)[0] in quiet_here else " "
                    print(f"   {mark}{line[:200]}")


MEASURED_DPI = (200, 300)  # the scan targets are stated for 200-300 dpi


def _measure(correct: list[dict]) -> None:
    """The scan targets' own view: forms scanned at 200-300 dpi only, the worst typeface."""
    scans = [r for r in correct if r["meta"].get("scan")]
    kept = [r for r in scans if MEASURED_DPI[0] <= r["meta"]["scan"]["dpi"] <= MEASURED_DPI[1]]
    if not kept:
        return
    overall = Score()
    faces: dict[str, Score] = defaultdict(Score)
    for r in kept:
        _merge_fields(overall, r["fields"])
        _merge_fields(faces[r["meta"]["face"]], r["fields"])
    fields = sum(len(r["fields"]) for r in kept)
    worst = min(faces, key=lambda f: faces[f].accuracy())
    print(f"at {MEASURED_DPI[0]}-{MEASURED_DPI[1]} dpi ({len(kept)} of {len(scans)} scans): "
          f"accuracy {100 * overall.accuracy():.2f}%, silent "
          f"{100 * sum(r['silent'] for r in kept) / max(fields, 1):.3f}%, pointed at "
          f"{100 * sum(r['pointed'] for r in kept) / max(fields, 1):.2f}%; worst typeface "
          f"{worst} {100 * faces[worst].accuracy():.2f}%")


def _checks(correct: list[dict], broken: list[dict]) -> None:
    alarms = [(r["name"], i) for r in correct for i in r["issues"] if i["code"] in CHECK_CODES]
    other = Counter(i["code"] for r in correct for i in r["issues"] if i["code"] not in CHECK_CODES)
    print(f"\nchecks on {len(correct)} correct forms: {len(alarms)} false alarms"
          + (f"; other issues: {dict(other)}" if other else ""))
    for name, issue in alarms[:15]:
        print(f"  {name}: {issue['code']} {issue.get('field')}: {issue['message'][:120]}")
    # how often a doubt is right: an issue whose fields are all right cost a person a look
    hits: Counter = Counter()
    # the review cost of each code: the fields it points at, and how many of them were wrong
    points: Counter = Counter()
    for r in correct:
        for issue in r["issues"]:
            if issue["code"] in CHECK_CODES or not issue.get("field"):
                continue
            under = [credit for path, _, credit in r["fields"] if covered(path, [issue])]
            hits[(issue["code"], any(c < 1 for c in under))] += 1
            points[(issue["code"], "fields")] += len(under)
            points[(issue["code"], "wrong")] += sum(c < 1 for c in under)
    for code in sorted({c for c, _ in hits}, key=lambda c: -points[(c, "fields")]):
        print(f"  {code}: {hits[(code, True)] + hits[(code, False)]} issues, "
              f"{hits[(code, True)]} on a field read wrong; {points[(code, 'fields')]} fields "
              f"pointed at, {points[(code, 'wrong')]} of them wrong")
    if not broken:
        return
    caught: Counter = Counter()
    elsewhere: Counter = Counter()
    tried: Counter = Counter()
    missed = []
    for r in broken:
        want = r["meta"]["defect"]
        tried[want["name"]] += 1
        fields = {want["field"], *want.get("also", [])}
        codes = [i for i in r["issues"] if i["code"] == want["code"]]
        if any(i.get("field") in fields for i in codes):
            caught[want["name"]] += 1
        elif codes:
            elsewhere[want["name"]] += 1
            missed.append(f"{r['name']}: {want['code']} at {[i.get('field') for i in codes]}, "
                          f"expected {sorted(fields)}")
        else:
            missed.append(f"{r['name']}: no {want['code']} (expected at {want['field']}); got "
                          f"{[(i['code'], i.get('field')) for i in r['issues']][:4]}"
                          + (f"; refused: {r['failed']}" if r["failed"] else ""))
    print(f"\ndefects caught by their code on their field ({len(broken)} broken forms):")
    for name in sorted(tried):
        print(f"  {name:20s} {caught[name]:4d}/{tried[name]:<4d} (code elsewhere: {elsewhere[name]})")
    for line in missed[:20]:
        print(f"  missed: {line[:220]}")


def main(n: int, seed: int, with_defects: bool, jobs: int, keep: Path | None, verbose: bool,
         scans: bool = False) -> None:
    from synth import defects

    folder = keep or Path(tempfile.mkdtemp(prefix="jixiao-random-"))
    work = [(s, None, str(folder), scans) for s in range(seed, seed + n)]
    if with_defects:
        work += [(s, defects.DEFECTS[k % len(defects.DEFECTS)], str(folder), scans)
                 for k, s in enumerate(range(seed, seed + n))]
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(_read, work, chunksize=1))
    print(f"seeds {seed}..{seed + n - 1} in {folder} ({time.perf_counter() - started:.0f} s)")
    if keep:  # the scored results beside the forms, to study without reading them again
        (keep / f"results_{seed}.json").write_text(json.dumps(results, ensure_ascii=False),
                                                    encoding="utf-8")
    report(results, verbose)
