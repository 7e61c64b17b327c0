#!/usr/bin/env bash
# Scrape time of /metrics with about 10,000 and 100,000 series, plain and gzip, and UDP loss during back-to-back
# scrapes: the scrape phase of scripts/bench.sh on its own, with more scrapes, so that two builds can be compared
# quickly (run it for each jar in turn, alternating).
#
#   scripts/bench-scrape.sh [OUT_DIR]                (results in OUT_DIR/results.md and OUT_DIR/scrapes.csv)
#
# Environment (defaults in brackets):
#   ROUTERLOG_JAR       jar to measure [target/routerlog.jar, built when missing]
#   BENCH_JAVA_OPTS     routerlog's JVM options [the README's, as scripts/routerlog starts it]
#   BENCH_ROUTERLOG_ARGS  more routerlog options, such as --query-log-size 0 []
#   BENCH_SCRAPES       scrapes per measurement, after as many warm-up scrapes [11]
#   BENCH_SCRAPE_LOAD   seconds of UDP at 50,000/s during back-to-back scrapes of the 100,000 series [10]; 0 skips
#
# Series: --max-pairs 150000, loadgen over TCP with 1000 clients x 200,000 names at uniform popularity (nearly every
# query a new pair), first a pool of 26,000 lines (about 10,000 pairs), then 262,144 more (about 100,000 in all), at
# BENCH_FILL_RATE lines/s [200000; 0 is as fast as routerlog takes them, which the README's heap may not survive].
# With two or more CPUs routerlog runs on CPU 1, curl and loadgen on CPU 0. Everything runs on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d /tmp/routerlog-scrape.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck source=scripts/java-opts.sh disable=SC1091
source "$root/scripts/java-opts.sh"
java_opts=${BENCH_JAVA_OPTS:-$(routerlog_java_opts)}
scrapes=${BENCH_SCRAPES:-11}
load_seconds=${BENCH_SCRAPE_LOAD:-10}
fill_rate=${BENCH_FILL_RATE:-200000}
read -r -a extra_args <<<"${BENCH_ROUTERLOG_ARGS:-}"

# shellcheck source=scripts/bench-lib.sh disable=SC1091
source "$root/scripts/bench-lib.sh"
jar=$(bench_jar "$root" "$out")

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    send_on=(taskset -c 0)
    recv_on=(taskset -c 1)
else
    send_on=()
    recv_on=()
fi

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/bench.log" >&2; }
rcvbuf_errors() { awk '/^Udp:/ { if (++n == 2) print $6 }' /proc/net/snmp; }
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
loadgen() { "${send_on[@]}" java -XX:+UseSerialGC -jar "$jar" loadgen "$@"; }

