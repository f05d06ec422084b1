# Set-up is part of every target: the venv is (re)built when missing or older than pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= sqlite:///jixiao.db

.PHONY: demo test lint bench samples producers test-fonts clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The born-digital samples; samples/scans/ holds scans of the same forms, which
# would supersede them (try: jixiao ingest samples/scans/, then jixiao history).
demo: $(STAMP)
	rm -f jixiao.db
	$(BIN)/jixiao ingest samples/*.pdf --db $(DB)
	$(BIN)/jixiao query --db $(DB) "SELECT department, year, indicator_count, budget_lines FROM declaration_summary ORDER BY department, year"

test: $(STAMP) test-fonts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check extract normalize load jixiao tests samples benchmarks

# The typefaces the tests print in: the scans the tests make (samples/make_scans.py) print
# the seal's ring text in WenQuanYi Zen Hei, without which the seal, and so the scans,
# would differ; a form set in cwTeX FangSong, a traditional face without 续 or 页, has its
# missing content characters set in AR PL UMing (tests/test_unnamed_glyphs.py); LXGW WenKai
# draws a ‰ whose lower rings touch (tests/test_ocr.py).
TEST_FONTS := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/truetype/cwtex/cwfs.ttf \
	/usr/share/fonts/truetype/arphic/uming.ttc /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf
test-fonts:
	@ls $(TEST_FONTS) >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    fonts-wqy-zenhei fonts-cwtex-fs fonts-arphic-uming fonts-lxgw-wenkai)

# The random form generator's producers (samples/synth): LibreOffice Writer and Calc,
# pango for WeasyPrint, and the CJK typefaces of samples/faces.py.
FONT_PACKAGES := fonts-wqy-zenhei fonts-wqy-microhei fonts-droid-fallback fonts-noto-cjk \
	fonts-arphic-gbsn00lp fonts-arphic-uming fonts-cwtex-fs fonts-arphic-gkai00mp \
	fonts-arphic-ukai fonts-lxgw-wenkai
producers:
	@command -v soffice >/dev/null 2>&1 && dpkg -s libpango-1.0-0 $(FONT_PACKAGES) >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui libreoffice-calc-nogui libpango-1.0-0 libpangoft2-1.0-0 $(FONT_PACKAGES))

bench: $(STAMP) producers
	$(BIN)/python benchmarks/accuracy.py --random 200 --seed 100000 --defects
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/speed.py --scans
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/memory.py
	$(BIN)/python benchmarks/scale.py

# Regenerating the committed sample PDFs needs LibreOffice and CJK fonts; this installs them.
samples: $(STAMP) producers
	$(BIN)/python samples/generate.py
	$(BIN)/python samples/synth/make.py --ci

clean:
	rm -rf $(VENV) jixiao.db
