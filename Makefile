# bp-temporal — the two commands a developer needs are `make run` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Every Java/Maven step runs with the environment scripts/bootstrap wrote (JAVA_HOME >= 21, PG_BIN, tools on PATH).
WITH_TOOLS := source .tools/env &&
MVN := ./mvnw -B --no-transfer-progress

.PHONY: help bootstrap build run test secure-its record-histories router-scale bench faults clean images cluster cluster-down e2e cluster-prereqs chart-readme chart-sbom format

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

bootstrap: ## Install the pinned tools into .tools/ (idempotent; seconds when already done)
	@scripts/bootstrap

build: bootstrap ## Compile and package every module, without tests
	@$(WITH_TOOLS) $(MVN) -q install -DskipTests

run: build ## Start the dev stack (PostgreSQL, Temporal server, Web UI, namespaces, Kafka broker) in the foreground
	@$(WITH_TOOLS) exec java $$BP_JAVA_OPTS -cp "modules/devstack/target/classes:$$(cat modules/devstack/target/runtime-classpath.txt)" \
	  io.bptemporal.devstack.DevStackMain

test: bootstrap ## Run every test: unit, integration (real stack), system, chart render suite, image smoke runs
	@scripts/build-base-image >/dev/null
	@$(WITH_TOOLS) $(MVN) -Pimages,offline-base -Dbp.images.smoke=true verify

# Issue 20's done-when (docs/security.md): the saga, pipeline and scheduler ITs on a dev stack that requires mutual
# TLS (DEVSTACK_TLS) and authorizes every call by JWT (DEVSTACK_AUTH), every process and test client with a
# certificate and token of its own, payloads encrypted with a throwaway key (never committed: under target/).
SECURE_ITS := OrderSagaIT,PipelineWorkerE2EIT,SchedulerProcessIT,SchedulerCommandsIT,ScheduleLifecycleIT,ScheduledRunIT
secure-its: bootstrap ## The saga, pipeline and scheduler ITs with DEVSTACK_TLS, DEVSTACK_AUTH and payload encryption on
	@rm -rf target/secure-its && mkdir -p target/secure-its/payload-keys && chmod 700 target/secure-its/payload-keys
	@head -c 32 /dev/urandom | base64 > target/secure-its/payload-keys/secure-its
	@$(WITH_TOOLS) DEVSTACK_TLS=true DEVSTACK_AUTH=true PAYLOAD_KEYS_DIR="$(CURDIR)/target/secure-its/payload-keys" \
	  PAYLOAD_KEY_ID=secure-its $(MVN) --fail-at-end verify -pl modules/workers-order-saga,modules/workers-pipeline,modules/scheduler -am \
	  -Djib.skip -Dbp.secure-stack.skip=true -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='$(SECURE_ITS)' \
	  -Dit.failIfNoSpecifiedTests=false

# Replay safety (docs/operations/replay-safety.md): the ITs below write the histories that the modules' replay
# tests (RecordedHistoriesReplayTest, part of `make test`) replay. Existing files are kept unless OVERWRITE=true.
RECORD_ITS := OrderSagaIT,PipelineDemoIT,PipelineWorkerE2EIT,RunActivityIT,SubjectEventsIT
OVERWRITE ?= false
record-histories: bootstrap ## Record workflow histories for the replay tests from real runs on the dev stack (OVERWRITE=true replaces)
	@$(WITH_TOOLS) $(MVN) verify -pl modules/workers-order-saga,modules/workers-pipeline,modules/workers-activity -am -Djib.skip \
	  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='$(RECORD_ITS)' -Dit.failIfNoSpecifiedTests=false \
	  -Dbp.record.histories=true -Dbp.record.histories.overwrite=$(OVERWRITE) -Dbp.secure-stack.skip=true
	@git status --short -- 'modules/*/src/test/resources/histories'

# Issue 17's measured scenario at full size (make test runs EventRouterScaleIT with 1,000 events): docs/event-router.md.
ROUTER_SCALE_EVENTS ?= 10000
router-scale: bootstrap ## The event router's scale test at full size: 10,000 events, 3 router kills, a Temporal restart
	@$(WITH_TOOLS) $(MVN) verify -pl modules/event-router -am -Djib.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=EventRouterScaleIT -Dit.failIfNoSpecifiedTests=false -Dbp.router.scale.events=$(ROUTER_SCALE_EVENTS)

