# bpkit: the two commands of the README.
#   make book   builds the book into _build/html (every page executed, warnings are errors)
#   make test   runs every test, the book's build and the browser checks included
# Each creates .venv in this checkout and installs requirements.txt into it first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: book test browser demo lab clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

book: $(VENV)/.installed
	$(VENV)/bin/jupyter-book build . --all -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html"

browser: $(VENV)/.installed
	bash tools/ensure-browser.sh $(PY)

test: $(VENV)/.installed browser
	$(PY) -m pytest

demo: $(VENV)/.installed
	$(PY) -m bpkit

lab: $(VENV)/.installed
	$(VENV)/bin/jupytext-config set-default-viewer >/dev/null 2>&1 || true
	$(VENV)/bin/jupyter lab book/

clean:
	rm -rf _build $(VENV) .pytest_cache test-artifacts
