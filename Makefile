# bp-temporal — the two commands a developer needs are `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Every Java/Maven step runs with the environment scripts/bootstrap wrote (JAVA_HOME >= 21, PG_BIN, tools on PATH).
WITH_TOOLS := source .tools/env &&
MVN := ./mvnw -B --no-transfer-progress

.PHONY: help bootstrap build run test bench clean images

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

bootstrap: ## Install the pinned tools into .tools/ (idempotent; seconds when already done)
	@scripts/bootstrap

build: bootstrap ## Compile and package every module, without tests
	@$(WITH_TOOLS) $(MVN) -q install -DskipTests

run: build ## Start the dev stack (PostgreSQL, Temporal server, Web UI, namespaces) in the foreground
	@$(WITH_TOOLS) exec java $$BP_JAVA_OPTS -cp "modules/devstack/target/classes:$$(cat modules/devstack/target/runtime-classpath.txt)" \
	  io.bptemporal.devstack.DevStackMain

test: bootstrap ## Run every test: unit, integration (real stack), system, chart render suite, image smoke runs
	@scripts/build-base-image >/dev/null
	@$(WITH_TOOLS) $(MVN) -Pimages,offline-base -Dbp.images.smoke=true verify

bench: bootstrap ## Run the benchmarks (*Benchmark classes) against the dev stack; they print ratios, no test runs
	@$(WITH_TOOLS) $(MVN) -Pbench verify -pl '!tests'

clean: ## Remove build outputs and dev-stack state (keeps .tools/)
	@$(WITH_TOOLS) $(MVN) -q clean
	@rm -rf .dev

# Images (docs/operations/images.md). IMAGE_BASE_SOURCE: auto = the registry base (image.base in pom.xml) when
# its registry answers, else the offline base from scripts/build-base-image; or force offline / registry.
IMAGE_BASE_SOURCE ?= auto
IMAGE_REGISTRY_PROBE ?= https://registry-1.docker.io/v2/
IMAGE_MODULES := modules/workers-order-saga,modules/workers-pipeline,modules/scheduler

images: bootstrap ## Build the three image tars (modules/*/target/jib-image.tar); offline base when no registry answers
	@case "$(IMAGE_BASE_SOURCE)" in \
	  offline) offline=true ;; \
	  registry) offline=false ;; \
	  auto) if curl -s -o /dev/null -m 5 "$(IMAGE_REGISTRY_PROBE)" 2>/dev/null; then offline=false; else offline=true; fi ;; \
	  *) echo "make images: IMAGE_BASE_SOURCE='$(IMAGE_BASE_SOURCE)' is not one of auto, offline, registry" >&2; exit 2 ;; \
	esac; \
	profiles=images; \
	if $$offline; then scripts/build-base-image >/dev/null; profiles=images,offline-base; \
	  echo "make images: base = offline .tools/images/jre-base.tar"; \
	else echo "make images: base = registry image.base of pom.xml"; fi; \
	git diff --quiet HEAD 2>/dev/null || echo "make images: WARNING uncommitted changes are in the images, tagged with revision $$(git rev-parse --short=12 HEAD)"; \
	$(WITH_TOOLS) $(MVN) -q -P$$profiles -DskipTests package -pl $(IMAGE_MODULES) -am; \
	mods="$(IMAGE_MODULES)"; for m in $${mods//,/ }; do \
	  [[ -f "$$m/target/jib-image.tar" ]] || { echo "make images: no $$m/target/jib-image.tar: the module must declare jib-maven-plugin (docs/operations/images.md)" >&2; exit 1; }; \
	  printf 'make images: %s (%s MiB)\n' "$$m/target/jib-image.tar" "$$(( $$(stat -c %s "$$m/target/jib-image.tar") / 1048576 ))"; \
	done
