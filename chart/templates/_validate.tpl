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
{{- include "bp-temporal.validate.serverTls" . -}}
{{- include "bp-temporal.validate.payloadEncryption" . -}}
{{- include "bp-temporal.validate.digests" . -}}
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
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- if not (include "bp-temporal.processTemporalCredential" (list $ $p) | fromJson).secret -}}
{{- fail (printf "auth.enabled is true but process %s has no Temporal credential: auth.workerCredentials.existingSecret is empty and auth.workerCredentials.perProcess has no entry %q. Name an existing Secret holding its token (a JWT the frontend's authorizer accepts) in either." $p.component $p.component) -}}
{{- end -}}
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

{{/*
tls.enabled (mutual TLS inside Temporal): upstream values cannot be templated, so temporal.* must carry the server's
TLS config and mount the certificates this chart has cert-manager write (ci/08-tls-values.yaml is the complete
example). Each check names what to set. Without tls.enabled, a server TLS block would lock out every client the chart
configures in plain text.
*/}}
{{- define "bp-temporal.validate.serverTls" -}}
{{- $t := .Values.temporal | default dict -}}
{{- $server := $t.server | default dict -}}
{{- $serverTls := (($server.config | default dict).tls) | default dict -}}
{{- $example := "see chart/ci/08-tls-values.yaml for the complete block" -}}
{{- if .Values.tls.enabled -}}
{{- if not .Values.temporal.enabled -}}
{{- fail "tls.enabled is true but temporal.enabled is false: tls.* secures the Temporal server of this release. For a frontend elsewhere use temporalClient.tls (a Secret with ca.crt, tls.crt, tls.key)." -}}
{{- end -}}
{{- if .Values.temporalClient.tls.enabled -}}
{{- fail "tls.enabled and temporalClient.tls.enabled are both true: with tls.enabled each process gets its own cert-manager certificate for this release's frontend. Set temporalClient.tls.enabled: false (it is for a frontend outside the release)." -}}
{{- end -}}
{{- range $group := list "internode" "frontend" -}}
{{- $g := (index $serverTls $group | default dict).server | default dict -}}
{{- if not $g.requireClientAuth -}}
{{- fail (printf "tls.enabled is true but temporal.server.config.tls.%s.server.requireClientAuth is not true: the chart promises mutual TLS on the %s port. Set the server TLS block (%s)." $group $group $example) -}}
{{- end -}}
{{- end -}}
{{- $internodeName := include "bp-temporal.tls.internodeServerName" . -}}
{{- if ne (toString ((($serverTls.internode | default dict).client | default dict).serverName)) $internodeName -}}
{{- fail (printf "temporal.server.config.tls.internode.client.serverName must be %q with tls.enabled: the services dial each other's pod IPs and verify that name, which the internode certificate carries." $internodeName) -}}
{{- end -}}
{{- $frontendName := include "bp-temporal.tls.frontendServerName" . -}}
{{- $workerName := toString ((($serverTls.systemWorker | default dict).client | default dict).serverName) -}}
{{- if ne $workerName $frontendName -}}
{{- fail (printf "temporal.server.config.tls.systemWorker.client.serverName is %q but must be %q with tls.enabled: the server's system workers verify the frontend's certificate by that name, which it carries (and systemWorker.certFile/keyFile come from the internode certificate)." $workerName $frontendName) -}}
{{- end -}}
{{- /* Every file the TLS block names must lie in a mount of one of the two server Secrets. */ -}}
{{- $secrets := list (include "bp-temporal.tls.internodeSecret" .) (include "bp-temporal.tls.frontendSecret" .) -}}
{{- $mounted := include "bp-temporal.validate.secretMounts" (list $server.additionalVolumes $server.additionalVolumeMounts $secrets) | fromJson -}}
{{- range $s := $secrets -}}
{{- if not (hasKey $mounted $s) -}}
{{- fail (printf "tls.enabled is true but temporal.server.additionalVolumes/additionalVolumeMounts do not mount Secret %s: add a secret volume for it and a read-only mount (lists replace: keep the tmp volume too; %s)." $s $example) -}}
{{- end -}}
{{- end -}}
{{- range $file := include "bp-temporal.validate.tlsFiles" $serverTls | fromJsonArray -}}
{{- $ok := false -}}
{{- range $s, $path := $mounted -}}{{- if hasPrefix (printf "%s/" $path) $file -}}{{- $ok = true -}}{{- end -}}{{- end -}}
{{- if not $ok -}}
{{- fail (printf "temporal.server.config.tls names %s, which is not under a mount of %s (mounted: %v): the server would not start. Point it at tls.crt, tls.key or ca.crt of a mounted Secret." $file (join " or " $secrets) $mounted) -}}
{{- end -}}
{{- end -}}
{{- $tools := list (include "bp-temporal.tls.toolsSecret" .) -}}
{{- $toolsPath := include "bp-temporal.tls.toolsMountPath" . -}}
{{- range $part := list "web" "admintools" -}}
{{- $v := index $t $part | default dict -}}
{{- if or (eq $part "admintools") $v.enabled -}}
{{- $m := include "bp-temporal.validate.secretMounts" (list $v.additionalVolumes $v.additionalVolumeMounts $tools) | fromJson -}}
{{- if ne (toString (index $m (first $tools))) $toolsPath -}}
{{- fail (printf "tls.enabled is true but temporal.%s does not mount Secret %s at %s (additionalVolumes + additionalVolumeMounts, read-only; lists replace: keep the tmp volume too; %s): %s would connect to the frontend without a client certificate." $part (first $tools) $toolsPath $example (ternary "the Web UI" "the admin tools and the schema and namespace Jobs" (eq $part "web"))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if ne (toString ($t.admintools | default dict).additionalEnvConfigMapName) "bp-temporal-tools-env" -}}
{{- fail "tls.enabled is true but temporal.admintools.additionalEnvConfigMapName is not bp-temporal-tools-env: the admin tools and the namespace Job read their TEMPORAL_TLS_* settings from that ConfigMap. Set it." -}}
{{- end -}}
{{- else -}}
{{- if and .Values.temporal.enabled $serverTls -}}
{{- fail "temporal.server.config.tls is set but tls.enabled is false: the processes, the Web UI, the admin tools and the test pods would connect without certificates. Set tls.enabled: true (the chart then issues and mounts them) or remove temporal.server.config.tls." -}}
{{- end -}}
{{- if eq (toString ((.Values.temporal | default dict).admintools | default dict).additionalEnvConfigMapName) "bp-temporal-tools-env" -}}
{{- fail "temporal.admintools.additionalEnvConfigMapName is bp-temporal-tools-env but tls.enabled is false: that ConfigMap is rendered only with TLS, and the admin tools would not start without it. Remove the setting or set tls.enabled: true." -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The mount path of each of the given Secrets in a pod's volumes and mounts, as JSON {secretName: mountPath}.
Argument: (list volumes volumeMounts secretNames).
*/}}
{{- define "bp-temporal.validate.secretMounts" -}}
{{- $volumes := index . 0 | default list -}}
{{- $mounts := index . 1 | default list -}}
{{- $secrets := index . 2 -}}
{{- $out := dict -}}
{{- range $v := $volumes -}}
{{- $secret := (($v.secret | default dict).secretName) | default "" -}}
{{- if has $secret $secrets -}}
{{- range $m := $mounts -}}
{{- if eq $m.name $v.name -}}{{- $_ := set $out $secret (trimSuffix "/" $m.mountPath) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Every certificate, key and CA file a Temporal server TLS block names, as a JSON list. */}}
{{- define "bp-temporal.validate.tlsFiles" -}}
{{- $tls := . -}}
{{- $files := list -}}
{{- range $group := list "internode" "frontend" -}}
{{- $g := index $tls $group | default dict -}}
{{- $s := $g.server | default dict -}}
{{- $c := $g.client | default dict -}}
{{- range $f := concat (list $s.certFile $s.keyFile) ($s.clientCaFiles | default list) ($c.rootCaFiles | default list) -}}
{{- if $f -}}{{- $files = append $files $f -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $w := $tls.systemWorker | default dict -}}
{{- range $f := concat (list $w.certFile $w.keyFile) ((($w.client | default dict).rootCaFiles) | default list) -}}
{{- if $f -}}{{- $files = append $files $f -}}{{- end -}}
{{- end -}}
{{- toJson $files -}}
{{- end -}}

{{/* payloadEncryption: keys and the codec server's token by reference; refused when a process could not start. */}}
{{- define "bp-temporal.validate.payloadEncryption" -}}
{{- $pe := .Values.payloadEncryption -}}
{{- if $pe.enabled -}}
{{- if not $pe.existingSecret -}}
{{- fail "payloadEncryption.enabled is true but payloadEncryption.existingSecret is empty: name an existing Secret with the keys, one entry per key id holding the base64 of 32 random bytes (kubectl create secret generic bp-payload-keys --from-file=2026-07; docs/security.md, \"Keys and rotation\"). Keys never go into values." -}}
{{- end -}}
{{- if not $pe.writeKeyId -}}
{{- fail (printf "payloadEncryption.enabled is true but payloadEncryption.writeKeyId is empty: name the entry of Secret %s that new payloads are encrypted with (PAYLOAD_KEY_ID), e.g. 2026-07." $pe.existingSecret) -}}
{{- end -}}
{{- $c := $pe.codecServer -}}
{{- if $c.enabled -}}
{{- $issuer := include "bp-temporal.codecServerOidcIssuer" . -}}
{{- if and (not $c.token.existingSecret) (not $issuer) -}}
{{- fail "payloadEncryption.codecServer.enabled is true but it has no credential to check: payloadEncryption.codecServer.token.existingSecret is empty and OIDC is off (no payloadEncryption.codecServer.oidc.issuerUrl, and auth.enabled is false or payloadEncryption.codecServer.oidc.enabled is false). The codec server decrypts for whoever calls it: name an existing Secret holding a bearer token (key payloadEncryption.codecServer.token.key, at least 16 characters), and/or turn on OIDC (auth.enabled with auth.oidc.issuerUrl, or payloadEncryption.codecServer.oidc.issuerUrl), or set codecServer.enabled: false." -}}
{{- end -}}
{{- if and $issuer (not (include "bp-temporal.codecServerOidcJwksUrl" .)) -}}
{{- fail (printf "payloadEncryption.codecServer.oidc is on (issuer %q) but payloadEncryption.codecServer.oidc.jwksUrl is empty and temporal.server.config.authorization.jwtKeyProvider.keySourceURIs has no URL under that issuer: set payloadEncryption.codecServer.oidc.jwksUrl to the provider's JWK set (its discovery document's jwks_uri), e.g. %s/protocol/openid-connect/certs for Keycloak." $issuer (trimSuffix "/" $issuer)) -}}
{{- end -}}
{{- if and $issuer (not $c.oidc.audience) (not $c.oidc.requiredGroup) -}}
{{- fail (printf "payloadEncryption.codecServer.oidc is on (issuer %q) but neither payloadEncryption.codecServer.oidc.audience nor payloadEncryption.codecServer.oidc.requiredGroup is set: any access token of that issuer - any client, any user of the realm - would decrypt every payload. Set audience (a value your provider puts into the Web UI's access tokens, e.g. with a Keycloak audience mapper) and/or requiredGroup (a group only payload readers are in)." $issuer) -}}
{{- end -}}
{{- if and $issuer .Values.networkPolicy.enabled (not .Values.networkPolicy.codecServerEgress) -}}
{{- fail (printf "payloadEncryption.codecServer.oidc is on and networkPolicy.enabled is true but networkPolicy.codecServerEgress is empty: the codec server could not fetch the identity provider's keys from %s and would answer every OIDC call 503. Add an egress rule reaching it (e.g. the Keycloak namespace and port) to networkPolicy.codecServerEgress, or set payloadEncryption.codecServer.oidc.enabled: false." (include "bp-temporal.codecServerOidcJwksUrl" .)) -}}
{{- end -}}
{{- if and $c.publicUrl (not (include "bp-temporal.codecServerOrigin" .)) -}}
{{- fail (printf "payloadEncryption.codecServer.publicUrl is %q but no Web UI origin is known: the browser calls the codec server from the Web UI's origin, which CORS must allow. Set payloadEncryption.codecServer.webOrigin to the Web UI's public URL, e.g. https://temporal.example.com." $c.publicUrl) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
imageDefaults.requireDigest: the processes' images (through bp-temporal.image, which also fails where it builds them,
e.g. for the codec server), then the images upstream's templates build from temporal.<part>.image (repository:tag, so
the digest goes into the tag) and the CNPG operand.
*/}}
{{- define "bp-temporal.validate.digests" -}}
{{- if .Values.imageDefaults.requireDigest -}}
{{- /* Our images first, with the same message bp-temporal.image gives where it builds them. */ -}}
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- if not $p.values.image.digest -}}
{{- $_ := include "bp-temporal.image" (dict "root" $ "path" $p.path "image" $p.values.image) -}}
{{- end -}}
{{- end -}}
{{- if .Values.temporal.enabled -}}
{{- range $part := list "server" "admintools" "web" -}}
{{- $image := (index $.Values.temporal $part | default dict).image | default dict -}}
{{- if not (regexMatch "@sha256:[0-9a-f]{64}$" (toString $image.tag)) -}}
{{- fail (printf "imageDefaults.requireDigest is true but temporal.%s.image.tag is %q: image %s:%s is not pinned by digest. Set the tag to <version>@sha256:<64 hex>, e.g. %s@sha256:..." $part (toString $image.tag) (toString $image.repository) (toString $image.tag) (toString $image.tag)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.postgres.mode "cnpg") (not (regexMatch "@sha256:[0-9a-f]{64}$" (toString .Values.postgres.cnpg.imageName))) -}}
{{- fail (printf "imageDefaults.requireDigest is true but postgres.cnpg.imageName is %q: the PostgreSQL image is not pinned by digest (empty: the operator's default). Set it to <image>:<tag>@sha256:<64 hex>." (toString .Values.postgres.cnpg.imageName)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
