{{/*
True when a Prometheus Operator kind may be rendered: its switch is on AND the cluster serves
monitoring.coreos.com/v1 (helm template: --api-versions monitoring.coreos.com/v1). Without the CRDs the
object would fail the whole install, so it is left out and NOTES.txt says so.
Argument: (list $ .Values.observability.<toggle>).
*/}}
{{- define "bp-temporal.monitoringEnabled" -}}
{{- $root := index . 0 -}}
{{- $toggle := index . 1 -}}
{{- if and $toggle.enabled ($root.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}true{{- end -}}
{{- end -}}