# The images are built (offline base, as in `make test`) so that the process-cost benchmark can weigh them.
bench: bootstrap ## Build the images, then run the benchmarks (*Benchmark classes) against the dev stack; print ratios and one summary table (targets, PASS/MISS), write target/bench/ (JSON, PNG plots); no test runs
	@scripts/build-base-image >/dev/null
	@$(WITH_TOOLS) $(MVN) -Pbench,images,offline-base verify -pl '!tests'

# Issue 19's fault suite (docs/reliability.md): the *FaultsIT scenarios, which `make test` leaves out (-Pfaults runs
# only them). Each appends its `faults:` line to target/faults/matrix.txt; the matrix is printed at the end, also
# when a scenario failed. SEED=<n> repeats a run's fault plan (the seed each scenario prints); SAGAS=<n> runs the
# order saga scenario with fewer sagas (default 200) and the same faults. -fae: a failing scenario does not stop
# the others (every scenario's line is in the matrix); the run still fails.
FAULT_MODULES := modules/workers-order-saga,modules/workers-pipeline,modules/scheduler,modules/event-router
faults: bootstrap ## The fault suite: worker, Temporal server, PostgreSQL and Kafka broker failures mid-run; prints the fault matrix
	@rm -f target/faults/matrix.txt
	@rc=0; $(WITH_TOOLS) $(MVN) -Pfaults -fae verify -pl $(FAULT_MODULES) -am \
	  $(if $(SEED),-Dbp.faults.seed=$(SEED)) $(if $(SAGAS),-Dbp.faults.sagas=$(SAGAS)) || rc=$$?; \
	echo "== fault matrix (target/faults/matrix.txt; docs/reliability.md) =="; \
	cat target/faults/matrix.txt 2>/dev/null || echo "(no scenario got as far as its line)"; \
	exit $$rc

chart-readme: bootstrap ## Regenerate chart/README.md from values.yaml and README.md.gotmpl (helm-docs)
	@.tools/bin/helm-docs --chart-search-root chart --sort-values-order file --skip-version-footer --log-level warning

# Issue 20 (docs/security.md, "Supply chain"): the chart is packaged the one way it always is, by the tests module's
# verify (staging with the upstream subchart, helm lint, helm package into tests/target/helm/repo/; -DskipTests: no
# test runs), then scripts/chart-sbom writes <name>-<version>.cdx.json next to the archive. The images it lists are
# those the chart renders with CHART_SBOM_VALUES (values files) and CHART_SBOM_ARGS (e.g. --set KEY=VALUE): give it
# the release's values. helm package is not reproducible (archive times), so the SBOM belongs to this very archive.
CHART_SBOM_VALUES ?= chart/ci/01-minimal-values.yaml
CHART_SBOM_ARGS ?=
chart-sbom: bootstrap ## Package the chart (with the upstream subchart) and write its CycloneDX SBOM next to it under tests/target/helm/repo/
	@$(WITH_TOOLS) $(MVN) -q verify -pl tests -am -DskipTests
	@version=$$(sed -n 's/^version: *//p' chart/Chart.yaml); \
	scripts/chart-sbom $(foreach v,$(CHART_SBOM_VALUES),-f $(v)) $(CHART_SBOM_ARGS) tests/target/helm/repo/bp-temporal-$$version.tgz

# -Pbench: modules/bench is in the reactor only with that profile.
format: bootstrap ## Apply the one code style (google-java-format through Spotless) to every module; `verify` checks it
	@$(WITH_TOOLS) $(MVN) -q -Pbench spotless:apply

clean: ## Remove build outputs and dev-stack state (keeps .tools/)
	@$(WITH_TOOLS) $(MVN) -q clean
	@rm -rf .dev

