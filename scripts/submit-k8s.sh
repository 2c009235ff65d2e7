#!/usr/bin/env bash
# Submit a pcaplake command to Kubernetes (Spark's native k8s scheduler, cluster deploy mode).
# usage: scripts/submit-k8s.sh COMMAND [ARGS...]
#   e.g. K8S_API=https://10.0.0.1:6443 SPARK_IMAGE=registry.example/spark:4.2.0-pcaplake \
#        scripts/submit-k8s.sh flows s3a://captures/2026/11/ --out s3a://lake/2026-11 --run-id 2026-11
#
# What you set (environment; defaults in brackets):
#   K8S_API               the API server URL (required); spark-submit uses your kubeconfig's credentials
#   SPARK_IMAGE           container image for driver and executors (required): a Spark 4.2 image (Scala 2.13,
#                         Java 17+) with hadoop-aws for s3a:// and the app jar copied in, e.g. FROM apache/spark:4.2.0
#                         + COPY pcaplake-jobs-*-app.jar /opt/pcaplake/pcaplake-app.jar
#   APP_JAR               the jar as the pods see it [local:///opt/pcaplake/pcaplake-app.jar, i.e. in the image];
#                         or a local path plus spark.kubernetes.file.upload.path=s3a://BUCKET/uploads in
#                         PCAPLAKE_SPARK_CONF, and spark-submit uploads it
#   NAMESPACE             namespace of the pods [default]
#   SERVICE_ACCOUNT       service account of the driver pod, allowed to create/delete pods, services and config
#                         maps in NAMESPACE (kubectl create rolebinding ... --clusterrole=edit) [spark]
#   NUM_EXECUTORS         executor pods [3]
#   EXECUTOR_MEMORY       heap per executor [4g] (the pod requests it plus spark.executor.memoryOverhead)
#   EXECUTOR_CORES        cores per executor [2]
#   MAX_PARTITION_BYTES   spark.sql.files.maxPartitionBytes: input bytes per read task (the split size) [128m]
#   S3A_ENDPOINT          fs.s3a.endpoint for an S3-compatible store (optional; path-style access is turned on)
#   PCAPLAKE_SPARK_CONF   a spark-defaults style properties file passed as --properties-file (optional), e.g.
#                         spark.hadoop.fs.s3a.aws.credentials.provider, spark.kubernetes.driver.secretKeyRef.*
# Inputs and --out must be storage every pod reaches (s3a://, hdfs://), never the submitting machine's disk. The
# driver runs in a pod: the command's summary is in its log (kubectl logs -n NAMESPACE DRIVER_POD).
set -euo pipefail
if [[ $# -lt 1 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
: "${K8S_API:?set K8S_API=https://HOST:PORT (the Kubernetes API server)}"
: "${SPARK_IMAGE:?set SPARK_IMAGE to a Spark 4.2 image that holds the app jar}"
submit=${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit

args=(--master "k8s://$K8S_API" --deploy-mode cluster --name pcaplake --class io.pcaplake.cli.Main
  --conf "spark.kubernetes.container.image=$SPARK_IMAGE"
  --conf "spark.kubernetes.namespace=${NAMESPACE:-default}"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${SERVICE_ACCOUNT:-spark}"
  --conf "spark.executor.instances=${NUM_EXECUTORS:-3}"
  --executor-memory "${EXECUTOR_MEMORY:-4g}" --executor-cores "${EXECUTOR_CORES:-2}"
  --conf "spark.sql.files.maxPartitionBytes=${MAX_PARTITION_BYTES:-128m}")
if [[ -n "${S3A_ENDPOINT:-}" ]]; then
  args+=(--conf "spark.hadoop.fs.s3a.endpoint=$S3A_ENDPOINT" --conf spark.hadoop.fs.s3a.path.style.access=true)
fi
[[ -n "${PCAPLAKE_SPARK_CONF:-}" ]] && args+=(--properties-file "$PCAPLAKE_SPARK_CONF")
exec "$submit" "${args[@]}" "${APP_JAR:-local:///opt/pcaplake/pcaplake-app.jar}" "$@"
