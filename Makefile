# The README's two set-up commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck install clean update-baseline

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# compile the numba kernels once now (cached), so the first real run does not wait for it
	rm -rf $(VENV)/warmup-run
	$(BIN)/corridor run scenarios/mexico-2023 --agents-scale 0.01 --no-report --out $(VENV)/warmup-run > /dev/null
	rm -rf $(VENV)/warmup-run
	@# the serial kernels compiled ahead of time (engine/compiled.py): runs then skip numba's start-up
	$(BIN)/python -m corridor.engine.aot || echo "runs will use numba's JIT kernels"
	@# bytecode now, as a regular (non-editable) pip install does: a shell with
	@# PYTHONDONTWRITEBYTECODE set would otherwise recompile every module on every command
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/corridor run scenarios/mexico-2023 --out runs/mexico-2023 --force
	@echo "Report: $(CURDIR)/runs/mexico-2023/report.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src/corridor

test: lint
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

update-baseline: $(STAMP)
	$(BIN)/python tests/baseline_runs.py

clean:
	rm -rf $(VENV) runs build *.egg-info
