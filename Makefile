# Two commands for a newcomer: `make serve` and `make test`. Everything else is a step of theirs.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8080
WORKERS ?= 2
W3C     ?=

.PHONY: serve test build install lint bench bench-quick bench-scale conformance clean editor-assets screenshots messages

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/memorial-graph build

serve: $(STAMP)
	$(BIN)/memorial-graph build --if-changed
	$(BIN)/memorial-graph serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench) $(wildcard conformance)
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench) $(wildcard conformance)

bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 100000,1000000

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --sizes 10000 --quick

bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale --claims 1000000

# The W3C SPARQL 1.1 test suites against our real endpoint (conformance/README.md). The suites
# live outside the project: W3C names the directory holding sparql/sparql11/.
conformance: $(STAMP)
	@if [ -z "$(W3C)" ]; then \
	  echo "make conformance: set W3C to the W3C test suites, e.g. make conformance W3C=path/to/w3c-tests" >&2; \
	  exit 2; fi
	@if [ ! -d "$(W3C)" ]; then \
	  echo "make conformance: W3C=$(W3C): no such directory" >&2; exit 2; fi
	$(BIN)/python -m conformance.run --w3c $(W3C)

# The query editor (YASGUI) and the accessibility checker (axe-core) come from npm at
# development time; their built files and licences are committed (nothing loads from a CDN).
editor-assets:
	cd web/editor && npm ci --no-audit --no-fund && node build.mjs

# The interface's translations (docs/architecture.md, "add an interface language"): extract
# every marked string of the web tier into messages.pot, merge it into each language's .po
# (new strings come in untranslated: tests/web/test_i18n.py fails until they are translated;
# English, the templates' own language, says each msgid),
# and compile the .mo files the server reads (committed, so a clean clone serves them).
TRANSLATIONS := src/memorial_graph/web/translations
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-location=file \
	  --sort-by-file --no-wrap --project=memorial-graph -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
	  --no-fuzzy-matching --no-wrap --ignore-obsolete
	$(BIN)/python -m memorial_graph.web.catalogs
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

# docs/screenshots/: each page type at 1280 px and 390 px, in headless Chromium.
screenshots: $(STAMP)
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf var build dist *.egg-info src/*.egg-info
