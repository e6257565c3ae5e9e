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
# Class names sorted, then the JDK's lambda forms and the lambda proxies in the order jobs made them
# (a proxy's line names the class it belongs to and the method it calls: one a later change renamed is
# skipped with a warning when the archive is built). Not proxies' classes, made anew by every JVM, nor
# the tests' own classes, which are not archived. Not the demo's list (DemoIncrementalTest): it alone
# loads the stand-ins (DynamoDB Local, s3proxy, Jetty), whose classes no job loads.
(cd target/test-classes && find . -name '*.class' | sed 's|^\./||; s|\.class$||') > "$out/test-classes.txt"
list=src/test/resources/io/observes/testing/child-jvm.classlist
find "$out" -name '*.classlist' ! -name 'demo-*' -exec cat {} + | grep -v -E '^#|/\$Proxy[0-9]+' \
  | awk -v tests="$out/test-classes.txt" 'BEGIN { while ((getline t < tests) > 0) test[t] = 1 }
      { owner = $1 == "@lambda-proxy" ? $2 : $1 ~ /^@/ ? "" : $1 }
      !(owner in test) && !seen[$0]++' > "$out/all.txt"
{ grep -v '^@' "$out/all.txt" | LC_ALL=C sort; grep '^@' "$out/all.txt"; } > "$list"
wc -l "$list"
