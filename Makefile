# Aftercare — the commands developers and CI use. `make test` is what CI runs.
SHELL := /bin/bash
SWIFT ?= swift
# Short on purpose: Unix socket paths are capped at 107 bytes.
RUN_DIR ?= /tmp/aftercare-$(shell id -u)
DIR ?= $(RUN_DIR)/certs

.PHONY: deps-run deps-test surface build docs test unit-tests world-on-postgres-tests demo-test sql-coverage interop-tests proto certs run stop status fuzz bench chaos clean

# make chaos N=… CONCURRENCY=… SEED=…
N ?= 1000
CONCURRENCY ?= 16
SEED ?= 1

# make run METRICS_PORT=… (the first of the six ports the services serve /metrics on)
METRICS_PORT ?= 9464

# make fuzz RUNS=… FUZZ_SECONDS=…
RUNS ?= 3000000
FUZZ_SECONDS ?= 600

## Build everything, tests included; warnings are errors (Package.swift).
build:
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error

## Every test: the Swift suites, the six executables' suites again on PostgreSQL, every statement
## of the services run on PostgreSQL too, the wire vectors and the independent Python client.
test: deps-test surface build docs unit-tests world-on-postgres-tests demo-test sql-coverage interop-tests

## What a bare Debian machine with only Swift lacks: installed as root, named otherwise.
deps-run:
	scripts/install-deps.sh run

deps-test:
	scripts/install-deps.sh test

SQL_LOG := .build/sql-log

## The public surface is the library products, named in the README; nothing else is `public`.
surface:
	python3 scripts/check-public-surface.py

## The DocC documentation of the client library and the saga engine (its design article), in
## .build/docs; a warning (a broken symbol link, a parameter documented under another name) fails.
docs:
	$(SWIFT) package --disable-sandbox generate-documentation --target AftercareClient --target AftercareSagas \
		--warnings-as-errors --output-path .build/docs

## The Swift suites, in one run; every service database logs its distinct statements to $(SQL_LOG).
## A run still going after 30 minutes is a hang: scripts/swift-test.sh names the tests that had not
## finished and keeps the runner's backtraces.
## At most 8 tests run at once. Unbounded, Swift Testing starts all ~500 at once; they share the
## process's two event loops and its two-thread task pool (on two cores), and a test whose calls
## carry 1-5 s deadlines waits behind the backlog of hundreds of others (TLS handshakes, 1,000-call
## bursts, in a debug build). That queueing, not a blocked thread, was the "stall": under two busy
## loops (scripts/repeat-tests.sh beside `while :; do :; done` x2) an unbounded run failed, a
## bounded one passed.
unit-tests:
	rm -rf $(SQL_LOG)
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 AFTERCARE_SQL_LOG=$(CURDIR)/$(SQL_LOG) SWIFT=$(SWIFT) scripts/swift-test.sh

## The suites of the six executables (GatewayExecutableTests) again, every process on a PostgreSQL
## database of its own (AFTERCARE_WORLD_DATABASE), but those that run on PostgreSQL already or
## test SQLite's group commit: the crash-point walk and the chaos runs (each has its PostgreSQL
## run in unit-tests), OnPostgresTests, GroupCommitKillTests.
WORLD_ON_POSTGRES_SKIP := CrashPointWalkTests|ChaosRunTests|ChaosOnPostgresTests|OnPostgresTests|GroupCommitKillTests
world-on-postgres-tests:
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 AFTERCARE_WORLD_DATABASE=postgres AFTERCARE_SQL_LOG=$(CURDIR)/$(SQL_LOG) \
		AFTERCARE_TEST_OUTPUT=.build/test-output-postgres.log SWIFT=$(SWIFT) \
		scripts/swift-test.sh --filter GatewayExecutableTests --skip '$(WORLD_ON_POSTGRES_SKIP)'

## Fails naming each statement the SQLite runs of the tests ran and no PostgreSQL run did.
sql-coverage:
	python3 scripts/check-sql-coverage.py $(SQL_LOG)

interop-tests:
	python3 Tests/Interop/test_vectors.py
	python3 Tests/Interop/selftest.py
	scripts/interop.sh

## Regenerate the committed Swift code of proto-spec/*.proto and of aftersales' stored records.
proto:
	scripts/generate-proto.sh

## libFuzzer over the frame decoder, frame bodies and HELLO checks (FuzzTesting/); crashes go to
## Tests/FuzzRegressions, which the tests replay.
fuzz:
	scripts/fuzz.sh $(RUNS) $(FUZZ_SECONDS)

## Benchmarks/ (its own package, release): echo latency and throughput (raw SwiftNIO vs Aftercare vs
## grpc-swift-2), the runtime under load and attack (1,000 callers, fragments, silent connections),
## each service's main call vs the storage floor, end-to-end sagas through the six executables.
bench:
	Benchmarks/run.sh

## A longer chaos run than the one in `make test`: N cases (at least 150) walked by CONCURRENCY
## clients while every process is SIGKILLed at random (seeded by SEED), then the books judged.
chaos: build
	AFTERCARE_CHAOS_CASES=$(N) AFTERCARE_CHAOS_CONCURRENCY=$(CONCURRENCY) AFTERCARE_CHAOS_SEED=$(SEED) \
		$(SWIFT) test --skip-build --filter ChaosRunTests

## Development CA and certificates: make certs DIR=path
certs:
	scripts/make-certs.sh $(DIR)

## Build, make certificates, start the five services and the gateway on Unix
## sockets with mutual TLS in $(RUN_DIR) (each with its own SQLite database, logs and pids, and
## Prometheus metrics on 127.0.0.1 from $(METRICS_PORT) on), and
## run the demo: six after-sales scenarios through the gateway, each followed by
## `aftercare saga show` of its sagas, then the platform's totals (`aftercare totals`). The
## services keep running; `make stop` stops them.
run: deps-run build
	AFTERCARE_METRICS_PORT=$(METRICS_PORT) scripts/services.sh start $(RUN_DIR)
	.build/debug/aftercare-demo --run-dir $(RUN_DIR)
	@echo
	@echo "$$ aftercare totals   # orders created, paid and refunded, per currency"
	@.build/debug/aftercare totals --run-dir $(RUN_DIR)
	@echo
	@echo "The services still run (make status). Look around with the CLI, e.g.:"
	@echo "  .build/debug/aftercare saga list --run-dir $(RUN_DIR)"
	@echo "  .build/debug/aftercare health --run-dir $(RUN_DIR)"
	@echo "Stop them with: make stop"

## `make run`'s scenario as a test, on the debug build: a fresh run directory, the six scenarios,
## their traces checked from the CLI's --json (scripts/check-demo.py), everything stopped.
demo-test:
	scripts/demo-check.sh

## Stop the services `make run` started (SIGTERM: they drain and remove their sockets).
stop:
	scripts/services.sh stop $(RUN_DIR)

status:
	scripts/services.sh status $(RUN_DIR)

clean:
	rm -rf .build FuzzTesting/.build Benchmarks/.build $(RUN_DIR)
