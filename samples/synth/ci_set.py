"""The generated forms committed in samples/random/ for CI: two per producer, each in
its own typeface, and one copy of six of them broken by each defect. They were taken
from seeds nobody looked at while tuning (900-907), not chosen for passing (each defect
on the first of them it applies to); the measure
of jixiao stays the benchmark over fresh seeds (benchmarks/accuracy.py --random).

    .venv/bin/python samples/synth/make.py --ci      # rewrites samples/random/

``SCAN_SET`` are scans (samples/synth: scan_recipe) of three more, in faces the OCR was
not first tuned on, committed in samples/random/scans/.
"""

from __future__ import annotations

# (seed, producer, typeface, defect or None)
CI_SET = (
    (900, "reportlab", "zenhei", None),
    (901, "docx", "notoserif", None),
    (902, "xlsx", "kaiti", None),
    (903, "html", "fangsong", None),
    (904, "reportlab", "uming", None),
    (905, "docx", "wenkai", None),
    (906, "xlsx", "microhei", None),
    (907, "html", "notosans", None),
    (900, "reportlab", "zenhei", "wrong_total"),
    (902, "xlsx", "kaiti", "wrong_subitem"),
    (901, "docx", "notoserif", "swapped_periods"),
    (903, "html", "fangsong", "missing_indicators"),
    (905, "docx", "wenkai", "unreadable_amount"),
    (907, "html", "notosans", "unbalanced"),
)

# (seed, producer, typeface): scanned as scan_recipe(seed) says (dpi, skew, JPEG, paper);
# the first seeds from 910 whose scan is at most 200 dpi (to keep the files small)
SCAN_SET = (
    (910, "xlsx", "sungti"),
    (913, "reportlab", "ukai"),
    (914, "docx", "notoserif"),
)
