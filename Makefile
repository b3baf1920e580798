# The two commands a newcomer needs: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install build validate serve test lint clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: install
	$(BIN)/ctoc-kg build

validate: install
	$(BIN)/ctoc-kg validate

serve: build
	$(BIN)/ctoc-kg serve --host localhost --port 5000

lint: install
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf build $(VENV)

# Throughput against a bare Flask route, with wrk (Debian package wrk); see bench/run.py.
bench: install
	$(BIN)/python bench/run.py
