# jipsa — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOME_FILE ?= home.yaml

.PHONY: install run chat test browser lint eval bench bench-mqtt clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: create the environment, write the demo home if there is none, and open the dashboard
## (its address and the owner's login are printed; the password only when the owner is first made).
run: $(STAMP)
	@test -f $(HOME_FILE) || $(BIN)/jipsa --home $(HOME_FILE) init
	$(BIN)/jipsa --home $(HOME_FILE) serve --owner owner

## make chat: talk to the demo home in the terminal.
chat: $(STAMP)
	@test -f $(HOME_FILE) || $(BIN)/jipsa --home $(HOME_FILE) init
	$(BIN)/jipsa --home $(HOME_FILE) chat

## make browser: Debian's Chromium for the dashboard's browser test (Playwright drives it; nothing is
## downloaded by Playwright itself). Where it cannot be installed the browser test says why and skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; }; }; } || \
	  echo "make: chromium could not be installed; the browser test will be skipped"

## make test: install with the test tools and run the whole suite.
test: $(STAMP) browser
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
