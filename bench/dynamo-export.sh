#!/usr/bin/env bash
# The dynamo ETL's full refresh from a DynamoDB export vs from a parallel Scan (items/s, bytes read),
# and an incremental run of 1% changes vs that full refresh (time, bytes), on the demo stack with the
# export stand-in; ratios against the baselines of the same run (docs/performance.md).
# Not part of `mvn verify`. Usage: bench/dynamo-export.sh [--items 100000] [--segments 4] [--seed 7]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn ${MVN_OFFLINE:-} -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
export OBSERVES_LOG_LEVEL=${OBSERVES_LOG_LEVEL:-WARN}
exec java ${BENCH_JAVA_OPTS:--Xmx6g} -Dot.epg.working-dir=target/epg \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.observes.bench.ExportBenchmark "$@"
