# Two commands: `make run` (set up + serve) and `make test` (set up + whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

## make run: migrate, seed a demo project (prints its key and a curl), serve API + worker on 127.0.0.1:$(PORT)
PORT ?= 8000
run: $(STAMP)
	$(BIN)/scenarist serve --demo --port $(PORT)

## make test: the whole suite on SQLite, then again on PostgreSQL when SCENARIST_TEST_DATABASE_URL is set
test: $(STAMP)
	bash scripts/test.sh

clean:
	rm -rf $(VENV) data
