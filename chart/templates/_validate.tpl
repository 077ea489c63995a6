{{/*
Contradictions the JSON schema cannot express. Each check fails with: what is wrong, where, and how to fix it.
Called from validate.yaml so it runs on every render, whether or not the upstream subchart is present.
*/}}
{{- define "bp-temporal.validate" -}}
{{- include "bp-temporal.validate.upstreamLayout" . -}}
{{- include "bp-temporal.validate.persistence" . -}}
{{- include "bp-temporal.validate.connectionBudget" . -}}
{{- include "bp-temporal.validate.namespaces" . -}}
{{- include "bp-temporal.validate.auth" . -}}
{{- include "bp-temporal.validate.processes" . -}}
{{- include "bp-temporal.validate.backup" . -}}
{{- include "bp-temporal.validate.tls" . -}}
{{- include "bp-temporal.validate.broker" . -}}
{{- include "bp-temporal.validate.relay" . -}}
{{- end -}}

{{/* Pre-1.0 upstream layouts: fail with a migration message instead of upstream's generic one (or none, without the subchart). */}}
{{- define "bp-temporal.validate.upstreamLayout" -}}
{{- $t := .Values.temporal -}}
{{- range $old := list "postgresql" "cassandra" "elasticsearch" "mysql" "prometheus" "grafana" -}}
{{- if hasKey $t $old -}}
{{- fail (printf "temporal.%s: the upstream chart has no %s subchart since 1.0. PostgreSQL comes from postgres.mode (cnpg or external); metrics from observability.*. Remove temporal.%s." $old $old $old) -}}
{{- end -}}
{{- end -}}
{{- $p := ((($t.server).config).persistence) | default dict -}}
{{- range $store := list "default" "visibility" -}}
{{- if kindIs "map" (index $p $store) -}}
{{- fail (printf "temporal.server.config.persistence.%s is the pre-1.0 upstream layout (driver: sql, sql.host/port/database). Move it to temporal.server.config.persistence.datastores.%s.sql with pluginName: postgres12, databaseName, connectAddr: \"<host>:<port>\", connectProtocol: tcp, user, existingSecret + secretKey; set persistence.defaultStore: default and visibilityStore: visibility (see docs/chart.md, \"Migrating from the pre-1.0 layout\")." $store $store) -}}
{{- end -}}
{{- end -}}
{{- $schema := $t.schema | default dict -}}
{{- range $old := list "createDatabase" "setup" "update" -}}
{{- if hasKey $schema $old -}}
{{- fail (printf "temporal.schema.%s was removed in upstream 1.0: set createDatabase / manageSchema on each store under temporal.server.config.persistence.datastores.<store>.sql." $old) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.persistence" -}}
{{- if and (eq .Values.postgres.mode "external") (not .Values.postgres.external.host) -}}
{{- fail "postgres.external.host is empty with postgres.mode=external: set the host of your PostgreSQL (or use postgres.mode: cnpg)." -}}
{{- end -}}
{{- if and (eq .Values.postgres.mode "external") (not .Values.postgres.external.existingSecret) -}}
{{- fail "postgres.external.existingSecret is empty with postgres.mode=external: name the Secret holding the application account (keys postgres.external.usernameKey / passwordKey)." -}}
{{- end -}}
{{- if and (eq .Values.postgres.mode "external") (has .Values.postgres.external.sslMode (list "verify-ca" "verify-full")) (not .Values.postgres.external.caSecret) -}}
{{- fail (printf "postgres.external.sslMode is %s but postgres.external.caSecret is empty: the processes cannot verify your PostgreSQL's certificate without its CA. Name a Secret with key ca.crt in postgres.external.caSecret (or use sslMode: require)." .Values.postgres.external.sslMode) -}}
{{- end -}}
{{- if .Values.temporal.enabled -}}
{{- $p := .Values.temporal.server.config.persistence -}}
{{- if or (ne (toString $p.defaultStore) "default") (ne (toString $p.visibilityStore) "visibility") -}}
{{- fail (printf "temporal.server.config.persistence.defaultStore/visibilityStore are %q/%q: they must stay \"default\"/\"visibility\" because upstream's schema Job picks the schema directory from the store name." (toString $p.defaultStore) (toString $p.visibilityStore)) -}}
{{- end -}}
{{- $cnpg := eq .Values.postgres.mode "cnpg" -}}
{{- $host := include "bp-temporal.dbHost" . -}}
{{- $secret := include "bp-temporal.dbSecret" . -}}
{{- if and $cnpg (ne (toString (.Values.temporal.schema).useHelmHooks) "false") -}}
{{- fail (printf "temporal.schema.useHelmHooks must be false with postgres.mode=cnpg: as a pre-install hook the schema Job runs before the CNPG Cluster exists and waits forever for Secret %s. Set temporal.schema.useHelmHooks: false (the Job then retries until the database answers)." $secret) -}}
{{- end -}}
{{- range $store := list "default" "visibility" -}}
{{- $path := printf "temporal.server.config.persistence.datastores.%s.sql" $store -}}
{{- $sql := (index ($p.datastores | default dict) $store | default dict).sql | default dict -}}
{{- if not $sql -}}
{{- fail (printf "%s is missing: both stores live on PostgreSQL (see values.yaml for the expected keys)." $path) -}}
{{- end -}}
{{- if hasKey $sql "password" -}}
{{- fail (printf "%s.password is set: passwords never go into values. Use %s.existingSecret: %s and secretKey: %s." $path $path $secret (include "bp-temporal.dbPasswordKey" $)) -}}
{{- end -}}
{{- if not $sql.connectProtocol -}}
{{- fail (printf "%s.connectProtocol is missing: the Temporal server crashes without it. Set it to tcp." $path) -}}
{{- end -}}
{{- $addr := toString $sql.connectAddr -}}
{{- $parts := splitList ":" $addr -}}
{{- if ne (len $parts) 2 -}}
{{- fail (printf "%s.connectAddr is %q: it must be \"host:port\" (the schema Job needs the port), e.g. \"%s:%s\"." $path $addr $host (include "bp-temporal.dbPort" $)) -}}
{{- end -}}
{{- $addrHost := index $parts 0 -}}
{{- if not (or (eq $addrHost $host) (hasPrefix (printf "%s." $host) $addrHost)) -}}
{{- fail (printf "%s.connectAddr is %q but postgres.mode=%s points at host %q: upstream values cannot be templated, so set connectAddr to \"%s:%s\" (or change %s)." $path $addr $.Values.postgres.mode $host $host (include "bp-temporal.dbPort" $) (ternary "postgres.cnpg.clusterName" "postgres.external.host" $cnpg)) -}}
{{- end -}}
{{- if ne (toString $sql.existingSecret) $secret -}}
{{- fail (printf "%s.existingSecret is %q but the database account lives in Secret %q (%s). Set existingSecret: %s." $path (toString $sql.existingSecret) $secret (ternary "generated by CNPG for postgres.cnpg.clusterName" "postgres.external.existingSecret" $cnpg) $secret) -}}
{{- end -}}
{{- if and $cnpg (ne (toString $sql.user) (toString $.Values.postgres.cnpg.owner)) -}}
{{- fail (printf "%s.user is %q but postgres.cnpg.owner is %q: the password in %s belongs to the owner. Make them equal." $path (toString $sql.user) (toString $.Values.postgres.cnpg.owner) $secret) -}}
{{- end -}}
{{- if and $cnpg $sql.createDatabase -}}
{{- fail (printf "%s.createDatabase is true with postgres.mode=cnpg: the CNPG app role may not CREATE DATABASE (\"permission denied to create database\"); CNPG creates the databases. Set createDatabase: false." $path) -}}
{{- end -}}
{{- $want := index $.Values.postgres.databases (ternary "temporal" "visibility" (eq $store "default")) -}}
{{- if ne (toString $sql.databaseName) (toString $want) -}}
{{- fail (printf "%s.databaseName is %q but postgres.databases.%s is %q. Make them equal." $path (toString $sql.databaseName) (ternary "temporal" "visibility" (eq $store "default")) (toString $want)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
max_connections must cover every pool that can be open at once; otherwise pods fail with
"too many clients" under load, long after the install looked healthy.
*/}}
{{- define "bp-temporal.validate.connectionBudget" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}
{{- $server := .Values.temporal.server -}}
{{- $perPod := 0 -}}
{{- range $store := list "default" "visibility" -}}
{{- $perPod = add $perPod ((index $server.config.persistence.datastores $store).sql.maxConns | default 20 | int) -}}
{{- end -}}
{{- $pods := 0 -}}
{{- $services := list "frontend" "history" "matching" "worker" -}}
{{- if (index $server "internal-frontend" | default dict).enabled -}}
{{- $services = append $services "internal-frontend" -}}
{{- end -}}
{{- range $svc := $services -}}
{{- $pods = add $pods ((index $server $svc | default dict).replicaCount | default $server.replicaCount | default 1 | int) -}}
{{- end -}}
{{- $temporal := mul $pods $perPod -}}
{{- if not .Values.temporal.enabled -}}{{- $temporal = 0 -}}{{- end -}}
{{- $apps := 0 -}}
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- $pool := $p.values.dbPoolSize | default $.Values.processDefaults.dbPoolSize | int -}}
{{- /* The activity worker also keeps a small pool (2) on the registry database. */ -}}
{{- if eq $p.component "activity-worker" -}}{{- $pool = add $pool 2 -}}{{- end -}}
{{- /*
The event router has no database of its own: a small registry pool (2) plus its LISTEN connection, and its outbox
relay a pool of 2 on each relayed worker's database (RelaySettings.POOL_SIZE).
*/ -}}
{{- if eq $p.component "event-router" -}}{{- $pool = add 3 (mul 2 (len (include "bp-temporal.relaySources" $ | fromJsonArray))) -}}{{- end -}}
{{- $apps = add $apps (mul (include "bp-temporal.maxReplicas" $p.values | int) $pool) -}}
{{- end -}}
{{- $reserve := .Values.postgres.cnpg.connectionReserve | int -}}
{{- $need := add $temporal $apps $reserve -}}
{{- $max := .Values.postgres.cnpg.parameters.max_connections | default "100" | int -}}
{{- if gt $need $max -}}
{{- fail (printf "postgres.cnpg.parameters.max_connections is %d but the platform can open %d connections: Temporal %d pods x %d (default + visibility maxConns) = %d, processes %d (replicas or HPA maxReplicas x dbPoolSize; activity worker +2 on the registry; event router 3 on the registry + 2 per relayed outbox), reserve %d. Raise max_connections to at least %d, or lower maxConns / dbPoolSize / replicas." $max $need $pods $perPod $temporal $apps $reserve $need) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.namespaces" -}}
{{- $ns := (.Values.temporal.server.config.namespaces | default dict) -}}
{{- if and .Values.temporal.enabled $ns.create -}}
{{- $names := list -}}
{{- range $n := $ns.namespace -}}{{- $names = append $names $n.name -}}{{- end -}}
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- if not (has $p.values.temporal.namespace $names) -}}
{{- fail (printf "%s.temporal.namespace is %q but temporal.server.config.namespaces.namespace creates only %v: add {name: %s, retention: <e.g. 7d>} there (lists replace when overlays stack: repeat the whole list)." $p.path $p.values.temporal.namespace $names $p.values.temporal.namespace) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.auth" -}}
{{- $authz := (.Values.temporal.server.config | default dict).authorization -}}
{{- if .Values.auth.enabled -}}
{{- $oidc := .Values.auth.oidc -}}
{{- if not $oidc.issuerUrl -}}
{{- fail "auth.enabled is true but auth.oidc.issuerUrl is empty: set the Keycloak realm URL, e.g. https://keycloak.example.com/realms/temporal." -}}
{{- end -}}
{{- if not (hasPrefix "https://" $oidc.issuerUrl) -}}
{{- fail (printf "auth.oidc.issuerUrl is %q: it must be an https:// URL (tokens and the client secret travel over it)." $oidc.issuerUrl) -}}
{{- end -}}
{{- if not $oidc.callbackUrl -}}
{{- fail "auth.enabled is true but auth.oidc.callbackUrl is empty: set the Web UI's public callback, e.g. https://temporal.example.com/auth/sso/callback." -}}
{{- end -}}
{{- if not $oidc.clientSecretName -}}
{{- fail "auth.enabled is true but auth.oidc.clientSecretName is empty: name an existing Secret with key TEMPORAL_AUTH_CLIENT_SECRET (never a literal in values)." -}}
{{- end -}}
{{- if ne (toString (.Values.temporal.web).additionalEnvSecretName) (toString $oidc.clientSecretName) -}}
{{- fail (printf "temporal.web.additionalEnvSecretName is %q but auth.oidc.clientSecretName is %q: the Web UI reads its client secret from that Secret. Set both to the same name." (toString (.Values.temporal.web).additionalEnvSecretName) $oidc.clientSecretName) -}}
{{- end -}}
{{- $uris := ((($authz | default dict).jwtKeyProvider | default dict).keySourceURIs) | default list -}}
{{- if not $uris -}}
{{- fail (printf "auth.enabled is true but temporal.server.config.authorization.jwtKeyProvider.keySourceURIs is empty: the frontend cannot verify tokens. Set it to [\"%s/protocol/openid-connect/certs\"] with authorizer: default and claimMapper: default." $oidc.issuerUrl) -}}
{{- end -}}
{{- range $u := $uris -}}
{{- if not (hasPrefix $oidc.issuerUrl $u) -}}
{{- fail (printf "temporal.server.config.authorization.jwtKeyProvider.keySourceURIs has %q, which is not under auth.oidc.issuerUrl %q: the frontend would trust keys of another issuer." $u $oidc.issuerUrl) -}}
{{- end -}}
{{- end -}}
{{- if not ((index .Values.temporal.server "internal-frontend") | default dict).enabled -}}
{{- fail "auth.enabled is true but temporal.server.internal-frontend.enabled is false: the server's own system workers (Schedules, namespace deletion) carry no JWT and would be denied. Set temporal.server.internal-frontend.enabled: true." -}}
{{- end -}}
{{- if not .Values.auth.workerCredentials.existingSecret -}}
{{- fail "auth.enabled is true but auth.workerCredentials.existingSecret is empty: the workers and the scheduler need a token (TEMPORAL_API_KEY) from an existing Secret." -}}
{{- end -}}
{{- else if $authz -}}
{{- fail "temporal.server.config.authorization is set but auth.enabled is false: the frontend would reject the workers' unauthenticated calls. Set auth.enabled: true (with auth.oidc.*) or remove temporal.server.config.authorization." -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.processes" -}}
{{- $cnpg := eq .Values.postgres.mode "cnpg" -}}
{{- $roleRule := "^[a-z_][a-z0-9_]{0,62}$" -}}
{{- $reserved := list "postgres" "streaming_replica" "public" (toString .Values.postgres.cnpg.owner) -}}
{{- $roles := dict -}}
{{- $refs := dict -}}
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- $v := $p.values -}}
{{- /* The event router owns no database (it reads the registry): only its role is checked. */ -}}
{{- if hasKey $v.database "ref" -}}
{{- $db := $v.database.ref -}}
{{- if not (hasKey $.Values.postgres.databases $db) -}}
{{- fail (printf "%s.database.ref is %q: it must name a key of postgres.databases (%s)." $p.path $db (keys $.Values.postgres.databases | sortAlpha | join ", ")) -}}
{{- end -}}
{{- if has $db (list "temporal" "visibility") -}}
{{- fail (printf "%s.database.ref is %q: Temporal's own databases belong to the server; give the process its own database." $p.path $db) -}}
{{- end -}}
{{- /* A database has one owner: two processes on one database would need a shared role (cnpg mode creates one per process). */ -}}
{{- if and $cnpg (hasKey $refs $db) -}}
{{- fail (printf "%s.database.ref is %q, the database of %s too: with postgres.mode=cnpg each process owns its database through its own role. Give each process its own key of postgres.databases." $p.path $db (get $refs $db)) -}}
{{- end -}}
{{- $_ := set $refs $db $p.path -}}
{{- end -}}
{{- $role := toString $v.database.role -}}
{{- if not (regexMatch $roleRule $role) -}}
{{- fail (printf "%s.database.role is %q: a PostgreSQL role name here is lower-case letters, digits and _ (starting with a letter or _), at most 63 characters, e.g. %s." $p.path $role (replace "-" "_" $p.component)) -}}
{{- end -}}
{{- if or (has $role $reserved) (hasPrefix "pg_" $role) -}}
{{- fail (printf "%s.database.role is %q: that role is reserved (%s, pg_*) or is postgres.cnpg.owner, which owns Temporal's databases. Give the process a role of its own, e.g. %s." $p.path $role (join ", " (initial $reserved)) (replace "-" "_" $p.component)) -}}
{{- end -}}
{{- if and $cnpg (hasKey $roles $role) -}}
{{- fail (printf "%s.database.role is %q, the role of %s too: each process gets its own role (and Secret). Choose another name." $p.path $role (get $roles $role)) -}}
{{- end -}}
{{- $_ := set $roles $role $p.path -}}
{{- if and $v.database.existingSecret (or (not $v.database.usernameKey) (not $v.database.passwordKey)) -}}
{{- fail (printf "%s.database.existingSecret is %q but usernameKey or passwordKey is empty: name the keys of the user name and password in that Secret (e.g. username, password)." $p.path $v.database.existingSecret) -}}
{{- end -}}
{{- if and $cnpg $v.database.existingSecret -}}
{{- fail (printf "%s.database.existingSecret is %q with postgres.mode=cnpg: the chart generates the process's Secret for its managed role %s. Remove it (it is for postgres.mode=external)." $p.path $v.database.existingSecret $role) -}}
{{- end -}}
{{- if and (eq $p.component "activity-worker") (not $.Values.scheduler.enabled) -}}
{{- fail "workers.activity.enabled is true but scheduler.enabled is false: the activity worker reads the registry the scheduler owns, migrates and grants it SELECT on (REGISTRY_READER_ROLES). Enable the scheduler or disable workers.activity." -}}
{{- end -}}
{{- if and (eq $p.component "event-router") (not $.Values.scheduler.enabled) -}}
{{- fail "eventRouter.enabled is true but scheduler.enabled is false: the event router reads its routes from the registry the scheduler owns, migrates and grants it SELECT on (REGISTRY_READER_ROLES). Enable the scheduler or disable eventRouter." -}}
{{- end -}}
{{- if and (hasKey $v "autoscaling") $v.autoscaling.enabled (gt ($v.autoscaling.minReplicas | int) ($v.autoscaling.maxReplicas | int)) -}}
{{- fail (printf "%s.autoscaling.minReplicas (%d) is greater than maxReplicas (%d)." $p.path ($v.autoscaling.minReplicas | int) ($v.autoscaling.maxReplicas | int)) -}}
{{- end -}}
{{- $replicas := include "bp-temporal.maxReplicas" $v | int -}}
{{- if and (hasKey $v "autoscaling") $v.autoscaling.enabled -}}{{- $replicas = $v.autoscaling.minReplicas | int -}}{{- end -}}
{{- if and $v.podDisruptionBudget.enabled (le $replicas 1) -}}
{{- fail (printf "%s has 1 replica and a PodDisruptionBudget: every node drain would block. Set %s.replicas (or autoscaling.minReplicas) to 2 or more, or %s.podDisruptionBudget.enabled: false." $p.path $p.path $p.path) -}}
{{- end -}}
{{- range $e := $v.extraEnv -}}
{{- if and (hasKey $e "value") (regexMatch "(?i)(password|secret|token|api_key|apikey)" $e.name) -}}
{{- fail (printf "%s.extraEnv sets %s as a literal value: secrets go in a Secret and reach the pod with valueFrom.secretKeyRef." $p.path $e.name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $r := .Values.scheduler.registryReaderRoles -}}
{{- if not (regexMatch "^[a-z_][a-z0-9_]{0,62}$" (toString $r)) -}}
{{- fail (printf "scheduler.registryReaderRoles has %q: role names here are lower-case letters, digits and _ (starting with a letter or _), at most 63 characters." (toString $r)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.backup" -}}
{{- $b := .Values.postgres.cnpg.backup -}}
{{- if and $b.enabled (eq .Values.postgres.mode "external") -}}
{{- fail "postgres.cnpg.backup.enabled is true with postgres.mode=external: back up an external PostgreSQL where it runs, or switch to postgres.mode: cnpg." -}}
{{- end -}}
{{- if and $b.enabled (not $b.objectStoreName) -}}
{{- fail "postgres.cnpg.backup.enabled is true but postgres.cnpg.backup.objectStoreName is empty: create a barmancloud.cnpg.io/v1 ObjectStore (bucket + credentials) and name it here." -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.validate.tls" -}}
{{- if and (not .Values.temporal.enabled) (not .Values.temporalClient.address) -}}
{{- fail "temporal.enabled is false (no Temporal server in this release) but temporalClient.address is empty: set the host:port of the Temporal frontend the processes should use." -}}
{{- end -}}
{{- $tls := .Values.temporalClient.tls -}}
{{- if and $tls.enabled (not $tls.existingSecret) -}}
{{- fail "temporalClient.tls.enabled is true but temporalClient.tls.existingSecret is empty: name a Secret with ca.crt (and tls.crt/tls.key for mutual TLS), e.g. one issued by cert-manager." -}}
{{- end -}}
{{- if and $tls.mutual (not $tls.enabled) -}}
{{- fail "temporalClient.tls.mutual is true but temporalClient.tls.enabled is false: turn TLS on to present a client certificate." -}}
{{- end -}}
{{- end -}}

{{/*
The event router's broker connection: refused when the router could not connect, or when a setting would be silently
ignored. Checked only with eventRouter.enabled (nothing else reads broker.*).
*/}}
{{- define "bp-temporal.validate.broker" -}}
{{- if .Values.eventRouter.enabled -}}
{{- $b := .Values.broker -}}
{{- if not $b.bootstrapServers -}}
{{- fail "eventRouter.enabled is true but broker.bootstrapServers is empty: list the broker's bootstrap servers as host:port, e.g. [my-cluster-kafka-bootstrap.kafka.svc:9093] (Strimzi: the <cluster>-kafka-bootstrap Service and the port of the listener you use)." -}}
{{- end -}}
{{- if and (eq $b.securityProtocol "SASL_SSL") (not $b.sasl.existingSecret) -}}
{{- fail (printf "broker.securityProtocol is SASL_SSL but broker.sasl.existingSecret is empty: name an existing Secret with the %s user name and password (keys broker.sasl.usernameKey / passwordKey: %s / %s); credentials never go into values." $b.sasl.mechanism $b.sasl.usernameKey $b.sasl.passwordKey) -}}
{{- end -}}
{{- if and $b.sasl.existingSecret (ne $b.securityProtocol "SASL_SSL") -}}
{{- fail (printf "broker.sasl.existingSecret is %q but broker.securityProtocol is %s: the router would not use it. Set securityProtocol: SASL_SSL, or remove broker.sasl.existingSecret." $b.sasl.existingSecret $b.securityProtocol) -}}
{{- end -}}
{{- if and $b.tls.existingSecret (eq $b.securityProtocol "PLAINTEXT") -}}
{{- fail (printf "broker.tls.existingSecret is %q but broker.securityProtocol is PLAINTEXT: the CA would not be used. Set securityProtocol: SSL or SASL_SSL, or remove broker.tls.existingSecret." $b.tls.existingSecret) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The event router's outbox relay (eventRouter.relay): an outbox is relayed only from a worker this release deploys (its
database and its grant come from there), and the relay may not publish to the dead-letter topic (the router refuses
that at start). Checked only when the router and its relay are on.
*/}}
{{- define "bp-temporal.validate.relay" -}}
{{- range $s := include "bp-temporal.relaySources" . | fromJsonArray -}}
{{- if not $s.enabled -}}
{{- fail (printf "eventRouter.relay.sources lists %s but %s.enabled is false: the relay reads that worker's outbox in its database, with a grant the worker gives at start (OUTBOX_RELAY_ROLES). Enable %s, or leave %s out of eventRouter.relay.sources (empty: every relayed worker this release deploys)." $s.label $s.path $s.path $s.label) -}}
{{- end -}}
{{- end -}}
{{- if and (include "bp-temporal.relaySources" . | fromJsonArray) (eq (toString .Values.broker.topics.outbox) (toString .Values.broker.topics.deadLetter)) -}}
{{- fail (printf "broker.topics.outbox and broker.topics.deadLetter are both %q: the outbox relay may not publish to the router's dead-letter topic (the router refuses RELAY_TOPIC = ROUTER_DLQ_TOPIC at start). Give the outbox its own topic, e.g. bp.outbox." (toString .Values.broker.topics.outbox)) -}}
{{- end -}}
{{- end -}}
