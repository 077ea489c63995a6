{{/*
Image reference of one process. Argument: (dict "root" $ "path" "workers.orderSaga" "image" $values.image).
Fails, naming the value to set, when no tag is given, the tag is "latest", or imageDefaults.requireDigest is on and no
digest is given (images are pinned; docs/adr/0006-images-by-jib.md).
*/}}
{{- define "bp-temporal.image" -}}
{{- $root := .root -}}
{{- $image := .image -}}
{{- $registry := default $root.Values.imageDefaults.registry $image.registry -}}
{{- $tag := default $root.Values.imageDefaults.tag $image.tag | toString -}}
{{- if not $tag -}}
{{- fail (printf "%s.image.tag is empty: set it (or imageDefaults.tag for all three processes) to the git revision the images were built from, such as 3f9c2a1b7d4e; images are never pulled by an implicit tag." .path) -}}
{{- end -}}
{{- if eq (lower $tag) "latest" -}}
{{- fail (printf "%s.image.tag is \"latest\" (or inherited from imageDefaults.tag): a moving tag makes rollouts unrepeatable; set the git revision the images were built from, such as 3f9c2a1b7d4e and optionally %s.image.digest." .path .path) -}}
{{- end -}}
{{- $ref := printf "%s:%s" $image.repository $tag -}}
{{- if $registry -}}
{{- $ref = printf "%s/%s" $registry $ref -}}
{{- end -}}
{{- if $image.digest -}}
{{- $ref = printf "%s@%s" $ref $image.digest -}}
{{- else if $root.Values.imageDefaults.requireDigest -}}
{{- fail (printf "%s.image.digest is empty but imageDefaults.requireDigest is true: image %s is not pinned by digest. Set %s.image.digest to the sha256:<64 hex> the release recorded for it (blueprint.yaml, images[].digest)." .path $ref .path) -}}
{{- end -}}
{{- $ref -}}
{{- end -}}
