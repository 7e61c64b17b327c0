#!/usr/bin/env bash
# JMH micro-benchmarks of the receive path (src/jmh/java, Maven profile "bench"); see docs/PERFORMANCE.md.
#
#   scripts/jmh.sh                       every benchmark, with -prof gc (bytes allocated per line)
#   scripts/jmh.sh ReceivePath.frame -f 1 -wi 2 -i 3 -prof gc      any JMH arguments
#
# Every benchmark counts one operation per log line: ns/op is ns per line, gc.alloc.rate.norm is bytes per line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
offline=${MVN_OFFLINE--o}
# the benchmarks are compiled afresh: the compiler does not notice when a main class they use moved
rm -rf target/jmh-classes
mvn -q -B ${offline:+"$offline"} -Pbench -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath >/dev/null
[[ $# -gt 0 ]] || set -- -prof gc
exec java -cp "target/jmh-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
