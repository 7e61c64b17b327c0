#!/usr/bin/env bash
# Response times of the JSON query API (/api/v1) over a full store, on one node and on a three-node cluster.
#
#   scripts/bench-api.sh [OUT_DIR]                   (results in OUT_DIR/api.md and OUT_DIR/api.csv)
#
# Each setup is filled over TCP on 127.0.0.1 with loadgen (uniform popularity, so about BENCH_API_PAIRS distinct
# pairs) until every node's query log is full; then every endpoint is asked BENCH_API_WARMUP times, and then each in
# turn BENCH_API_WARMUP times more to warm up and BENCH_API_RUNS times measured (curl's total time); the table shows
# the median, the fastest and the slowest.
# In the cluster every node receives a third of the traffic (the same pairs, so the cluster holds about
# BENCH_API_PAIRS pairs, each counted by three members) and every request goes to the first node.
#
# Environment (defaults in brackets):
#   BENCH_API_PAIRS       distinct pairs to offer, and --max-pairs [100000]
#   BENCH_API_QUERY_LOG   --query-log-size of every node [100000]
#   BENCH_API_FILL        how long loadgen sends to each node, times the node count [10s]: a cluster on few
#                         cores takes each node's share slower, and every node must get the whole pool
#   BENCH_API_RATE        lines/s loadgen sends to each node while filling [50000]
#   BENCH_API_RUNS        measured requests per endpoint [11]
#   BENCH_API_WARMUP      warm-up requests per endpoint [5]
#   BENCH_API_NODES       node counts to measure, comma-separated [1,3]
#   ROUTERLOG_JAR         jar to measure [target/routerlog.jar, built when missing]
#   BENCH_JAVA_OPTS       routerlog's JVM options [the README's, as scripts/routerlog starts it]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d /tmp/routerlog-bench-api.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
pairs=${BENCH_API_PAIRS:-100000}
query_log=${BENCH_API_QUERY_LOG:-100000}
fill=${BENCH_API_FILL:-10s}
fill=${fill%s}
rate=${BENCH_API_RATE:-50000}
runs=${BENCH_API_RUNS:-11}
warmup=${BENCH_API_WARMUP:-5}
IFS=, read -r -a node_counts <<<"${BENCH_API_NODES:-1,3}"
# shellcheck source=scripts/java-opts.sh disable=SC1091
source "$root/scripts/java-opts.sh"
java_opts=${BENCH_JAVA_OPTS:-$(routerlog_java_opts)}
max_pairs=$pairs
# loadgen's mix makes about 0.38 distinct (client, domain, type) pairs per pool line with uniform popularity
pool=$((pairs * 262144 / 100000))
domains=$((pairs * 2))

# shellcheck source=scripts/bench-lib.sh disable=SC1091
source "$root/scripts/bench-lib.sh"
jar=$(bench_jar "$root" "$out")

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/bench-api.log" >&2; }

pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_cluster N: starts N nodes that form one cluster; sets syslog_ports and http_ports
start_cluster() {
    local n=$1 i members="" name="bench-api-$$-$RANDOM" cluster_ports=()
    syslog_ports=()
    http_ports=()
    for ((i = 0; i < n; i++)); do
        syslog_ports+=("$(free_port)")
        http_ports+=("$(free_port)")
        cluster_ports+=("$(free_port)")
        members+="${members:+,}127.0.0.1:${cluster_ports[i]}"
    done
    for ((i = 0; i < n; i++)); do
        local cluster_args=(--cluster-port "${cluster_ports[i]}" --cluster-name "$name")
        [[ $n -gt 1 ]] && cluster_args+=(--cluster-members "$members")
        # shellcheck disable=SC2086
        env -u ROUTERLOG_JAR java $java_opts -jar "$jar" --listen-address 127.0.0.1 --http-address 127.0.0.1 \
            --syslog-port "${syslog_ports[i]}" --http-port "${http_ports[i]}" "${cluster_args[@]}" \
            --max-pairs "$max_pairs" --query-log-size "$query_log" --log-level warn \
            >"$out/routerlog-$n-$i.log" 2>&1 &
        pids+=("$!")
    done
    for ((i = 0; i < n; i++)); do
        local ok=""
        for _ in $(seq 1 1200); do
            if curl -sf "http://127.0.0.1:${http_ports[i]}/healthz" >/dev/null; then ok=1; break; fi
            sleep 0.1
        done
        [[ -n $ok ]] || { cat "$out/routerlog-$n-$i.log" >&2; exit 1; }
    done
    for _ in $(seq 1 600); do
        [[ $(curl -sf "http://127.0.0.1:${http_ports[0]}/api/v1/cluster" | jq '.members | length') == "$n" ]] && return
        sleep 0.1
    done
    echo "the $n nodes did not form one cluster" >&2
    exit 1
}

