# Two commands for a new user: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup build serve bench mutation clean

$(BIN)/inko-graph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/inko-graph

build: setup
	$(BIN)/inko-graph build

run: setup
	$(BIN)/inko-graph build
	$(BIN)/inko-graph serve --host $(HOST) --port $(PORT)

# On every core (two on the CI machine); a file's tests stay together, so each worker builds its
# fixtures (the real graph, the test servers) once per file group. The longest files go out first
# and files sharing the remote SPARQL servers go to one worker (tests/scheduling.py).
test: setup
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# One table: how the costs grow with size (real graph, 10^4, 10^5, 10^6), beside the peers (the bench
# extra) on the same files; about 13 min of CPU time (longer on a busy machine). bench/run_all.py runs the rest.
bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/bench_scale.py

# Mutation testing of the guards (mutmut; some minutes): killed and surviving mutants per guard.
mutation: setup
	bash bench/mutation.sh

clean:
	rm -rf $(VENV) var build *.egg-info
