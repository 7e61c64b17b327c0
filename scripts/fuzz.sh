#!/usr/bin/env bash
# Fuzzes the receive path and the exposition for longer than the test run does (which only replays the inputs in
# src/test/resources/io/routerlog/fuzz). Each fuzz test runs for DURATION (default 10m) with coverage guidance;
# an input that breaks a property is saved next to the others, so the ordinary test run replays it from then on.
#
# Usage: scripts/fuzz.sh [DURATION]      e.g. scripts/fuzz.sh 1h
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=${1:-10m}
mvn -q -B -DskipTests test-compile
status=0
for target in ReceivePathFuzzTest#tcpStream ReceivePathFuzzTest#datagrams ExpositionFuzzTest#namesFromTheNetwork; do
    echo "fuzz: $target for $duration"
    if ! JAZZER_FUZZ=1 mvn -q -B test -Dtest="$target" -Djazzer.max_duration="$duration" \
            -Dsurefire.failIfNoSpecifiedTests=false; then
        echo "fuzz: $target found a failing input (see above; it was saved under src/test/resources)"
        status=1
    fi
done
exit $status