# Images (docs/operations/images.md). IMAGE_BASE_SOURCE: auto = the registry base (image.base in pom.xml) when
# its registry answers, else the offline base from scripts/build-base-image; or force offline / registry.
IMAGE_BASE_SOURCE ?= auto
IMAGE_REGISTRY_PROBE ?= https://registry-1.docker.io/v2/
IMAGE_MODULES := modules/workers-order-saga,modules/workers-pipeline,modules/workers-activity,modules/scheduler,modules/event-router

images: bootstrap ## Build the five image tars (modules/*/target/jib-image.tar); offline base when no registry answers
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

# --- Local Kubernetes cluster (docs/operations/local-cluster.md) -------------------------------------------
# A real single-node cluster as processes of this machine, under .cluster/. Needs root (CI runs as root).
CLUSTER_MODULE := modules/local-cluster
CLUSTER_CP := $(CLUSTER_MODULE)/target/runtime-classpath.txt
CLUSTER_MAIN = $(WITH_TOOLS) java -Dbp.repo.dir="$(CURDIR)" -cp "$(CLUSTER_MODULE)/target/classes:$$(cat $(CLUSTER_CP))" \
  io.bptemporal.localcluster.LocalClusterMain
comma := ,
# The Jib images are rebuilt only when their sources or the git revision (their tag) changed.
JIB_STAMP := .tools/images/jib-$(shell git rev-parse --short=12 HEAD 2>/dev/null || echo norev).stamp
JIB_SOURCES := $(shell find $(subst $(comma), ,$(IMAGE_MODULES)) modules/runtime modules/registry modules/contracts modules/observability \
  -path '*/target' -prune -o -type f -print 2>/dev/null) pom.xml
CLUSTER_SOURCES := $(shell find $(CLUSTER_MODULE) modules/devstack modules/contracts -path '*/target' -prune -o -type f -print 2>/dev/null) pom.xml

$(JIB_STAMP): $(JIB_SOURCES)
	@$(MAKE) --no-print-directory images
	@mkdir -p $(@D) && rm -f .tools/images/jib-*.stamp && touch $@

# package, not install: the classpath points into this checkout's target/ dirs, never at shared ~/.m2 snapshots.
$(CLUSTER_CP): $(CLUSTER_SOURCES)
	@$(WITH_TOOLS) $(MVN) -q package -DskipTests -pl $(CLUSTER_MODULE) -am
	@touch $@

cluster-prereqs: $(JIB_STAMP)
	@scripts/bootstrap cluster | grep -v -e ' -> ' -e 'all installed' || true
	@test -f .tools/env || { echo "make: scripts/bootstrap cluster failed (see the MISSING lines above)" >&2; exit 1; }
	@scripts/build-cluster-images >/dev/null
	@$(MAKE) --no-print-directory $(CLUSTER_CP)

cluster: cluster-prereqs ## Start (or keep) the local Kubernetes cluster; prints its kubeconfig path
	@$(CLUSTER_MAIN) up

cluster-down: ## Stop the local cluster and undo every host change (PURGE=1 also deletes .cluster/)
	@if [ -f .tools/env ]; then $(MAKE) --no-print-directory $(CLUSTER_CP) && $(CLUSTER_MAIN) down $(if $(PURGE),--purge); \
	  else echo "make cluster-down: nothing was bootstrapped here, so no cluster runs from this checkout"; fi

e2e: cluster-prereqs ## The e2e suite on the local cluster (started if needed, stopped again if it was not running)
	@rm -f tests/target/faults/matrix.txt
	@was_running=true; $(CLUSTER_MAIN) status >/dev/null 2>&1 || was_running=false; \
	rc=0; $(WITH_TOOLS) $(MVN) -Pe2e verify -pl $(CLUSTER_MODULE),tests -am -Dtest=NONE \
	  -Dit.test='**/*E2E' -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false || rc=$$?; \
	echo "== cluster fault matrix (tests/target/faults/matrix.txt; docs/reliability.md, row 6) =="; \
	cat tests/target/faults/matrix.txt 2>/dev/null || echo "(no cluster fault scenario got as far as its line)"; \
	if ! $$was_running; then $(CLUSTER_MAIN) down || rc=1; fi; exit $$rc
