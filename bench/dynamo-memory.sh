#!/usr/bin/env bash
# Memory of the dynamo ETL's phase 1: a child JVM with -Xmx256m stages a large generated table
# (default 500,000 items) from DynamoDB Local to s3proxy; the baseline is the same at a tenth of the
# size, in the same run. Not part of `mvn verify`. Usage: bench/dynamo-memory.sh [--items N] [--heap 256m]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn ${MVN_OFFLINE:-} -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
export OBSERVES_LOG_LEVEL=${OBSERVES_LOG_LEVEL:-WARN}
exec java ${BENCH_JAVA_OPTS:--Xmx6g} -Dot.epg.working-dir=target/epg \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.observes.bench.DynamoMemoryBenchmark "$@"
