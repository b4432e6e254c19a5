# jipsa — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOME_FILE ?= home.yaml

.PHONY: install run test lint eval bench bench-mqtt clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: create the environment, write the demo home if there is none, and talk to it.
run: $(STAMP)
	@test -f $(HOME_FILE) || $(BIN)/jipsa --home $(HOME_FILE) init
	$(BIN)/jipsa --home $(HOME_FILE) chat

## make test: install with the test tools and run the whole suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/python -m tests.nlu.evaluate

## make bench: the language benchmark, with Home Assistant's hassil measured in the same run.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python bench/nlu.py

## make bench-mqtt: commands and state over a real mosquitto with the device simulator.
bench-mqtt: $(STAMP)
	$(BIN)/python bench/mqtt.py
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
