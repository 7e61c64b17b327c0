#!/usr/bin/env bash
# Long run: routerlog under a steady load with a churn of clients and names, sampled every minute.
#
#   scripts/soak.sh [DURATION] [RATE] [OUT_DIR]     defaults: 1h, 2000 lines/s, a new temp dir
#
# Samples (CSV in OUT_DIR/samples.csv; SOAK_SAMPLE_SECONDS changes the minute): heap used, RSS, threads, open files, pairs stored, pairs evicted, messages
# received. At the end it prints a summary and fails when something grew past its bound between the first and the
# second half of the run (heap, RSS, threads, files) or when the receiver did not count every line that was sent.
# Everything runs on 127.0.0.1. BENCH_JAVA_OPTS sets routerlog's JVM options [the README's, as scripts/routerlog starts
# it], as for the other benchmark scripts.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${1:-1h}
rate=${2:-2000}
out=${3:-$(mktemp -d /tmp/routerlog-soak.XXXXXX)}
mkdir -p "$out"
jar=${ROUTERLOG_JAR:-$root/target/routerlog.jar}   # a copy keeps a rebuild from changing the jar under the run
[[ -f "$jar" ]] || (cd "$root" && mvn -q -B -DskipTests package)
every=${SOAK_SAMPLE_SECONDS:-60}
# shellcheck source=scripts/java-opts.sh disable=SC1091
source "$root/scripts/java-opts.sh"
java_opts=${BENCH_JAVA_OPTS:-$(routerlog_java_opts)}

free_port() { # a free TCP and UDP port on 127.0.0.1
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        if ! ss -Hlntu "sport = :$p" | grep -q .; then echo "$p"; return; fi
    done
    echo "no free port" >&2; exit 1
}
syslog=$(free_port)
http=$(free_port)
max_pairs=10000

# shellcheck disable=SC2086
env -u ROUTERLOG_JAR java $java_opts -jar "$jar" --listen-address 127.0.0.1 --http-address 127.0.0.1 \
    --syslog-port "$syslog" --http-port "$http" --max-pairs "$max_pairs" --retention 10m --log-level warn \
    >"$out/routerlog.log" 2>&1 &
rl=$!
loadgen_pid=""
cleanup() {
    if [[ -n "$loadgen_pid" ]]; then
        kill "$loadgen_pid" 2>/dev/null || true
    fi
    kill "$rl" 2>/dev/null || true
    wait "$rl" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$http/healthz" >/dev/null || { echo "soak: routerlog did not start" >&2; cat "$out/routerlog.log"; exit 1; }

java -jar "$jar" loadgen --target "127.0.0.1:$syslog" --rate "$rate" --duration "$duration" --clients 500 \
    --domains 50000 --churn 2000 --metrics "http://127.0.0.1:$http/metrics" >"$out/loadgen.out" 2>"$out/loadgen.progress" &
loadgen_pid=$!

metric() { # metric NAME_REGEX: sum of the matching samples in the last scrape
    awk -v re="$1" '$0 !~ /^#/ && $1 ~ re { s += $NF } END { printf "%.0f", s }' "$out/scrape"
}
echo "minute,heap_used_bytes,rss_bytes,threads,open_fds,pairs,pairs_evicted,messages" >"$out/samples.csv"
minute=0
while kill -0 "$loadgen_pid" 2>/dev/null; do
    sleep "$every"
    minute=$((minute + 1))
    curl -sf "http://127.0.0.1:$http/metrics" >"$out/scrape" || continue
    rss=$(awk '/^VmRSS/ { print $2 * 1024 }' "/proc/$rl/status")
    fds=$(find "/proc/$rl/fd" -mindepth 1 -maxdepth 1 | wc -l)
    printf '%d,%s,%s,%s,%s,%s,%s,%s\n' "$minute" \
        "$(metric '^jvm_memory_used_bytes\{area="heap"')" "$rss" "$(metric '^jvm_threads_current')" "$fds" \
        "$(metric '^routerlog_dns_pairs$')" "$(metric '^routerlog_dns_pairs_evicted_total')" \
        "$(metric '^routerlog_syslog_messages_total')" | tee -a "$out/samples.csv"
done
loadgen_status=0
wait "$loadgen_pid" || loadgen_status=$?
loadgen_pid=""
cat "$out/loadgen.out"

# the first and second half of the samples: the second may not grow past the first's maximum by much
awk -F, -v bound="$max_pairs" '
    NR == 1 { next }
    { n++; for (i = 2; i <= 5; i++) v[n, i] = $i; if ($6 > maxpairs) maxpairs = $6 }
    END {
        if (n < 4) { print "soak: too few samples"; exit 1 }
        split("heap,rss,threads,fds", name, ",")
        fail = 0
        for (i = 2; i <= 5; i++) {
            a = 0; b = 0
            for (k = 1; k <= n; k++) { if (k <= n / 2) { if (v[k, i] > a) a = v[k, i] } else { if (v[k, i] > b) b = v[k, i] } }
            limit = (i == 2) ? a * 1.5 : a * 1.10 + 2
            printf "soak: %-8s first half max %14.0f  second half max %14.0f  %s\n", name[i-1], a, b, (b <= limit ? "ok" : "GREW")
            if (b > limit) fail = 1
        }
        printf "soak: pairs stored at most %d (bound %d) %s\n", maxpairs, bound, (maxpairs <= bound ? "ok" : "OVER")
        if (maxpairs > bound) fail = 1
        exit fail
    }' "$out/samples.csv" | tee "$out/summary.txt"
summary_status=${PIPESTATUS[0]}
echo "soak: samples and logs in $out"
[[ $loadgen_status == 0 && $summary_status == 0 ]]
