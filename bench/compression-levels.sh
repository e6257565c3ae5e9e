#!/usr/bin/env bash
# The staged parts' compression level, chosen by measurement: the CSV the stage step writes for a
# JSON-lines file compressed on one thread at each gzip and zstd level (MB/s and ratio).
# Usage: bench/compression-levels.sh FILE.jsonl [MB (150)], or --records N [MB]: generated records as bench/run.sh writes them
set -euo pipefail
cd "$(dirname "$0")/.."
mvn ${MVN_OFFLINE:-} -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.cp)" io.observes.bench.CompressionLevels "$@"
