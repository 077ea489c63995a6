{{/*
Names and labels. Every define is prefixed "bp-temporal." because template names are global across the
umbrella and the upstream subchart (upstream already defines "temporal.*").
*/}}

{{- define "bp-temporal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bp-temporal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Object name for one component: "<fullname>-<component>", cut to 63 characters. */}}
{{- define "bp-temporal.componentName" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- printf "%s-%s" (include "bp-temporal.fullname" $root | trunc (sub 62 (len $component) | int) | trimSuffix "-") $component -}}
{{- end -}}

{{- define "bp-temporal.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable across upgrades (never include the version). Argument: (list $ "component"). */}}
{{- define "bp-temporal.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
app.kubernetes.io/name: {{ include "bp-temporal.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $component }}
{{- end -}}

{{/* Kubernetes recommended labels on every object. Argument: (list $ "component"). */}}
{{- define "bp-temporal.labels" -}}
{{- $root := index . 0 -}}
{{ include "bp-temporal.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: bp-temporal
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ include "bp-temporal.chartLabel" $root }}
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Upstream's object-name prefix, computed the way the temporal chart computes its own fullname, so the umbrella
can address the frontend Service and select the server pods without templating upstream values.
*/}}
{{- define "bp-temporal.upstreamName" -}}
{{- default "temporal" .Values.temporal.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bp-temporal.upstreamFullname" -}}
{{- if .Values.temporal.fullnameOverride -}}
{{- .Values.temporal.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "temporal" .Values.temporal.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every upstream pod of this release carries. */}}
{{- define "bp-temporal.upstreamSelector" -}}
app.kubernetes.io/name: {{ include "bp-temporal.upstreamName" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bp-temporal.temporalAddress" -}}
{{- if .Values.temporalClient.address -}}
{{- .Values.temporalClient.address -}}
{{- else -}}
{{- printf "%s-frontend.%s.svc:7233" (include "bp-temporal.upstreamFullname" .) .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/*
The processes this chart deploys, as (component, values path, kind, values), in a fixed order. Each has its own
database role; all but the event router also own a database (`database.ref`): the router only reads the registry.
*/}}
{{- define "bp-temporal.processes" -}}
{{- $out := list -}}
{{- if .Values.workers.orderSaga.enabled -}}
{{- $out = append $out (dict "component" "order-saga-worker" "path" "workers.orderSaga" "kind" "worker" "values" .Values.workers.orderSaga) -}}
{{- end -}}
{{- if .Values.workers.pipeline.enabled -}}
{{- $out = append $out (dict "component" "pipeline-worker" "path" "workers.pipeline" "kind" "worker" "values" .Values.workers.pipeline) -}}
{{- end -}}
{{- if .Values.workers.activity.enabled -}}
{{- $out = append $out (dict "component" "activity-worker" "path" "workers.activity" "kind" "worker" "values" .Values.workers.activity) -}}
{{- end -}}
{{- if .Values.scheduler.enabled -}}
{{- $out = append $out (dict "component" "scheduler" "path" "scheduler" "kind" "scheduler" "values" .Values.scheduler) -}}
{{- end -}}
{{- if .Values.eventRouter.enabled -}}
{{- $out = append $out (dict "component" "event-router" "path" "eventRouter" "kind" "router" "values" .Values.eventRouter) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Replicas a process can reach (HPA max when autoscaling), for the connection budget. */}}
{{- define "bp-temporal.maxReplicas" -}}
{{- $v := . -}}
{{- if and (hasKey $v "autoscaling") $v.autoscaling.enabled -}}
{{- $v.autoscaling.maxReplicas | int -}}
{{- else -}}
{{- $v.replicas | int -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.dbHost" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}
{{- printf "%s-rw" .Values.postgres.cnpg.clusterName -}}
{{- else -}}
{{- .Values.postgres.external.host -}}
{{- end -}}
{{- end -}}

{{- define "bp-temporal.dbPort" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}5432{{- else -}}{{ .Values.postgres.external.port | int }}{{- end -}}
{{- end -}}

{{/* Secret with the application account: CNPG's generated "<cluster>-app", or the external one. */}}
{{- define "bp-temporal.dbSecret" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}
{{- printf "%s-app" .Values.postgres.cnpg.clusterName -}}
{{- else -}}
{{- .Values.postgres.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{/*
The database account of one process (least privilege: never the owner of Temporal's databases in cnpg mode).
Argument: (list $ process) with process an element of "bp-temporal.processes". Returns JSON {secret, usernameKey,
passwordKey}: in cnpg mode the basic-auth Secret this chart generates for the process's managed role; in external
mode the process's database.existingSecret, or the shared postgres.external.existingSecret when that is empty.
*/}}
{{- define "bp-temporal.processDbAccount" -}}
{{- $root := index . 0 -}}
{{- $p := index . 1 -}}
{{- $db := $p.values.database -}}
{{- if eq $root.Values.postgres.mode "cnpg" -}}
{{- toJson (dict "secret" (include "bp-temporal.componentName" (list $root (printf "%s-db" $p.component))) "usernameKey" "username" "passwordKey" "password" "own" true) -}}
{{- else if $db.existingSecret -}}
{{- toJson (dict "secret" $db.existingSecret "usernameKey" ($db.usernameKey | default "username") "passwordKey" ($db.passwordKey | default "password") "own" true) -}}
{{- else -}}
{{- toJson (dict "secret" $root.Values.postgres.external.existingSecret "usernameKey" $root.Values.postgres.external.usernameKey "passwordKey" $root.Values.postgres.external.passwordKey "own" false) -}}
{{- end -}}
{{- end -}}

{{/*
Roles the scheduler grants SELECT on the registry tables (REGISTRY_READER_ROLES): the roles of the registry's readers,
the activity worker and the event router, when they have accounts of their own (always in cnpg mode; in external mode
when their database.existingSecret is set), plus scheduler.registryReaderRoles. Empty when nothing needs a grant (e.g.
the shared external account owns the registry already).
*/}}
{{- define "bp-temporal.registryReaderRoles" -}}
{{- $roles := list -}}
{{- range $p := include "bp-temporal.processes" . | fromJsonArray -}}
{{- if include "bp-temporal.readsRegistry" $p -}}
{{- $account := include "bp-temporal.processDbAccount" (list $ $p) | fromJson -}}
{{- if $account.own -}}{{- $roles = append $roles $p.values.database.role -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- range $r := .Values.scheduler.registryReaderRoles -}}{{- $roles = append $roles $r -}}{{- end -}}
{{- $roles | uniq | join "," -}}
{{- end -}}

{{- define "bp-temporal.dbUsernameKey" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}username{{- else -}}{{ .Values.postgres.external.usernameKey }}{{- end -}}
{{- end -}}

{{- define "bp-temporal.dbPasswordKey" -}}
{{- if eq .Values.postgres.mode "cnpg" -}}password{{- else -}}{{ .Values.postgres.external.passwordKey }}{{- end -}}
{{- end -}}

{{/* JDBC URL of one database. Argument: (list $ "databaseName"). */}}
{{- define "bp-temporal.jdbcUrl" -}}
{{- $root := index . 0 -}}
{{- $db := index . 1 -}}
{{- $url := printf "jdbc:postgresql://%s:%s/%s" (include "bp-temporal.dbHost" $root) (include "bp-temporal.dbPort" $root) $db -}}
{{- if eq $root.Values.postgres.mode "external" -}}
{{- $url = printf "%s?sslmode=%s" $url $root.Values.postgres.external.sslMode -}}
{{- if $root.Values.postgres.external.caSecret -}}
{{- $url = printf "%s&sslrootcert=/etc/bp-temporal/postgres-ca/ca.crt" $url -}}
{{- end -}}
{{- else -}}
{{- /* CNPG always serves TLS; require it without CA pinning (the generated CA is not mounted). */ -}}
{{- $url = printf "%s?sslmode=require" $url -}}
{{- end -}}
{{- $url -}}
{{- end -}}

{{/*
Connection flags of the `temporal` CLI to the frontend the processes use (address, TLS as the processes do; with
tls.enabled the tools certificate). Used by the helm test pods.
*/}}
{{- define "bp-temporal.cliConnection" -}}
{{- $flags := list (printf "--address %s" (include "bp-temporal.temporalAddress" .)) -}}
{{- $tls := include "bp-temporal.clientTls" (list . "") | fromJson -}}
{{- if $tls.enabled -}}
{{- $flags = append $flags "--tls --tls-ca-path /etc/bp-temporal/temporal-tls/ca.crt" -}}
{{- if $tls.mutual -}}
{{- $flags = append $flags "--tls-cert-path /etc/bp-temporal/temporal-tls/tls.crt --tls-key-path /etc/bp-temporal/temporal-tls/tls.key" -}}
{{- end -}}
{{- if $tls.serverName -}}
{{- $flags = append $flags (printf "--tls-server-name %s" $tls.serverName) -}}
{{- end -}}
{{- end -}}
{{- join " " $flags -}}
{{- end -}}

{{/* True when the processes mount the external PostgreSQL's CA (postgres.external.caSecret). */}}
{{- define "bp-temporal.dbCaMounted" -}}
{{- if and (eq .Values.postgres.mode "external") .Values.postgres.external.caSecret -}}true{{- end -}}
{{- end -}}

{{/* True for the processes that read the scheduler's registry with REGISTRY_DB_*. Argument: a process. */}}
{{- define "bp-temporal.readsRegistry" -}}
{{- if has .component (list "activity-worker" "event-router") -}}true{{- end -}}
{{- end -}}

{{/*
Distinct TCP ports of broker.bootstrapServers ("host:port", "[v6]:port"), as a JSON list of integers in the order they
first appear: what the event router's network policy opens.
*/}}
{{- define "bp-temporal.brokerPorts" -}}
{{- $ports := list -}}
{{- range $s := .Values.broker.bootstrapServers -}}
{{- $port := regexFind "[0-9]+$" (toString $s) | int -}}
{{- if not (has $port $ports) -}}{{- $ports = append $ports $port -}}{{- end -}}
{{- end -}}
{{- toJson $ports -}}
{{- end -}}

{{/*
The outboxes the event router's relay publishes (RELAY_SOURCES), in the router's order, as a JSON list of
{label, path, component, ref}: eventRouter.relay.sources, or when that is empty the outbox of every relayed worker
this release deploys. Empty when the router or its relay is off. A listed outbox whose worker is disabled stays in
the list (bp-temporal.validate.relay refuses it).
*/}}
{{- define "bp-temporal.relaySources" -}}
{{- $out := list -}}
{{- $r := .Values.eventRouter -}}
{{- if and $r.enabled ($r.relay).enabled -}}
{{- $all := list
  (dict "label" "activity" "path" "workers.activity" "component" "activity-worker" "values" .Values.workers.activity)
  (dict "label" "orders" "path" "workers.orderSaga" "component" "order-saga-worker" "values" .Values.workers.orderSaga) -}}
{{- range $s := $all -}}
{{- if or (has $s.label ($r.relay.sources | default list)) (and (not $r.relay.sources) $s.values.enabled) -}}
{{- $out = append $out (dict "label" $s.label "path" $s.path "component" $s.component "enabled" $s.values.enabled "ref" $s.values.database.ref) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
OUTBOX_RELAY_ROLES of one worker: the event router's role when the relay publishes that worker's outbox and the
router has an account of its own (always in cnpg mode; in external mode with eventRouter.database.existingSecret).
The shared external account owns the outbox already: no grant. Argument: (list $ process).
*/}}
{{- define "bp-temporal.outboxRelayRoles" -}}
{{- $root := index . 0 -}}
{{- $p := index . 1 -}}
{{- range $s := include "bp-temporal.relaySources" $root | fromJsonArray -}}
{{- if eq $s.component $p.component -}}
{{- $router := dict "component" "event-router" "values" $root.Values.eventRouter -}}
{{- if (include "bp-temporal.processDbAccount" (list $root $router) | fromJson).own -}}
{{- $root.Values.eventRouter.database.role -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* RELAY_SOURCES: the labels of bp-temporal.relaySources joined with commas (empty: the relay is off). */}}
{{- define "bp-temporal.relaySourceLabels" -}}
{{- $labels := list -}}
{{- range $s := include "bp-temporal.relaySources" . | fromJsonArray -}}{{- $labels = append $labels $s.label -}}{{- end -}}
{{- join "," $labels -}}
{{- end -}}

{{/*
TLS inside Temporal (tls.enabled). Upstream values cannot be templated, so the Secrets cert-manager writes for the
Temporal server and for the tools (Web UI, admin tools, namespace Job, helm test pods) have fixed names that
ci/08-tls-values.yaml repeats literally; bp-temporal.validate.tls checks that they agree.
*/}}
{{- define "bp-temporal.tls.internodeSecret" -}}bp-temporal-internode-tls{{- end -}}
{{- define "bp-temporal.tls.frontendSecret" -}}bp-temporal-frontend-tls{{- end -}}
{{- define "bp-temporal.tls.toolsSecret" -}}bp-temporal-tools-tls{{- end -}}
{{- /* The name internode clients verify (the services dial each other's pod IPs, which no certificate names). */ -}}
{{- define "bp-temporal.tls.internodeServerName" -}}bp-temporal-internode{{- end -}}
{{- /* The name the server's system workers verify the frontend by (a literal in temporal.server.config.tls). */ -}}
{{- define "bp-temporal.tls.frontendServerName" -}}bp-temporal-frontend{{- end -}}
{{- /* Where the Web UI, the admin tools, the Jobs and the test pods mount the tools certificate. */ -}}
{{- define "bp-temporal.tls.toolsMountPath" -}}/etc/bp-temporal/temporal-tls{{- end -}}

{{/*
DNS names of the frontend certificate: its Service in every form a client may dial, the fixed name the system workers
verify, plus tls.frontendDnsNames.
*/}}
{{- define "bp-temporal.tls.frontendDnsNames" -}}
{{- $svc := printf "%s-frontend" (include "bp-temporal.upstreamFullname" .) -}}
{{- $names := list $svc (include "bp-temporal.tls.frontendServerName" .) (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) -}}
{{- concat $names (.Values.tls.frontendDnsNames | default list) | uniq | toJson -}}
{{- end -}}

{{/*
DNS names of the internode certificate: the internode server name, and the internal frontend's Service (which serves
with the internode certificate; the admin tools and the namespace Job dial it when it is on).
*/}}
{{- define "bp-temporal.tls.internodeDnsNames" -}}
{{- $svc := printf "%s-internal-frontend" (include "bp-temporal.upstreamFullname" .) -}}
{{- list (include "bp-temporal.tls.internodeServerName" .) $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) | toJson -}}
{{- end -}}

{{/*
How one caller reaches the frontend over TLS, as JSON {enabled, secret, mutual, serverName}. Argument: (list $ component)
with component a process's component, or "" for the tools (helm test pods). With tls.enabled: mutual TLS with the
caller's own certificate (<release>-<component>-tls, or the tools certificate); otherwise temporalClient.tls (a frontend
outside this release). One source: the validation refuses both at once.
*/}}
{{- define "bp-temporal.clientTls" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- if $root.Values.tls.enabled -}}
{{- $secret := include "bp-temporal.tls.toolsSecret" $root -}}
{{- if $component -}}{{- $secret = include "bp-temporal.componentName" (list $root (printf "%s-tls" $component)) -}}{{- end -}}
{{- toJson (dict "enabled" true "secret" $secret "mutual" true "serverName" "") -}}
{{- else -}}
{{- $t := $root.Values.temporalClient.tls -}}
{{- toJson (dict "enabled" $t.enabled "secret" $t.existingSecret "mutual" $t.mutual "serverName" $t.serverName) -}}
{{- end -}}
{{- end -}}

{{/* Payload keys (payloadEncryption): where every process and the codec server mount the keys Secret. */}}
{{- define "bp-temporal.payloadKeysDir" -}}/etc/bp-temporal/payload-keys{{- end -}}

{{/*
The browser origin the codec server allows (CODEC_SERVER_ALLOWED_ORIGIN): payloadEncryption.codecServer.webOrigin, or
the origin (scheme://host[:port]) of auth.oidc.callbackUrl, the Web UI's public URL, when auth is on. Empty: none.
*/}}
{{- define "bp-temporal.codecServerOrigin" -}}
{{- $c := .Values.payloadEncryption.codecServer -}}
{{- if $c.webOrigin -}}
{{- $c.webOrigin -}}
{{- else if and .Values.auth.enabled .Values.auth.oidc.callbackUrl -}}
{{- regexFind "^https?://[^/]+" .Values.auth.oidc.callbackUrl -}}
{{- end -}}
{{- end -}}

{{/*
The issuer whose access tokens the codec server accepts (CODEC_SERVER_OIDC_ISSUER): payloadEncryption.codecServer.oidc
.issuerUrl, or auth.oidc.issuerUrl when auth is on (the Web UI's users sign in there). Empty: OIDC is off.
*/}}
{{- define "bp-temporal.codecServerOidcIssuer" -}}
{{- $o := .Values.payloadEncryption.codecServer.oidc -}}
{{- if $o.enabled -}}
{{- if $o.issuerUrl -}}
{{- $o.issuerUrl -}}
{{- else if .Values.auth.enabled -}}
{{- .Values.auth.oidc.issuerUrl -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The JWK set the codec server checks signatures with (CODEC_SERVER_OIDC_JWKS_URL): oidc.jwksUrl, or the first of the
frontend's keySourceURIs under the issuer (the same keys the frontend trusts). Empty when neither: the render fails.
*/}}
{{- define "bp-temporal.codecServerOidcJwksUrl" -}}
{{- $issuer := include "bp-temporal.codecServerOidcIssuer" . -}}
{{- $o := .Values.payloadEncryption.codecServer.oidc -}}
{{- if $o.jwksUrl -}}
{{- $o.jwksUrl -}}
{{- else if $issuer -}}
{{- $authz := (.Values.temporal.server.config | default dict).authorization | default dict -}}
{{- $uris := (($authz.jwtKeyProvider | default dict).keySourceURIs) | default list -}}
{{- $found := "" -}}
{{- range $u := $uris -}}
{{- if and (not $found) (hasPrefix (printf "%s/" (trimSuffix "/" $issuer)) $u) -}}{{- $found = $u -}}{{- end -}}
{{- end -}}
{{- $found -}}
{{- end -}}
{{- end -}}

{{/*
The Secret and key of a process's Temporal credential (auth.enabled): its entry in auth.workerCredentials.perProcess,
else the shared auth.workerCredentials. Argument: (list $ process). Returns JSON {secret, key}.
*/}}
{{- define "bp-temporal.processTemporalCredential" -}}
{{- $root := index . 0 -}}
{{- $p := index . 1 -}}
{{- $c := $root.Values.auth.workerCredentials -}}
{{- $own := index ($c.perProcess | default dict) $p.component -}}
{{- if $own -}}
{{- toJson (dict "secret" $own.existingSecret "key" ($own.key | default "api-key")) -}}
{{- else -}}
{{- toJson (dict "secret" $c.existingSecret "key" $c.key) -}}
{{- end -}}
{{- end -}}
