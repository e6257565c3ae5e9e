#!/usr/bin/env bash
# Variants of the stage step in turn in one JVM (best CPU time of each): what one part of it costs.
# Usage: bench/stage-variants.sh FILE.jsonl ROUNDS a,parse,b,direct,ahead4096,zstd-1   (run under taskset -c 0 for one core)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn ${MVN_OFFLINE:-} -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat target/bench.cp)" io.observes.bench.StageVariants "$@"
