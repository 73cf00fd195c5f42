# Aftercare — the commands developers and CI use. `make test` is what CI runs.
SHELL := /bin/bash
SWIFT ?= swift
# Short on purpose: Unix socket paths are capped at 107 bytes.
RUN_DIR ?= /tmp/aftercare-$(shell id -u)
DIR ?= $(RUN_DIR)/certs

.PHONY: build test unit-tests interop-tests proto certs run fuzz bench clean

# make fuzz RUNS=… FUZZ_SECONDS=…
RUNS ?= 3000000
FUZZ_SECONDS ?= 600

## Build everything, tests included; warnings are errors (Package.swift).
build:
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error

## Every test: the Swift suites, the wire vectors and the independent Python client.
test: build unit-tests interop-tests

unit-tests:
	$(SWIFT) test --skip-build --parallel

interop-tests:
	python3 Tests/Interop/test_vectors.py
	python3 Tests/Interop/selftest.py
	scripts/interop.sh

## Regenerate the committed Swift code of proto-spec/*.proto.
proto:
	scripts/generate-proto.sh

## libFuzzer over the frame decoder, frame bodies and HELLO checks (FuzzTesting/); crashes go to
## Tests/FuzzRegressions, which the tests replay.
fuzz:
	scripts/fuzz.sh $(RUNS) $(FUZZ_SECONDS)

## Echo latency and throughput: raw SwiftNIO vs Aftercare vs grpc-swift-2 (Benchmarks/, its own package).
bench:
	Benchmarks/run.sh

## Development CA and certificates: make certs DIR=path
certs:
	scripts/make-certs.sh $(DIR)

## Build, make certificates in $(RUN_DIR)/certs, start aftercare-echo on $(RUN_DIR)/run/echo.sock with
## mutual TLS, and talk to it with the independent client. (Grows into the whole system as the
## services arrive.)
run: build
	AFTERCARE_RUN_DIR=$(RUN_DIR) scripts/interop.sh

clean:
	rm -rf .build FuzzTesting/.build Benchmarks/.build $(RUN_DIR)
