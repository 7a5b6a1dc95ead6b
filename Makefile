# Two commands: `make run` sets everything up and runs Urne on the sample election;
# `make test` sets everything up and runs the whole test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system run test lint bench screenshots clean fuzz

# System libraries: zbar for QR codes, poppler for PDF previews, Qt's runtime libraries
# (the xcb ones let the kiosk window open on an X11 desktop), espeak-ng for the audio ballot's voice
# and libportaudio2 to play it (sounddevice); PostgreSQL's server binaries for the city hub's tests
# (each run starts a throwaway cluster of its own with initdb + pg_ctl); Chromium and its driver
# for the hub dashboard's browser tests (the distribution's own: nothing downloads a browser); nginx
# to check the README's reverse-proxy set-up for two hub processes;
# Xvfb, matchbox, openbox and xdotool for the kiosk's full-screen test under a real X server.
SYSTEM_PACKAGES := libzbar0 poppler-utils fonts-dejavu-core espeak-ng libespeak-ng1 libportaudio2 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 \
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 \
  postgresql nginx chromium chromium-driver xvfb matchbox-window-manager openbox x11-utils xdotool

system:
	@if [ -x "$$(command -v apt-get)" ] && [ "$$(id -u)" = 0 ]; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	elif [ -x "$$(command -v apt-get)" ]; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  ($(BIN)/urne status --data var/data >/dev/null 2>&1 || $(BIN)/urne init --data var/data) && $(BIN)/urne kiosk --data var/data; \
	else \
	  echo "No display found: running the headless demo ('urne demo') instead of the kiosk window."; \
	  rm -rf var/demo && $(BIN)/urne demo --data var/demo; \
	fi

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The reliability suite's long run: FUZZ_N hostile inputs per parser and endpoint (the fast
# subset of `make test` uses 180), figures in var/fuzz-report.json.
FUZZ_N ?= 2000
fuzz: setup
	URNE_FUZZ_N=$(FUZZ_N) URNE_FUZZ_REPORT=var/fuzz-report.json QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:randomly tests/fuzz
	@cat var/fuzz-report.json

lint: setup
	$(BIN)/ruff check ballots kiosk sync tests bench tools
	$(BIN)/ruff format --check ballots kiosk sync tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.a11y_screenshots --out docs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.counting_screenshots --out docs/screenshots

clean:
	rm -rf var $(VENV)
