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

{{/* Labels that select the pods: never change them on an upgrade. */}}
{{- define "mambarec.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mambarec.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mambarec.labels" -}}
{{ include "mambarec.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: recommender
app.kubernetes.io/part-of: mambarec
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
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
