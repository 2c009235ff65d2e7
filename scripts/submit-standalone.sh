#!/usr/bin/env bash
# Submit a pcaplake command to a Spark standalone cluster (spark://HOST:7077).
# usage: scripts/submit-standalone.sh COMMAND [ARGS...]
#   e.g. SPARK_MASTER=spark://master:7077 scripts/submit-standalone.sh \
#          flows hdfs:///archive/2026/11/ --out hdfs:///lake/2026-11 --run-id 2026-11
#
# What you set (environment; defaults in brackets):
#   SPARK_MASTER          the Master's URL (required), as shown at the top of its web UI
#   SPARK_HOME            a Spark 4.2 distribution (Scala 2.13, Hadoop 3.5 client) [spark-submit on the PATH]
#   EXECUTOR_MEMORY       heap per executor [4g]; the flows job sorts and spills, 1-2g per core is plenty
#   EXECUTOR_CORES        cores per executor [2]
#   TOTAL_CORES           spark.cores.max, cores the application takes from the cluster [all free cores]
#   MAX_PARTITION_BYTES   spark.sql.files.maxPartitionBytes: input bytes per read task (the split size) [128m]
#   APP_JAR               the shaded jar [jobs/target/pcaplake-jobs-*-app.jar; build: mvn -B package -DskipTests]
#   PCAPLAKE_SPARK_CONF   a spark-defaults style properties file passed as --properties-file (optional), e.g. for
#                         S3A: spark.hadoop.fs.s3a.endpoint, spark.hadoop.fs.s3a.aws.credentials.provider, and
#                         spark.jars.packages=org.apache.hadoop:hadoop-aws:3.5.0 if the cluster lacks hadoop-aws
# Inputs and --out take any Hadoop URI the cluster can read: hdfs://, s3a://, or file:// paths that every worker
# and the driver see (a shared mount). Client deploy mode: the driver runs here and prints the command's summary.
# The Workers fetch APP_JAR from this driver: nothing of pcaplake needs to be installed on the cluster.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -lt 1 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
: "${SPARK_MASTER:?set SPARK_MASTER=spark://HOST:PORT}"
app_jar=${APP_JAR:-$(find "$root/jobs/target" -maxdepth 1 -name 'pcaplake-jobs-*-app.jar' -print -quit 2>/dev/null)}
if [[ -z "$app_jar" || ! -f "$app_jar" ]]; then
  echo "no app jar (build it: mvn -B package -DskipTests, or set APP_JAR)" >&2
  exit 1
fi
submit=${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit

args=(--master "$SPARK_MASTER" --deploy-mode client --class io.pcaplake.cli.Main
  --executor-memory "${EXECUTOR_MEMORY:-4g}" --executor-cores "${EXECUTOR_CORES:-2}"
  --conf "spark.sql.files.maxPartitionBytes=${MAX_PARTITION_BYTES:-128m}")
[[ -n "${TOTAL_CORES:-}" ]] && args+=(--total-executor-cores "$TOTAL_CORES")
[[ -n "${PCAPLAKE_SPARK_CONF:-}" ]] && args+=(--properties-file "$PCAPLAKE_SPARK_CONF")
exec "$submit" "${args[@]}" "$app_jar" "$@"
