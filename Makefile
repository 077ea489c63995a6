# bp-temporal — the two commands a developer needs are `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Every Java/Maven step runs with the environment scripts/bootstrap wrote (JAVA_HOME >= 21, PG_BIN, tools on PATH).
WITH_TOOLS := source .tools/env &&
MVN := ./mvnw -B --no-transfer-progress

.PHONY: help bootstrap build run test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## Install the pinned tools into .tools/ (idempotent; seconds when already done)
	@scripts/bootstrap

build: bootstrap ## Compile and package every module, without tests
	@$(WITH_TOOLS) $(MVN) -q install -DskipTests

run: build ## Start the dev stack (PostgreSQL, Temporal server, Web UI, namespaces) in the foreground
	@$(WITH_TOOLS) exec java $$BP_JAVA_OPTS -cp "modules/devstack/target/classes:$$(cat modules/devstack/target/runtime-classpath.txt)" \
	  io.bptemporal.devstack.DevStackMain

test: bootstrap ## Run every test: unit, integration (real stack), system
	@$(WITH_TOOLS) $(MVN) verify

clean: ## Remove build outputs and dev-stack state (keeps .tools/)
	@$(WITH_TOOLS) $(MVN) -q clean
	@rm -rf .dev
