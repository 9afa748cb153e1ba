{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "udapi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "udapi.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "udapi.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "udapi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "udapi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "udapi.labels" -}}
helm.sh/chart: {{ include "udapi.chart" . }}
{{ include "udapi.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: api
{{- end }}

{{- define "udapi.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "udapi.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret with the admin password and the pepper. */}}
{{- define "udapi.secretName" -}}
{{- default (include "udapi.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Name of the Secret with the Elasticsearch credentials. */}}
{{- define "udapi.esSecretName" -}}
{{- default (printf "%s-es" (include "udapi.fullname" .)) .Values.elasticsearch.existingSecret }}
{{- end }}

{{/* Name of the Secret with the password of the rate-limit server (redis.*). */}}
{{- define "udapi.redisSecretName" -}}
{{- default (printf "%s-redis" (include "udapi.fullname" .)) .Values.redis.existingSecret }}
{{- end }}

{{/* Where the PEM CA of redis.tls.caSecret is mounted. */}}
{{- define "udapi.redisCaDir" -}}
/etc/udapi/redis-ca
{{- end }}

{{/* true when the chart creates its own Secret with the admin password and/or the pepper. */}}
{{- define "udapi.createSecret" -}}
{{- if and (not .Values.secrets.existingSecret) (or .Values.secrets.adminPassword .Values.secrets.pepper) }}true{{ end }}
{{- end }}

{{- define "udapi.hasEsCredentials" -}}
{{- if or .Values.elasticsearch.existingSecret .Values.elasticsearch.username }}true{{ end }}
{{- end }}

{{- define "udapi.esProtocol" -}}
{{- if .Values.elasticsearch.tls.enabled }}https{{ else }}{{ .Values.elasticsearch.protocol }}{{ end }}
{{- end }}

{{/* Combinations that values.schema.json cannot express; rendering stops with a clear message. */}}
{{- define "udapi.validate" -}}
{{- $v := .Values }}
{{- if eq $v.config.store "elasticsearch" }}
  {{- if not $v.elasticsearch.hosts }}
    {{- fail "config.store=elasticsearch needs elasticsearch.hosts (host:port[,host:port...])" }}
  {{- end }}
  {{- if and (not $v.secrets.existingSecret) (not $v.secrets.pepper) }}
    {{- fail "config.store=elasticsearch needs the same pepper on every instance: set secrets.pepper or secrets.existingSecret" }}
  {{- end }}
{{- else }}
  {{- if and (eq $v.kind "Deployment") (gt (int $v.replicaCount) 1) }}
    {{- fail "config.store=file keeps its data per pod: use replicaCount 1, or config.store=elasticsearch for more replicas" }}
  {{- end }}
{{- end }}
{{- if and (eq $v.config.scriptEngine "http") (not $v.config.httpEngineUrl) }}
  {{- fail "config.scriptEngine=http needs config.httpEngineUrl" }}
{{- end }}
{{- range $p := concat $v.scripts.sandbox.readPaths $v.scripts.sandbox.writePaths }}
  {{- $dir := printf "%s/" (trimSuffix "/" $v.config.fileStoreDir) }}
  {{- if or (eq (printf "%s/" (trimSuffix "/" $p)) $dir) (hasPrefix (printf "%s/" (trimSuffix "/" $p)) $dir) }}
    {{- fail (printf "scripts.sandbox path %s covers config.fileStoreDir %s: scripts would read the store's hashes and the pepper" $p $v.config.fileStoreDir) }}
  {{- end }}
{{- end }}
{{- if and $v.persistence.enabled (eq $v.kind "DaemonSet") }}
  {{- fail "persistence.enabled works with kind=Deployment only (a DaemonSet's pods cannot share one claim)" }}
{{- end }}
{{- if $v.elasticsearch.tls.enabled }}
  {{- if eq (len (compact (list $v.elasticsearch.tls.caSecret $v.elasticsearch.tls.truststoreSecret))) 0 }}
    {{- fail "elasticsearch.tls.enabled needs elasticsearch.tls.caSecret (PEM CA) or elasticsearch.tls.truststoreSecret (PKCS12)" }}
  {{- end }}
  {{- if and $v.elasticsearch.tls.caSecret $v.elasticsearch.tls.truststoreSecret }}
    {{- fail "set only one of elasticsearch.tls.caSecret and elasticsearch.tls.truststoreSecret" }}
  {{- end }}
{{- end }}
{{- if $v.redis.enabled }}
  {{- if not $v.redis.url }}
    {{- fail "redis.enabled needs redis.url (redis://host:port, or rediss://host:port for TLS)" }}
  {{- end }}
  {{- if and $v.redis.password $v.redis.existingSecret }}
    {{- fail "set only one of redis.password and redis.existingSecret" }}
  {{- end }}
  {{- if and $v.redis.tls.caSecret (not (hasPrefix "rediss://" $v.redis.url)) }}
    {{- fail "redis.tls.caSecret is used with TLS only: make redis.url rediss://host:port" }}
  {{- end }}
{{- end }}
{{- if and $v.podDisruptionBudget.enabled (not (kindIs "invalid" $v.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" $v.podDisruptionBudget.maxUnavailable)) }}
  {{- fail "podDisruptionBudget: set only one of minAvailable and maxUnavailable (null the other)" }}
{{- end }}
{{- if and $v.podDisruptionBudget.enabled (kindIs "invalid" $v.podDisruptionBudget.minAvailable) (kindIs "invalid" $v.podDisruptionBudget.maxUnavailable) }}
  {{- fail "podDisruptionBudget.enabled needs minAvailable or maxUnavailable" }}
{{- end }}
{{- end }}
