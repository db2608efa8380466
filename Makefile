# tracemark — the two commands a newcomer needs are `make run` and `make test`;
# each installs the Debian packages it needs first (idempotent; needs root or sudo).

SWIFT       ?= swift
CONFIG      ?= release
BIN         := .build/$(CONFIG)/tracemark
DEB_PACKAGES := pkg-config libpng-dev libjpeg-dev libsndfile1-dev libfftw3-dev libsoxr-dev libarchive-dev

.PHONY: setup build run test clean

## setup: install the native libraries if any is missing (Debian 12)
setup:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## build: release build of the CLI
build: setup
	$(SWIFT) build -c $(CONFIG) --product tracemark

## run: the main job on the bundled Samples
run: build
	@echo "== tracemark info Samples/*"
	@$(BIN) info Samples/images/* Samples/audio/*

## test: build and run the test suite
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
