# Cellar — the two commands a user needs are `make run` and `make test`.
JOBS ?= $(shell nproc)
CELLAR_HOME ?= $(HOME)/.cellar
DEMO_MODEL ?= $(CELLAR_HOME)/demo/tinyllama-demo-q4_0.gguf

.PHONY: all deps build build-asan test test-unit test-asan test-e2e run bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test: build
	@scripts/run-tests.sh

test-unit: build
	@ctest --test-dir build --output-on-failure -j $(JOBS)

test-asan: build-asan
	@ctest --test-dir build-asan --output-on-failure -L unit -j $(JOBS)

run: build
	@DEMO_MODEL=$(DEMO_MODEL) CELLAR_HOME=$(CELLAR_HOME) scripts/run-demo.sh

bench: build
	@scripts/run-bench.sh

clean:
	rm -rf build build-asan build-fuzz
