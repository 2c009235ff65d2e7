#!/usr/bin/env bash
# Submit a pcaplake command to a Hadoop YARN cluster.
# usage: scripts/submit-yarn.sh COMMAND [ARGS...]
#   e.g. HADOOP_CONF_DIR=/etc/hadoop/conf scripts/submit-yarn.sh \
#          flows hdfs:///archive/2026/11/ --out hdfs:///lake/2026-11 --run-id 2026-11
#
# What you set (environment; defaults in brackets):
#   HADOOP_CONF_DIR       the cluster's client configuration (core-site.xml, hdfs-site.xml, yarn-site.xml) (required):
#                         spark-submit finds the ResourceManager and the default file system there
#   SPARK_HOME            a Spark 4.2 distribution (Scala 2.13, Hadoop 3.5 client) [spark-submit on the PATH]
#   DEPLOY_MODE           client (driver here, summary printed here) or cluster (driver in a YARN container; the
#                         summary goes to its log: yarn logs -applicationId ID) [client]
#   QUEUE                 YARN queue [default]
#   NUM_EXECUTORS         executors [3]; or set spark.dynamicAllocation.* in PCAPLAKE_SPARK_CONF instead
#   EXECUTOR_MEMORY       heap per executor [4g]; YARN adds spark.executor.memoryOverhead (10%, min 384m) on top
#   EXECUTOR_CORES        cores per executor [2]
#   DRIVER_MEMORY         driver heap [2g]; report.xml is streamed, the driver holds one partition at a time
#   MAX_PARTITION_BYTES   spark.sql.files.maxPartitionBytes: input bytes per read task (the split size) [128m];
#                         match the HDFS block size so each task reads one local block
#   APP_JAR               the shaded jar [jobs/target/pcaplake-jobs-*-app.jar; build: mvn -B package -DskipTests]
#   PCAPLAKE_SPARK_CONF   a spark-defaults style properties file passed as --properties-file (optional)
# Relative input paths resolve against fs.defaultFS of HADOOP_CONF_DIR (usually hdfs://NAMENODE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -lt 1 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the directory that holds yarn-site.xml}"
export HADOOP_CONF_DIR
app_jar=${APP_JAR:-$(find "$root/jobs/target" -maxdepth 1 -name 'pcaplake-jobs-*-app.jar' -print -quit 2>/dev/null)}
if [[ -z "$app_jar" || ! -f "$app_jar" ]]; then
  echo "no app jar (build it: mvn -B package -DskipTests, or set APP_JAR)" >&2
  exit 1
fi
submit=${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit

args=(--master yarn --deploy-mode "${DEPLOY_MODE:-client}" --class io.pcaplake.cli.Main
  --queue "${QUEUE:-default}" --num-executors "${NUM_EXECUTORS:-3}"
  --executor-memory "${EXECUTOR_MEMORY:-4g}" --executor-cores "${EXECUTOR_CORES:-2}"
  --driver-memory "${DRIVER_MEMORY:-2g}"
  --conf "spark.sql.files.maxPartitionBytes=${MAX_PARTITION_BYTES:-128m}")
[[ -n "${PCAPLAKE_SPARK_CONF:-}" ]] && args+=(--properties-file "$PCAPLAKE_SPARK_CONF")
exec "$submit" "${args[@]}" "$app_jar" "$@"