rl_pid=""
cleanup() {
    if [[ -n $rl_pid ]]; then
        kill "$rl_pid" 2>/dev/null || true
        wait "$rl_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

syslog_port=$(free_port)
http_port=$(free_port)
# shellcheck disable=SC2086
env -u ROUTERLOG_JAR "${recv_on[@]}" java $java_opts -jar "$jar" --listen-address 127.0.0.1 --http-address 127.0.0.1 \
    --syslog-port "$syslog_port" --http-port "$http_port" --cluster-port "$(free_port)" \
    --cluster-name "bench-scrape-$$" --max-pairs 150000 --log-level warn "${extra_args[@]}" >"$out/routerlog.log" 2>&1 &
rl_pid=$!
metrics="http://127.0.0.1:$http_port/metrics"
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break
    kill -0 "$rl_pid" 2>/dev/null || { cat "$out/routerlog.log" >&2; exit 1; }
    sleep 0.05
done

series() { curl -sf --max-time 60 "$metrics" | awk 'index($0, "routerlog_dns_pairs ") == 1 { print $2 }'; }

# scrape_ms NAME [CURL-ARGS...]: warm-up, then $scrapes timed scrapes; prints the median in ms, keeps every time
scrape_ms() {
    local name=$1
    shift
    for _ in $(seq 1 "$scrapes"); do "${send_on[@]}" curl -sf --max-time 60 -o /dev/null "$@" "$metrics"; done
    for _ in $(seq 1 "$scrapes"); do
        "${send_on[@]}" curl -sf --max-time 60 -o /dev/null -w '%{time_total} %{size_download}\n' "$@" "$metrics" \
            || echo "0 0"
    done >"$out/scrapes-$name.txt"
    sort -n "$out/scrapes-$name.txt" | awk '{ a[NR] = $1 } END { printf "%.0f\n", a[int((NR + 1) / 2)] * 1000 }'
}

echo "series,encoding,median_ms,bytes" >"$out/scrapes.csv"
measure() { # measure SERIES: plain and gzip
    local n=$1 plain gzip bytes gzbytes failed
    plain=$(scrape_ms "$n-plain")
    bytes=$(awk 'NR == 1 { print $2 }' "$out/scrapes-$n-plain.txt")
    gzip=$(scrape_ms "$n-gzip" -H 'Accept-Encoding: gzip')
    gzbytes=$(awk 'NR == 1 { print $2 }' "$out/scrapes-$n-gzip.txt")
    # a failed scrape (curl -f, or nothing received) has no time worth a median
    failed=$(cat "$out/scrapes-$n-plain.txt" "$out/scrapes-$n-gzip.txt" | awk '$2 == 0 { f++ } END { print f + 0 }')
    if [[ $failed -gt 0 || ! -s "$out/scrapes-$n-plain.txt" ]]; then
        plain=failed
        gzip=failed
    fi
    echo "$n,identity,$plain,$bytes" >>"$out/scrapes.csv"
    echo "$n,gzip,$gzip,$gzbytes" >>"$out/scrapes.csv"
    log "$n series: median of $scrapes scrapes $plain ms ($bytes bytes), gzip $gzip ms ($gzbytes bytes), $failed failed"
}

log "routerlog $jar ${extra_args[*]}, JVM: $java_opts; results in $out"
# uniform popularity over many names: nearly every query line is a new pair; --pool lines give ~pool/2.6 pairs
loadgen --protocol tcp --target "127.0.0.1:$syslog_port" --rate "$fill_rate" --duration 3s --clients 1000 --domains 200000 \
    --zipf 0 --pool 26000 --metrics "$metrics" >/dev/null 2>&1 || true
sleep 2
s10k=$(series)
measure "$s10k"
loadgen --protocol tcp --target "127.0.0.1:$syslog_port" --rate "$fill_rate" --duration 5s --clients 1000 --domains 200000 \
    --zipf 0 --pool 262144 --seed 2 --metrics "$metrics" >/dev/null 2>&1 || true
sleep 2
s100k=$(series)
measure "$s100k"

load_line=""
if [[ $load_seconds != 0 ]]; then
    # ingestion while scraping back to back: UDP at a moderate rate, the same (known) pairs; loss means a stall
    (
        end=$((SECONDS + load_seconds))
        while [[ $SECONDS -lt $end ]]; do curl -s --max-time 60 -o /dev/null -w '%{time_total}\n' "$metrics"; done
    ) >"$out/scrapes-under-load.txt" &
    scraper=$!
    e0=$(rcvbuf_errors)
    res=$(loadgen --protocol udp --target "127.0.0.1:$syslog_port" --rate 50000 --duration "${load_seconds}s" \
        --clients 1000 --domains 200000 --zipf 0 --pool 262144 --seed 2 --metrics "$metrics" 2>/dev/null || true)
    e1=$(rcvbuf_errors)
    wait "$scraper"
    lost=$(sed -n 's/.*(\([0-9-]*\) lost).*/\1/p' <<<"$res")
    n=$(wc -l <"$out/scrapes-under-load.txt")
    load_ms=$(sort -n "$out/scrapes-under-load.txt" \
        | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] * 1000 }')
    load_line="| UDP 50,000/s for $load_seconds s during $n back-to-back scrapes | lost ${lost:-?}, kernel RcvbufErrors +$((e1 - e0)), scrape median $load_ms ms |"
    log "UDP 50000/s for $load_seconds s during $n back-to-back scrapes (median $load_ms ms): lost ${lost:-?}, kernel RcvbufErrors +$((e1 - e0))"
fi
rss=$(peak_rss_kib "$rl_pid")
log "peak RSS $((rss / 1024)) MiB"

{
    echo "# /metrics scrape, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "jar: $(sha256sum "$jar" | cut -c1-12), options: ${extra_args[*]:-none}, JVM: $java_opts, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| Measure | Result |"
    echo "|---|---|"
    awk -F, -v s="$scrapes" 'NR > 1 { printf "| %s series, %s (median of %s, ms) | %s (%s bytes) |\n", $1, $2, s, $3, $4 }' \
        "$out/scrapes.csv"
    [[ -z $load_line ]] || echo "$load_line"
    echo "| Peak RSS (MiB) | $((rss / 1024)) |"
} >"$out/results.md"
cat "$out/results.md"