# fill: every node gets the same pairs (same seed) over TCP for $fill, in parallel; sets sent_lines
fill() {
    local i senders=()
    for ((i = 0; i < ${#syslog_ports[@]}; i++)); do
        java -XX:+UseSerialGC -jar "$jar" loadgen --protocol tcp --target "127.0.0.1:${syslog_ports[i]}" \
            --rate "$rate" --duration "$((fill * ${#syslog_ports[@]}))s" --clients 1000 --domains "$domains" --zipf 0 --pool "$pool" \
            >"$out/loadgen-$i.log" 2>&1 &
        senders+=("$!")
    done
    for i in "${senders[@]}"; do wait "$i"; done
    cat "$out"/loadgen-*.log >>"$out/loadgen.log"
    sent_lines=$(sed -n 's/^loadgen: sent \([0-9]*\) lines.*/\1/p' "$out"/loadgen-*.log |
        awk '{ s += $1 } END { print s + 0 }')
    rm -f "$out"/loadgen-*.log
}

api() { curl -sf "http://127.0.0.1:${http_ports[0]}/api/v1/$1"; }

# wait until the flushes have landed: every node counted every line sent to it (TCP loses none), nothing waits
# for the store, and the pair count held still for 10 s (evicted pairs take their counts along, so the query total
# is no measure)
settle() {
    local last=-1 now p i counted pending still=0
    for _ in $(seq 1 300); do
        for p in "${pids[@]}"; do
            kill -0 "$p" 2>/dev/null || { echo "a node stopped, see $out/routerlog-*.log" >&2; exit 1; }
        done
        counted=0
        pending=0
        for ((i = 0; i < ${#http_ports[@]}; i++)); do
            read -r c w < <(curl -sf "http://127.0.0.1:${http_ports[i]}/metrics" | awk '
                /^routerlog_syslog_messages_total/ { c += $NF }
                /^routerlog_store_pending_pairs / { w += $NF }
                END { printf "%.0f %.0f\n", c, w }') || true
            counted=$((counted + ${c:-0}))
            pending=$((pending + ${w:-1}))
        done
        now=$(api summary | jq '.pairs') || now=-2
        if [[ $counted -ge $sent_lines && $pending -eq 0 && $now == "$last" ]]; then
            still=$((still + 1))
            [[ $still -ge 5 ]] && return
        else
            still=0
        fi
        last=$now
        sleep 2
    done
    echo "the nodes counted $counted of $sent_lines lines, $pending pairs pending, after 600 s" >&2
    exit 1
}

hz=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of every node, in clock ticks
    local p sum=0
    for p in "${pids[@]}"; do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
    echo "$sum"
}

# time PATH: prints "median min max bytes cpu" over $runs requests after $warmup: times in ms, cpu the CPU time
# of all nodes per request in ms (less disturbed than the times by other work on the machine)
time_path() {
    local url="http://127.0.0.1:${http_ports[0]}/api/v1/$1" i times=() bytes c0 c1
    for ((i = 0; i < warmup; i++)); do curl -sf -o /dev/null "$url"; done
    c0=$(cpu_ticks)
    for ((i = 0; i < runs; i++)); do
        times+=("$(curl -sf -o /dev/null -w '%{time_total}' "$url")")
    done
    c1=$(cpu_ticks)
    bytes=$(curl -sf "$url" | wc -c)
    printf '%s\n' "${times[@]}" | sort -g | awk -v b="$bytes" -v c=$((c1 - c0)) -v hz="$hz" -v n="$runs" '
        { t[NR] = $1 * 1000 }
        END {
            printf "%.1f %.1f %.1f %d %.1f\n", (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2),
                t[1], t[NR], b, c * 1000 / hz / n
        }'
}

urlencode() { jq -rn --arg v "$1" '$v | @uri'; }

echo "nodes,pairs,query_log_entries,endpoint,median_ms,min_ms,max_ms,bytes,cpu_ms_per_request" >"$out/api.csv"
{
    echo "| Nodes | Endpoint | median ms | min ms | max ms | bytes | CPU ms per request (all nodes) |"
    echo "|---|---|---|---|---|---|---|"
} >"$out/api.rows"

log "API benchmark: $(nproc) CPUs, java: $(java -version 2>&1 | head -1); routerlog JVM: $java_opts"
log "offering about $pairs pairs (--max-pairs $max_pairs), --query-log-size $query_log, results in $out"
summary_lines=()
for n in "${node_counts[@]}"; do
    log "starting $n node(s)"
    start_cluster "$n"
    log "filling for $((fill * n)) s"
    fill
    settle
    held=$(api summary | jq '.pairs')
    clients_held=$(api summary | jq '.clients')
    entries=$(api "queries?limit=1" >/dev/null && echo "$((n * query_log))")
    log "$n node(s): $held pairs of $clients_held clients"
    summary_lines+=("- $n node(s): $held pairs, $clients_held clients, query log of $query_log entries per node")

    client=$(api "top/clients?limit=1" | jq -r '.items[0].client')
    router=$(api "top/clients?limit=1" | jq -r '.items[0].router')
    domain=$(api "top/domains?limit=1" | jq -r '.items[0].domain')
    part=${domain#*.}
    paths=(
        "overview"
        "top/domains"
        "top/domains?outcome=blocked"
        "top/domains?client=$(urlencode "$client")"
        "top/domains?router=$(urlencode "$router")"
        "top/clients"
        "top/clients?domain=$(urlencode "$domain")"
        "top/clients?router=$(urlencode "$router")"
        "queries"
        "queries?client=$(urlencode "$client")"
        "queries?domain=$(urlencode "$part")"
        "queries?qtype=AAAA"
        "queries?router=$(urlencode "$router")"
        "queries?domain=no-such-name.invalid"
    )
    # every endpoint warmed before any is measured: the first one measured would otherwise pay for what the fill
    # left behind (the compilers and collections of its aftermath), and the code of the others it shares
    for path in "${paths[@]}"; do
        for ((i = 0; i < warmup; i++)); do api "$path" >/dev/null; done
    done
    for path in "${paths[@]}"; do
        read -r median min max bytes cpu < <(time_path "$path")
        log "$n node(s) /api/v1/$path: median $median ms (min $min, max $max), $bytes bytes, $cpu CPU ms per request"
        echo "$n,$held,$entries,\"/api/v1/$path\",$median,$min,$max,$bytes,$cpu" >>"$out/api.csv"
        echo "| $n | \`/api/v1/$path\` | $median | $min | $max | $bytes | $cpu |" >>"$out/api.rows"
    done
    cleanup
done

{
    echo "# routerlog API response times"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(java -version 2>&1 | head -1), JVM options \`$java_opts\`;"
    echo "median of $runs requests after $warmup warm-up requests per endpoint, curl on 127.0.0.1."
    echo
    printf '%s\n' "${summary_lines[@]}"
    echo
    cat "$out/api.rows"
} >"$out/api.md"
rm -f "$out/api.rows"
log "done: $out/api.md"
cat "$out/api.md"
