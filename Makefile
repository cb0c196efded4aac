# Two entry points: `make demo` and `make test`. Both work on a fresh machine with
# python3 (>= 3.10), venv, git and network access to PyPI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])")

.PHONY: install demo sim-screenshot test lint typecheck self-check docs dist pytest clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,docs]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	examples/demo.sh $(BIN)/charter
	@echo
	@echo "== Charter's own architecture, as decisions, enforced on itself"
	$(BIN)/charter validate -v
	$(BIN)/charter check --all
	@echo
	@echo "== The simulator: baseline vs strict on the shipped scenarios (local sandbox, ~2-3 min)"
	rm -rf .demo/sim
	$(BIN)/charter sim compare --sets baseline strict --sandbox local --seed 7 --epochs 1 \
		--jobs 2 --out .demo/sim --html .demo/sim/report.html scenarios/*/
	@echo
	$(BIN)/python examples/sim_headline.py .demo/sim/results.json
	@echo
	@echo "HTML report (offline): $(abspath .demo/sim/report.html)"
	@echo
	@echo "== A back-test on real history: 8 commits of pallets/itsdangerous (April 2024)"
	rm -rf .demo/history
	$(BIN)/charter sim compare --sets none strict --sandbox local --seed 7 --epochs 1 \
		--out .demo/history --html .demo/history/report.html examples/history/itsdangerous/
	@echo
	$(BIN)/python examples/sim_headline.py .demo/history/results.json
	@echo
	@echo "HTML report (offline): $(abspath .demo/history/report.html)"

# docs/sim-report.png: the report of real SWE-bench predictions on psf/requests
# (tests/data/swebench-requests/), in headless Chromium (~1 min).
SWE := tests/data/swebench-requests
sim-screenshot: install
	rm -rf .demo/shot && mkdir -p .demo/shot
	git clone -q $(SWE)/requests.bundle .demo/shot/requests
	$(BIN)/charter sim import swebench $(SWE)/predictions.jsonl --repo .demo/shot/requests \
		--instances $(SWE)/instances.jsonl --oracle $(SWE)/oracle --set strict=$(SWE)/strict \
		--name swebench-requests --out .demo/shot/scenario
	$(BIN)/charter sim compare --sets none strict --sandbox local --seed 7 --leave-one-out \
		--out .demo/shot/out --html .demo/shot/report.html .demo/shot/scenario
	examples/sim_screenshot.sh .demo/shot/report.html docs/sim-report.png

test: install lint typecheck self-check docs dist pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy sees hooks/ and simulator/ as charter.hooks and charter.simulator through a
# folder of symlinks (setuptools' package-dir mapping is invisible to mypy).
typecheck: install
	rm -rf build/typecheck && mkdir -p build/typecheck/charter
	ln -s ../../../hooks build/typecheck/charter/hooks
	ln -s ../../../simulator build/typecheck/charter/simulator
	MYPYPATH=build/typecheck $(BIN)/mypy -p charter.hooks -p charter.simulator

# Charter's own hooks, on Charter (docs/decisions/).
self-check: install
	$(BIN)/charter validate --strict
	$(BIN)/charter check --all
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# The documentation site, every warning an error (mkdocs.yml says strict).
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The sdist and the wheel as a user gets them, and their metadata as PyPI would render it.
dist: install
	rm -rf build/dist
	$(BIN)/python -m build --outdir build/dist . >/dev/null
	$(BIN)/twine check --strict build/dist/*

# The venv's bin/ goes first on PATH: tests run pre-commit and lint-imports from it.
pytest: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
