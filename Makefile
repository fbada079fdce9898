# Two commands do everything: `make serve` (preview the site) and `make test` (prove every snippet).
# Everything else here is a step of those two, or a tool for the author.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The system Python (Debian 12: 3.11.2; Ubuntu 24.04: 3.12), not whatever a version manager
# puts first on PATH, so the pins are proven on the interpreter a reader has.
PYTHON ?= $(shell command -v /usr/bin/python3 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Material 9.8 prints an end-of-life banner on every run; the notice is in the README.
export NO_MKDOCS_2_WARNING := 1

# Debian packages, one list per concern, all installed by the one script the Vagrant VM uses:
# the lab's tools (lab/packages.txt), what the test VM needs (tools/testvm/packages.txt), and
# what the other tests need (tests/support/packages.txt), what the browser lab's image needs
# (tools/browserlab/host-packages.txt).
PACKAGE_LISTS := lab/packages.txt tools/testvm/packages.txt tests/support/packages.txt tools/browserlab/host-packages.txt

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV) || { echo "Cannot create $(VENV): on Debian, install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The folders whose modules are imported by bare name, declared here once: the product's (the
# root's snippets_grammar, hooks/, lab/), the tests' support package, and the tools the tests
# drive. `make venv` writes them into the virtualenv as one .pth file, so pytest, the tools and
# the benchmarks import alike, with no sys.path edit (tests/install/test_import_model.py).
IMPORT_ROOTS := . hooks lab tests/support tools/testvm tools/inventory tools/browserlab
IMPORT_PTH_STAMP := $(VENV)/.import-roots

$(IMPORT_PTH_STAMP): Makefile $(BIN)/.installed
	$(BIN)/python tools/write_import_roots.py $(IMPORT_ROOTS)
	touch $@

.PHONY: venv
venv: $(BIN)/.installed $(IMPORT_PTH_STAMP) ## create .venv with the pinned Python dependencies

.PHONY: system-deps
system-deps: ## install the Debian packages the tests need (as root), or say which are missing
	@if [ "$$(id -u)" -eq 0 ]; then lab/provision.sh $(PACKAGE_LISTS); \
	else lab/provision.sh --check $(PACKAGE_LISTS); fi

.PHONY: serve
serve: venv ## preview the site on http://127.0.0.1:8000 (drafts shown with a badge)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

.PHONY: build
build: venv ## build the production site into site/ (drafts left out)
	$(BIN)/mkdocs build --strict --clean

.PHONY: build-drafts
build-drafts: venv ## build the site with drafts into site-drafts/, for a preview
	BLOG_DRAFTS=true $(BIN)/mkdocs build --strict --clean --site-dir site-drafts

.PHONY: lint
# The workflows: zizmor's security audits (offline: no GitHub API, so its online audits such as
# impostor-commit are left out) and their structure against GitHub's schema, the copy vendored
# in check-jsonschema (no download).
WORKFLOWS := $(wildcard .github/workflows/*.yml)

# mypy, strict, on the `files` of [tool.mypy] in pyproject.toml: hooks/, snippets_grammar/ and
# every Python file of lab/ (tests/lab/test_typed_files.py keeps that list complete).
lint: venv ## ruff on every Python file; mypy (strict); zizmor and GitHub's schema on the workflows
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)

.PHONY: check
# The author's inner loop, before `make test`: ruff and mypy, then every test that needs no
# sandbox, site build, browser, VM, registry or slow outside program, in one pytest session.
# Which tests those are is read from what each test uses (markers set in tests/conftest.py),
# not from a list here: a new test lands on the right side by itself.
CHECK_MARKERS := not (vm or browserlab or sandbox or site or browser or network or programs)

check: venv ## quick inner loop: ruff, mypy and the tests that need no sandbox, site build, VM or browser
	@started=$$(date +%s%N); status=0; \
	{ $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy \
	  && $(BIN)/pytest -q -m "$(CHECK_MARKERS)"; } || status=$$?; \
	echo "make check: $$(( ($$(date +%s%N) - started) / 1000000 )) ms wall time"; \
	exit $$status

.PHONY: test
# Each layer's wall time (tools/timed.sh), printed at the end, pass or fail: the author's loop
# is meant to stay under five minutes on a 2-CPU machine. The VM suite runs beside
# the sandbox suite, not after it: each leaves most of a CPU idle (the sandbox suite waits on
# its namespaces, servers and browser; the VM on its guest), so side by side they take little
# longer than the VM alone. The VM suite's output is kept in VM_LOG and printed after the
# sandbox suite's, so the two never interleave.
LAYER_TIMES := tests/artifacts/layer-times.tsv
VM_LOG := tests/artifacts/vm-suite.log

test: ## run every test: site, hooks, lab transcripts in the sandbox and, beside it, in a VM; then where the time went
	@mkdir -p $(dir $(LAYER_TIMES)) $(dir $(VM_LOG)) && : >$(LAYER_TIMES)
	@started=$${EPOCHREALTIME/./}; \
	trap 'tools/timed.sh --report $(LAYER_TIMES) $$started' EXIT; \
	layer() { tools/timed.sh $(LAYER_TIMES) "$$@"; }; \
	layer "system packages (make system-deps)" $(MAKE) --no-print-directory system-deps && \
	layer "virtualenv (make venv)" $(MAKE) --no-print-directory venv && \
	layer "lint (make lint)" $(MAKE) --no-print-directory lint && \
	layer "VM root file system (make vm-rootfs)" $(MAKE) --no-print-directory vm-rootfs && \
	{ layer "VM suite (pytest -m vm), beside the sandbox suite" \
	    $(BIN)/pytest -m vm -p no:cacheprovider >$(VM_LOG) 2>&1 & vm=$$!; \
	  sandbox_status=0; vm_status=0; \
	  layer "sandbox suite (pytest -m 'not (vm or browserlab)')" \
	    $(BIN)/pytest -m "not (vm or browserlab)" || sandbox_status=$$?; \
	  wait $$vm || vm_status=$$?; \
	  echo; echo "== VM suite (pytest -m vm), run beside the sandbox suite; its output ($(VM_LOG)):"; \
	  cat $(VM_LOG); \
	  [ $$sandbox_status -eq 0 ] && [ $$vm_status -eq 0 ]; }

.PHONY: vm-rootfs
vm-rootfs: system-deps ## build the test VM's Debian 12 root file system (as root; cached, rebuilt when the lists change)
	$(PYTHON) tools/testvm/rootfs.py lab

# The v86 emulator, exactly as package-lock.json pins it (npm ci stamps node_modules with it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

.PHONY: browser-lab-image
browser-lab-image: system-deps venv node_modules/.package-lock.json ## build the lab that runs in the reader's browser (as root; cached, rebuilt when its inputs change)
	$(BIN)/python tools/browserlab/image.py

.PHONY: test-browser-lab
test-browser-lab: browser-lab-image ## replay every browser transcript in the emulator, in Chromium (slow: minutes)
	$(BIN)/pytest -m browserlab

.PHONY: test-vm
test-vm: system-deps venv vm-rootfs ## replay the lab transcripts inside a disposable QEMU VM booting Debian 12
	$(BIN)/pytest -m vm

.PHONY: clean-room
clean-room: ## prove the README on a fresh Debian 12 from scratch (as root; slow: run before a release)
	tools/cleanroom/run.sh

.PHONY: clean-room-browser-lab
clean-room-browser-lab: ## the browser-lab CI job on a fresh Debian 12: the image from nothing, every browser-lab test (as root; slow)
	tools/cleanroom/run.sh browser-lab

.PHONY: bench
bench: system-deps venv ## print the benchmark figures (build time, page weight, sandbox, VM)
	@failed=0; for script in tools/bench/bench_*.py; do \
	  echo "== $$script"; $(BIN)/python "$$script" || failed=1; \
	done; exit $$failed

.PHONY: lab-check
lab-check: ## replay every lab transcript on this machine (as root, e.g. in the Vagrant VM)
	lab/replay
