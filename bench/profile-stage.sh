#!/usr/bin/env bash
# The stage step alone (parse read ahead, flatten, encode, statistics, CSV, zstd; no upload) on a JSON-lines file,
# repeated, recorded with JFR into target/stage.jfr for `jfr print` or JDK Mission Control.
# Usage: bench/profile-stage.sh FILE.jsonl [ROUNDS]   (bench/run.sh writes target/bench-input-*.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn ${MVN_OFFLINE:-} -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
exec java -Xmx1g -XX:StartFlightRecording=filename=target/stage.jfr,settings=profile \
  -cp "target/test-classes:target/classes:$(cat target/bench.cp)" io.observes.bench.StageProfile "$@"
