{{/* Names and labels shared by every manifest. */}}
{{- define "cellar.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cellar.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cellar.labels" -}}
{{ include "cellar.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/*
Memory the pod needs, in MiB: weights (memory-mapped, but they must stay
resident to serve at speed) + KV cache + runtime overhead, times headroom.
*/}}
{{- define "cellar.memoryMiB" -}}
{{- $v := .Values -}}
{{- $gib := mulf (addf $v.model.sizeGiB $v.model.kvCacheGiB $v.resources.overheadGiB) $v.resources.headroom -}}
{{- ceil (mulf $gib 1024) | int -}}
{{- end -}}

{{- define "cellar.secretName" -}}
{{- default (printf "%s-api-keys" (include "cellar.fullname" .)) .Values.apiKeys.existingSecret -}}
{{- end -}}
