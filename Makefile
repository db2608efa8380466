# tracemark — the two commands a newcomer needs are `make run` and `make test`;
# each installs the Debian packages it needs first (idempotent; needs root or sudo).

SWIFT       ?= swift
CONFIG      ?= release
BIN         := .build/$(CONFIG)/tracemark
# libav*, libswscale: reading AAC/M4A and WebM audio and GIF/BMP/TIFF images; ffmpeg: the robustness
# harness's AAC attack runs its encoder
DEB_PACKAGES := pkg-config libpng-dev libjpeg-dev libsndfile1-dev libfftw3-dev libsoxr-dev libarchive-dev libwebp-dev \
                libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg

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

## run: the main job on the bundled Samples: key → embed → attack → detect (outputs in .build/run)
RUN_DIR := .build/run
run: build
	@mkdir -p $(RUN_DIR)
	@$(BIN) keygen --output $(RUN_DIR)/demo.key --force > /dev/null
	@echo "== embed (payload 00c0ffee00001234) =="
	@for f in Samples/images/* Samples/audio/*; do \
	  $(BIN) embed "$$f" "$(RUN_DIR)/marked-$$(basename "$$f")" --key $(RUN_DIR)/demo.key --payload 00c0ffee00001234 || exit 2; \
	done
	@echo "== attack: JPEG 80 (images), MP3 128 kbit/s (audio) =="
	@for f in $(RUN_DIR)/marked-*.png $(RUN_DIR)/marked-*.jpg; do \
	  $(BIN) attack "$$f" "$(RUN_DIR)/attacked-$$(basename "$${f%.*}").jpg" --attack jpeg:80 || exit 2; done
	@for f in $(RUN_DIR)/marked-*.wav $(RUN_DIR)/marked-*.flac $(RUN_DIR)/marked-*.ogg; do \
	  $(BIN) attack "$$f" "$(RUN_DIR)/attacked-$$(basename "$${f%.*}").mp3" --attack mp3:128 || exit 2; done
	@echo "== detect =="
	@$(BIN) detect $(RUN_DIR)/marked-* $(RUN_DIR)/attacked-* Samples/images/skimage_rocket.jpg --key $(RUN_DIR)/demo.key || test $$? -eq 1

## test: build and run the test suite
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build

## robustness: the quick robustness suite on Samples/, checked against .ci/robustness-gate.json
## (reports in .build/robustness.json and .build/robustness.html)
ROBUSTNESS_KEY := .build/robustness-ci.key
.PHONY: robustness
robustness: build
	@mkdir -p .build
	@printf '# public key for make robustness only: never mark real files with it\ntracemark-key-v1 %s\n' \
	  0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 > $(ROBUSTNESS_KEY)
	$(BIN) robustness Samples --key $(ROBUSTNESS_KEY) --suite quick --gate .ci/robustness-gate.json \
	  --json .build/robustness.json --html .build/robustness.html
