# bpkit: the two commands of the README.
#   make book   builds the book into _build/html (every page executed, warnings are errors)
#   make test   runs every test, the book's build, the PDF edition and the browser checks included
# Each creates .venv in this checkout and installs requirements.txt into it first.
# Also: make pdf (the PDF edition, _build/pdf/bpkit.pdf), make lab, make demo, make clean.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: book test browser poppler pdf demo lab clean

# PyTorch, for the tests only (they compare bpkit's gradients with autograd's): never a
# dependency of bpkit, of bpkit[all] or of the book. Pinned to the CPU build this machine's pip
# finds on disk; elsewhere e.g. make test TORCH="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH ?= torch==2.13.0

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Incremental: a second build reads and executes only the pages that changed, or every page when
# bpkit or the installed packages changed (book/_ext/bpkit_freshness.py). A failed build forgets
# what it read (_build/.doctrees), so the next one reads every page and repeats every warning.
book: $(VENV)/.installed
	$(VENV)/bin/jupyter-book build . -W -n --keep-going || { rm -rf _build/.doctrees; exit 1; }
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# a Chromium for the browser tests and the PDF (Debian's, else Playwright's)
browser: $(VENV)/.installed
	bash tools/ensure-browser.sh $(PY)

# pdfinfo and pdftoppm (poppler-utils), with which the PDF test checks the PDF
poppler:
	bash tools/ensure-poppler.sh

# axe-core for the accessibility checks of the browser tests (package.json, npm)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.torch: $(VENV)/.installed
	$(PY) -m pip install --quiet $(TORCH)
	touch $@

# BPKIT_REQUIRE_TORCH: the PyTorch tests fail, not skip, if torch is missing
test: $(VENV)/.installed $(VENV)/.torch browser poppler node_modules/.installed
	BPKIT_REQUIRE_TORCH=1 $(PY) -m pytest

# the whole book as one PDF: the single-page HTML build printed by Chromium (no TeX, no download)
pdf: $(VENV)/.installed browser
	$(PY) tools/print_pdf.py
	@echo "The PDF edition is at $(CURDIR)/_build/pdf/bpkit.pdf"

demo: $(VENV)/.installed
	$(PY) -m bpkit

# JupyterLab opens the pages (.md) as notebooks. The setting is written into this checkout's
# .venv only (.venv/etc/jupyter/labconfig/default_setting_overrides.json), never into ~/.jupyter:
# other JupyterLabs of the same user are not affected, and `make clean` removes it.
lab: $(VENV)/.installed
	$(VENV)/bin/jupytext-config --settings-file $(VENV)/etc/jupyter/labconfig/default_setting_overrides.json \
		set-default-viewer markdown myst
	$(VENV)/bin/jupyter lab book/

clean:
	rm -rf _build build $(VENV) node_modules .pytest_cache test-artifacts
