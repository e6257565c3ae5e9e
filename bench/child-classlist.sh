#!/usr/bin/env bash
# The classes the tests' jobs load in their own JVMs (testing/JobProcess), written to the class list
# their class-data archive is built from (testing/ChildJvmArchive, src/test/resources/.../child-jvm.classlist).
# Run it after a change that makes the jobs load many other classes (a new dependency or source): a
# stale list still works, it only leaves those classes out of the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/target/child-classlists"
rm -rf "$out"
mkdir -p "$out"
mvn -B -q -o test-compile surefire:test@default-test surefire:test@redshift-rehearsal \
  -Dtest='*ProcessesTest,DynamoIncrementalTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dobserves.test.child-classlist="$out"
# Names only: the lambda lines and proxies are made anew by every JVM, and the tests' own classes are not archived.
# Not the demo's (DemoIncrementalTest): it alone loads the stand-ins (DynamoDB Local, s3proxy, Jetty),
# whose classes no job loads; it still starts from the jobs' classes.
(cd target/test-classes && find . -name '*.class' | sed 's|^\./||; s|\.class$||') > "$out/test-classes.txt"
find "$out" -name '*.classlist' ! -name 'demo-*' -exec cat {} + | grep -v -E '^(#|@)|/\$Proxy[0-9]+' | sed 's/ .*//' | grep -v -x -F -f "$out/test-classes.txt" \
  | LC_ALL=C sort -u > src/test/resources/io/observes/testing/child-jvm.classlist
wc -l src/test/resources/io/observes/testing/child-jvm.classlist
