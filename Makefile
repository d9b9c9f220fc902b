# Lambdesk's two commands: `make run` opens the app on a local sandbox, `make test` runs every test
# layer. Both install what they need first and skip what is already done.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

STAMPS := .make
VENV := .venv
CLI_VENV := .venv-cli
PYTHON := $(VENV)/bin/python
TAURI_DRIVER_VERSION := 2.1.0
APP := target/debug/lambdesk
UI_SOURCES := $(shell find ui/src ui/static -type f 2>/dev/null) ui/svelte.config.js ui/vite.config.ts ui/package-lock.json

# The README's screenshots, as the end-to-end journeys name them under target/e2e/.
SCREENSHOTS := function-list function-list-all-regions function-list-dark switcher profiles sandbox-down sandbox-offer sandbox-installing sandbox-started wizard-code wizard-review wizard-created function-test function-test-invalid function-code function-test-error function-logs function-metrics log-explorer function-request-logs monitor function-configuration-review function-triggers-schedule function-triggers-api function-triggers function-triggers-call function-scheduled-run function-triggers-queue

.PHONY: FORCE run test deps run-deps toolchain sandbox sandbox-stop bindings lint test-core test-shell test-keyring test-ui test-e2e e2e-app screenshots package test-installed bench clean

## The two commands

run: toolchain run-deps $(APP)
	scripts/run-app.sh

test: toolchain deps ui-build
	$(MAKE) lint
	$(MAKE) test-core
	$(MAKE) test-shell
	$(MAKE) test-keyring
	$(MAKE) test-ui
	$(MAKE) test-e2e

## What they check first: a Node.js and a Rust new enough, said plainly when they are not

toolchain:
	scripts/check-toolchain.sh

## What they install

run-deps: $(STAMPS)/system $(VENV)/.installed ui/node_modules/.package-lock.json

deps: run-deps e2e/node_modules/.package-lock.json $(STAMPS)/tauri-driver-$(TAURI_DRIVER_VERSION)

$(STAMPS)/system: scripts/install-system.sh
	scripts/install-system.sh
	@mkdir -p $(STAMPS) && touch $@

$(VENV)/.installed: scripts/sandbox-requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

$(CLI_VENV)/.installed: scripts/cli-requirements.txt
	python3 -m venv $(CLI_VENV)
	$(CLI_VENV)/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

ui/node_modules/.package-lock.json: ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund

e2e/node_modules/.package-lock.json: e2e/package-lock.json
	npm --prefix e2e ci --no-audit --no-fund

$(STAMPS)/tauri-driver-$(TAURI_DRIVER_VERSION):
	cargo install --list | grep -q '^tauri-driver v$(TAURI_DRIVER_VERSION):' \
	  || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)
	@mkdir -p $(STAMPS) && touch $@

## Building

.PHONY: ui-build
ui-build: ui/build/index.html

# The bench's bare Tauri app embeds this page, so building or linting the workspace needs it.
BARE_PAGE := ui/bare/build/index.html
$(BARE_PAGE): ui/node_modules/.package-lock.json ui/bare/index.html ui/bare/main.ts ui/bare/App.svelte ui/bare/vite.config.ts
	cd ui && ./node_modules/.bin/vite build --config bare/vite.config.ts

ui/build/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	npm --prefix ui run build

# Cargo knows which Rust sources changed; this rule always asks it.
.PHONY: $(APP)
# Cargo decides what to rebuild, so it always runs; make alone would miss changed Rust sources.
$(APP): ui/build/index.html $(STAMPS)/system FORCE
	cargo build -p lambdesk

FORCE:

# The same app with the `e2e` feature: the end-to-end tests' stand-in for a desktop drop. It is
# written over $(APP); `make run` builds the shipped app again.
e2e-app: ui/build/index.html $(STAMPS)/system
	cargo build -p lambdesk --features e2e

## The sandbox on its own, at the app's default URL, for running the binary by hand

sandbox: $(VENV)/.installed
	$(PYTHON) scripts/sandbox.py start --state .sandbox/default --port 4566

sandbox-stop:
	$(PYTHON) scripts/sandbox.py stop --state .sandbox/default

## Test layers

bindings:
	LAMBDESK_WRITE_BINDINGS=1 cargo test -p lambdesk-core --test bindings

lint: ui/build/index.html $(BARE_PAGE)
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

test-core: $(VENV)/.installed $(CLI_VENV)/.installed
	cargo test -p lambdesk-core --lib --test bindings --test layout
	cargo test -p lambdesk-core --test errors_mocked --test paging_mocked --test import --test local_lambda --test sandbox_server --test book_flow
	scripts/with-sandbox.sh cargo test -p lambdesk-core --test functions_moto --test profiles_moto --test create_moto --test faults_moto --test invoke_moto --test function_page_moto --test triggers_moto --test api_moto --test mappings_moto --test monitor_moto

test-shell: $(VENV)/.installed ui/build/index.html
	scripts/with-sandbox.sh cargo test -p lambdesk

test-keyring: $(STAMPS)/system $(VENV)/.installed
	scripts/with-keyring.sh scripts/with-sandbox.sh \
		cargo test -p lambdesk-core --test keyring --test leaks -- --ignored
	DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/lambdesk-no-bus \
		cargo test -p lambdesk-core --test keyring_unavailable -- --ignored
	scripts/with-keyring.sh --locked cargo test -p lambdesk-core --test keyring_unavailable -- --ignored

test-ui: ui/node_modules/.package-lock.json
	npm --prefix ui run check
	npm --prefix ui test

test-e2e: deps e2e-app
	scripts/with-keyring.sh xvfb-run -a npm --prefix e2e test

# Copies the README's screenshots from the last end-to-end run into docs/; `make test` itself
# leaves tracked files alone.
screenshots:
	@for name in $(SCREENSHOTS); do \
	  test -f target/e2e/$$name.png || { echo "screenshots: target/e2e/$$name.png is missing; run make test-e2e first" >&2; exit 1; }; \
	done
	for name in $(SCREENSHOTS); do cp target/e2e/$$name.png docs/$$name.png; done

# The release binary (stripped, fat LTO, optimised for size) and its .deb, with their sizes; not part
# of `make test`.
package: run-deps ui-build
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb
	@stat -c '%n: %s bytes' target/release/lambdesk target/release/bundle/deb/*.deb

# Installs the .deb on this machine and runs the function list, dark-mode and own-sandbox journeys
# against the installed /usr/bin/lambdesk.
test-installed: deps package
	apt-get install -y -qq ./target/release/bundle/deb/*.deb
	LAMBDESK_APP=/usr/bin/lambdesk scripts/with-keyring.sh xvfb-run -a node --test --test-concurrency=1 --test-reporter=spec e2e/function-list.test.mjs e2e/dark-mode.test.mjs e2e/own-sandbox.test.mjs

# Every figure against its baseline, written to docs/performance.md; not part of `make test`.
bench: deps ui-build $(BARE_PAGE) $(CLI_VENV)/.installed package
	cargo bench -p lambdesk-core --bench local_invoke
	cargo bench -p lambdesk-core --bench zip_folder
	cargo bench -p lambdesk-core --bench cli_flow
	cargo bench -p lambdesk-core --bench list_functions
	scripts/measure.sh
	LAMBDESK_APP=target/release/lambdesk scripts/with-keyring.sh xvfb-run -a node e2e/bench/log-explorer.mjs
	cargo build --release -p lambdesk-bare
	scripts/with-keyring.sh xvfb-run -a node e2e/bench/launch.mjs
	python3 scripts/performance.py

clean:
	rm -rf target ui/build ui/.svelte-kit $(STAMPS)
