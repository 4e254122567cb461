{{/* Chart name, truncated to 63 characters. */}}
{{- define "numalign.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name. */}}
{{- define "numalign.fullname" -}}
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

{{/* Name of one component's objects: <fullname>-<component>. Call with (list . "agent"). */}}
{{- define "numalign.componentName" -}}
{{- $root := index . 0 }}
{{- printf "%s-%s" (include "numalign.fullname" $root | trunc 50 | trimSuffix "-") (index . 1) }}
{{- end }}

{{- define "numalign.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "numalign.labels" -}}
helm.sh/chart: {{ include "numalign.chart" . }}
app.kubernetes.io/name: {{ include "numalign.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: numalign
{{- end }}

{{/* Labels of one component, call with (list . "agent"). */}}
{{- define "numalign.componentLabels" -}}
{{ include "numalign.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Selector labels of one component, call with (list . "agent"). */}}
{{- define "numalign.selectorLabels" -}}
app.kubernetes.io/name: {{ include "numalign.name" (index . 0) }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The numalign image. */}}
{{- define "numalign.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The stock kube-scheduler at the cluster's version unless scheduler.image.tag is set. */}}
{{- define "numalign.schedulerImage" -}}
{{- $tag := .Values.scheduler.image.tag }}
{{- if not $tag }}
{{- $tag = regexFind "^v[0-9]+\\.[0-9]+\\.[0-9]+" .Capabilities.KubeVersion.Version }}
{{- if not $tag }}
{{- $tag = printf "v%s.%s.0" .Capabilities.KubeVersion.Major (regexFind "^[0-9]+" .Capabilities.KubeVersion.Minor) }}
{{- end }}
{{- end }}
{{- printf "%s:%s" .Values.scheduler.image.repository $tag }}
{{- end }}

{{- define "numalign.schedulerLeaseName" -}}
{{- default .Values.scheduler.name .Values.scheduler.leaderElection.resourceName }}
{{- end }}

{{- define "numalign.extenderTlsSecret" -}}
{{- default (include "numalign.componentName" (list . "extender-tls")) .Values.extender.tls.secretName }}
{{- end }}

{{/* URL the scheduler uses for the extender sidecar. */}}
{{- define "numalign.extenderUrl" -}}
{{- printf "%s://127.0.0.1:%d/%s" (ternary "https" "http" .Values.extender.tls.enabled) (int .Values.extender.port) (trimPrefix "/" .Values.extender.urlPrefix) }}
{{- end }}

{{/* The KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1). */}}
{{- define "numalign.schedulerConfig" -}}
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  qps: {{ .Values.scheduler.clientConnection.qps }}
  burst: {{ .Values.scheduler.clientConnection.burst }}
leaderElection:
  leaderElect: {{ .Values.scheduler.leaderElection.enabled }}
  {{- if .Values.scheduler.leaderElection.enabled }}
  resourceLock: leases
  resourceName: {{ include "numalign.schedulerLeaseName" . }}
  resourceNamespace: {{ .Release.Namespace }}
  leaseDuration: {{ .Values.scheduler.leaderElection.leaseDuration }}
  renewDeadline: {{ .Values.scheduler.leaderElection.renewDeadline }}
  retryPeriod: {{ .Values.scheduler.leaderElection.retryPeriod }}
  {{- end }}
percentageOfNodesToScore: {{ .Values.scheduler.percentageOfNodesToScore }}
profiles:
  - schedulerName: {{ .Values.scheduler.name }}
    {{- with .Values.scheduler.plugins }}
    plugins:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with .Values.scheduler.pluginConfig }}
    pluginConfig:
      {{- toYaml . | nindent 6 }}
    {{- end }}
extenders:
  - urlPrefix: {{ include "numalign.extenderUrl" . | quote }}
    filterVerb: filter
    prioritizeVerb: prioritize
    weight: {{ .Values.extender.weight }}
    {{- if .Values.extender.bind }}
    bindVerb: bind
    {{- end }}
    {{- if .Values.extender.preempt }}
    preemptVerb: preempt
    {{- end }}
    enableHTTPS: {{ .Values.extender.tls.enabled }}
    {{- if .Values.extender.tls.enabled }}
    tlsConfig:
      serverName: localhost
      caFile: /etc/numalign/extender-tls/ca.crt
    {{- end }}
    httpTimeout: {{ .Values.extender.httpTimeout }}
    nodeCacheCapable: true
    ignorable: {{ .Values.extender.ignorable }}
    {{- with .Values.extender.managedResources }}
    managedResources:
      {{- range . }}
      - name: {{ .name | quote }}
        ignoredByScheduler: {{ .ignoredByScheduler | default false }}
      {{- end }}
    {{- end }}
{{- end }}
