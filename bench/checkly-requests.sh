#!/usr/bin/env bash
# Requests of a first checkly run on the WireMock fake (no warehouse): measured, and the v1 walk's
# by arithmetic. Not part of `mvn verify`.
# Usage: bench/checkly-requests.sh [--checks 100] [--days 30] [--every-minutes 10] [--locations 3]
set -euo pipefail
cd "$(dirname "$0")/.."
MVN_OFFLINE=${MVN_OFFLINE:-}
mvn $MVN_OFFLINE -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
export OBSERVES_LOG_LEVEL=${OBSERVES_LOG_LEVEL:-WARN}
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat target/bench.cp)" \
  io.observes.etl.checkly.ChecklyRequestsBenchmark "$@"
