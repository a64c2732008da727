# Thin wrapper over CMake for the common commands. `make demo` and `make test` work on a fresh Debian/Ubuntu machine.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= /usr/local
TRIODE := $(BUILD)/tools/triode

.PHONY: all deps configure build demo test test-asan fuzz cross bench install clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(TRIODE) demo --out-dir demo

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTRIODE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

fuzz: deps
	@./scripts/fuzz-smoke.sh

cross:
	@./scripts/cross-aarch64.sh

# The example models of the reference folder when it is there (see bench/README.md); the built-in presets otherwise.
bench: build
	@if [ -d ../shared/models ]; then \
	  $(TRIODE) bench ../shared/models/*.nam; \
	else \
	  echo "make bench: ../shared/models not found; benchmarking the built-in presets only"; \
	  $(TRIODE) bench; \
	fi

install: build
	@cmake --install $(BUILD)

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz build-aarch64
