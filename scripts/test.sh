#!/usr/bin/env bash
# Runs every test: unit and in-process tests, the packaged jar's integration tests (mvn verify), then the
# end-to-end test with a real dnsmasq. Needs Java 17, Maven, util-linux logger, dnsmasq, dig and promtool
# (Debian: dnsmasq-base bind9-dnsutils prometheus; tcpdump for the live capture test; rsyslog, and syslog-ng as
# scripts/prepare-relays.sh unpacks it, for the relay tests; .ci/run installs them).
# The bench profile also compiles the JMH benchmarks (src/jmh/java), so that a change to the code they call
# breaks the build instead of scripts/jmh.sh later.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -Pbench verify
scripts/e2e-dnsmasq.sh
