# The two commands a newcomer needs: `make serve` and `make test`.
# `make test` is the fast inner loop (no live server, browser or long campaign);
# `make test-all` runs every test, as CI does (.ci/run).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install build validate serve test test-all lint clean bench bench-full yasgui soak

install: $(STAMP)

$(STAMP): pyproject.toml
	@echo "== creating the virtual environment in $(VENV) (with $(PY))"
	$(PY) -m venv $(VENV)
	@echo "== upgrading pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "== installing ctoc-kg (editable) and its test dependencies; this takes a minute"
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)
	@echo "== installed: run 'make serve' or 'make test'"

build: install
	$(BIN)/ctoc-kg build

validate: install
	$(BIN)/ctoc-kg validate

serve: build
	-$(MAKE) --no-print-directory yasgui
	$(BIN)/ctoc-kg serve --host localhost --port 5000

lint: install
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/python -m mypy

# pytest's exit code 5 means no test was selected: not a failure of the selection.
PYTEST := $(BIN)/python -m pytest -q
FAST := not live and not slow and not browser and not virtuoso

# the fast set in two processes (in-process app, no ports or timing): one per core
test: install lint
	$(PYTEST) -n 2 -m "$(FAST)" || [ $$? -eq 5 ]

# everything: what needs no server of its own on both cores, then the live servers, the
# browser and Virtuoso one at a time (they measure timeouts and share the machine's ports)
ALONE := live or browser or virtuoso
test-all: install lint
	$(PYTEST) -n 2 -m "not ($(ALONE))" || [ $$? -eq 5 ]
	$(PYTEST) -m "$(ALONE)" || [ $$? -eq 5 ]

clean:
	rm -rf build $(VENV) bench/.work

# Build time per size, then the query mix and throughput (wrk, Debian package wrk) of ctoc-kg
# against a bare Flask route and Virtuoso (if virtuoso-t is installed); results in bench/results/.
# `make bench` is the quick mode (about a minute); `make bench-full BENCH_MAX=6` the real run.
BENCH_WORK := bench/.work
BENCH_MAX ?= 5
bench: install
	PYTHONPATH=server $(BIN)/python bench/build_bench.py --max 4 --keep $(BENCH_WORK)
	PYTHONPATH=server $(BIN)/python bench/serve_bench.py --quick --work $(BENCH_WORK) --size 4

bench-full: install
	PYTHONPATH=server $(BIN)/python bench/build_bench.py --max $(BENCH_MAX) --keep $(BENCH_WORK)
	for s in $$(seq 4 $(BENCH_MAX)); do \
	  PYTHONPATH=server $(BIN)/python bench/serve_bench.py --work $(BENCH_WORK) --size $$s || exit 1; \
	done

# YASGUI for the query page, from the npm registry (optional: the plain form always works).
YASGUI_VERSION := 4.6.2
yasgui: server/ctoc_kg/web/static/yasgui/yasgui.min.js

server/ctoc_kg/web/static/yasgui/yasgui.min.js:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null \
	  && tar xzf zazuko-yasgui-$(YASGUI_VERSION).tgz \
	  && mkdir -p $(CURDIR)/server/ctoc_kg/web/static/yasgui \
	  && cp package/build/yasgui.min.js package/build/yasgui.min.css package/LICENSE* $(CURDIR)/server/ctoc_kg/web/static/yasgui/ 2>/dev/null; \
	  test -f $(CURDIR)/server/ctoc_kg/web/static/yasgui/yasgui.min.js; rm -rf $$tmp

# A few minutes of 32 clients mixing queries and page views (run by hand).
SOAK_SECONDS ?= 300
soak: install
	SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python -m pytest -q -s tests/test_load.py -k soak
