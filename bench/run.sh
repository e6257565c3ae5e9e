#!/usr/bin/env bash
# Pipeline throughput benchmark (flatten+encode, stage -> s3proxy, load -> embedded PostgreSQL vs raw COPY).
# Not part of `mvn verify`. Usage: bench/run.sh [--records N] [--seed S] [--part-mib MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_OFFLINE=${MVN_OFFLINE:-}
mvn $MVN_OFFLINE -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
export OBSERVES_LOG_LEVEL=${OBSERVES_LOG_LEVEL:-WARN}
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -Dot.epg.working-dir=target/epg \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.observes.bench.PipelineBenchmark "$@"
