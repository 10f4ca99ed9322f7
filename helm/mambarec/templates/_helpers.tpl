{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "mambarec.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, prefixed to the chart name unless it already contains it. */}}
{{- define "mambarec.fullname" -}}
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

{{/* Labels every pod of the release has (NetworkPolicy, PodMonitor): never change them on an upgrade. */}}
{{- define "mambarec.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mambarec.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The version label: the tag (or appVersion), never a digest, as a valid label value. */}}
{{- define "mambarec.version" -}}
{{- $version := .Values.image.tag | default .Chart.AppVersion -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" $version "_" | trunc 63 | trimSuffix "_" | trimSuffix "-" | quote }}
{{- end }}

{{- define "mambarec.labels" -}}
{{ include "mambarec.selectorLabels" . }}
app.kubernetes.io/version: {{ include "mambarec.version" . }}
app.kubernetes.io/part-of: mambarec
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* image: repository@digest when a digest is given, else repository:tag. */}}
{{- define "mambarec.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{- define "mambarec.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mambarec.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* JDBC URL of the external PostgreSQL. */}}
{{- define "mambarec.jdbcUrl" -}}
{{- $pg := .Values.postgresql -}}
{{- $host := required "postgresql.host is required: the service needs an external PostgreSQL" $pg.host -}}
jdbc:postgresql://{{ $host }}:{{ $pg.port }}/{{ required "postgresql.database is required" $pg.database }}{{ if $pg.parameters }}?{{ $pg.parameters }}{{ end }}
{{- end }}

{{/*
Connection budget: at most (maxConnections - reservedConnections) may be open at once.
  servers  = server.autoscaling.maxReplicas (or server.replicaCount) x (server.dbPoolSize + 1 LISTEN)
  trainers = trainer.replicaCount x (trainer.dbPoolSize + 1)
  rollout  = one surge server pod (maxSurge 1) x (server.dbPoolSize + 1)
  job      = 1 (the migration Job)
*/}}
{{- define "mambarec.connectionBudget" -}}
{{- $s := .Values.server -}}
{{- $servers := ternary $s.autoscaling.maxReplicas $s.replicaCount $s.autoscaling.enabled | int -}}
{{- $perServer := add $s.dbPoolSize 1 | int -}}
{{- $trainers := 0 -}}
{{- if .Values.trainer.enabled }}{{ $trainers = mul .Values.trainer.replicaCount (add .Values.trainer.dbPoolSize 1) | int }}{{ end -}}
{{- $total := add (mul (add $servers 1) $perServer) $trainers 1 | int -}}
{{- $budget := sub .Values.postgresql.maxConnections .Values.postgresql.reservedConnections | int -}}
{{- if gt $total $budget -}}
{{- fail (printf "database connections: %d servers (+1 surge) x %d + trainers %d + 1 migration = %d exceeds postgresql.maxConnections - reservedConnections = %d; lower server.dbPoolSize or the replica counts" $servers $perServer $trainers $total $budget) -}}
{{- end -}}
{{- $total -}}
{{- end }}

{{/* The container environment shared by servers and trainers (secrets by reference only). */}}
{{- define "mambarec.env" -}}
- name: SPRING_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.existingSecret is required" .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.databasePasswordKey }}
- name: MAMBAREC_ADMIN_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.adminApiKeyKey }}
- name: MAMBAREC_CLIENT_API_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.clientApiKeysKey }}
      optional: true
- name: MAMBAREC_REPLICA_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Probes on the management port. */}}
{{- define "mambarec.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: management
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
{{- end }}

{{- define "mambarec.podAnnotations" -}}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.managementPort | quote }}
prometheus.io/path: /actuator/prometheus
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "mambarec.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: djl-cache
  mountPath: /var/cache/djl
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "mambarec.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: djl-cache
  emptyDir:
    sizeLimit: {{ .Values.djlCacheSizeLimit }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}
