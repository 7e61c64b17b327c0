#!/usr/bin/env bash
# What a cluster costs: CPU-seconds per million lines and flush cost of one, two and three routerlog nodes on this
# host, each node receiving its share of one stream over TCP, for several numbers of distinct pairs.
#
#   scripts/bench-cluster.sh [OUT_DIR]                 (results in OUT_DIR/results.md and OUT_DIR/cluster.csv)
#
# Environment (defaults in brackets):
#   CLUSTER_MEMBERS   node counts to measure; a count with an s (3s) is that many separate single nodes that
#                     share the stream without forming a cluster [1,2,3s,3]
#   CLUSTER_PAIRS     traffic shapes to measure, by the distinct pairs they give [1k,10k,100k]
#   CLUSTER_RATE      lines/s of the whole stream, split evenly over the nodes [150000]
#   CLUSTER_DURATION  length of each measured run [40s]
#   CLUSTER_WARMUP    length of the warm-up at the same rate and shape before each run [60s]
#   CLUSTER_REPEAT    runs of the whole table [1]
#   CLUSTER_NODE_ARGS more routerlog options for every node []
#   ROUTERLOG_JAR     jar to measure [target/routerlog.jar, built when missing]
#   BENCH_JAVA_OPTS   routerlog's JVM options [the README's, as scripts/routerlog starts it]
#
# For each (members, pairs) cell: fresh nodes on 127.0.0.1 that form one cluster (--cluster-members, one
# backup), a warm-up (CLUSTER_WARMUP, then 10 s on new connections), then one loadgen per node sending
# rate / members lines/s for the duration (loadgen writes about a millisecond's lines at once). Measured over the
# run: utime + stime of every node (/proc/PID/stat), summed, per million lines sent; each loadgen checks its node
# counted every line and query (--metrics), and the cluster-wide stored total (/api/v1/summary, queries) must grow
# by exactly the queries sent; the flush cost is each node's flush time and flush-thread CPU
# (routerlog_store_flush_time_seconds_total, routerlog_store_flush_cpu_seconds_total) over its flushes.
# The CPU is also split by thread (names from jcmd Thread.print, numbers folded: "hz.partition-operation.thread-#")
# into OUT_DIR/threads.csv and the results. The warm-up lets the JIT compilers settle at a third of the rate (a node
# that just started compiles for about 40 s at 50,000 lines/s) and through one reconnect, so compilation, a one-off
# cost that three nodes pay three times, is mostly not what a run measures; the compiler threads' share is in the
# breakdown. Separate nodes (3s) measure what the cluster cannot remove on this host: as many JVMs, each taking its
# share of the stream at its smaller rate, with no member, partition or backup work; their stored totals are summed.
# Nothing is pinned: the nodes and the senders share the CPUs, so compare cells of one run as ratios; the load
# average is written next to every cell.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d /tmp/routerlog-bench-cluster.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
IFS=, read -r -a member_counts <<<"${CLUSTER_MEMBERS:-1,2,3s,3}"
IFS=, read -r -a pair_shapes <<<"${CLUSTER_PAIRS:-1k,10k,100k}"
rate=${CLUSTER_RATE:-150000}
duration=${CLUSTER_DURATION:-40s}
warmup=${CLUSTER_WARMUP:-60s}
repeat=${CLUSTER_REPEAT:-1}
read -r -a node_args <<<"${CLUSTER_NODE_ARGS:-}"
# shellcheck source=scripts/java-opts.sh disable=SC1091
source "$root/scripts/java-opts.sh"
java_opts=${BENCH_JAVA_OPTS:-$(routerlog_java_opts)}

jar=${ROUTERLOG_JAR:-$root/target/routerlog.jar}
[[ -f "$jar" ]] || (cd "$root" && mvn -q -B -o -DskipTests package)
cp "$jar" "$out/routerlog.jar" # a rebuild during the run must not change what is measured
jar=$out/routerlog.jar
hz=$(getconf CLK_TCK)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/bench.log" >&2; }

used_ports=" "
free_port() { # a port free on 127.0.0.1 and not handed out before in this run
    local p ephemeral_low
    # below the kernel's ephemeral range: an outgoing connection (a cluster member's) cannot take it meanwhile
    ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    ((ephemeral_low > 11000)) || ephemeral_low=32768
    for _ in $(seq 1 200); do
        p=$((10000 + RANDOM % (ephemeral_low - 10000)))
        [[ $used_ports == *" $p "* ]] && continue
        if ! ss -Hlntu "sport = :$p" | grep -q .; then
            used_ports+="$p "
            echo "$p"
            return
        fi
    done
    echo "no free port" >&2
    exit 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of the process, in clock ticks
thread_names() { # thread_names PID: "TID NAME" for each Java thread, TID in decimal
    local nid name
    jcmd "$1" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".* nid=0x\([0-9a-f]*\).*/\2 \1/p' |
        while read -r nid name; do echo "$((16#$nid)) $name"; done
}
thread_ticks() { # thread_ticks PID: "TID TICKS" for each thread (utime + stime)
    local t
    for t in /proc/"$1"/task/*; do
        # a thread may end between the listing and the read (Hazelcast's cached threads come and go)
        sed 's/^.*) //' "$t/stat" 2>/dev/null | awk -v tid="${t##*/}" '{ print tid, $12 + $13 }' || true
    done
}
# by_thread NAMES BEFORE AFTER: "GROUP TICKS" per thread group, numbers folded, the instance name left out
by_thread() {
    awk 'FILENAME == ARGV[1] { id = $1; $1 = ""; sub(/^ /, ""); names[id] = $0; next }
        FILENAME == ARGV[2] { before[$1] = $2; next }
        {
            g = ($1 in names) ? names[$1] : "(ended or unnamed)"
            sub(/^hz\.[^.]*\./, "hz.", g); sub(/@.*/, "", g); gsub(/[0-9]+/, "#", g); gsub(/[ ,|]/, "_", g)
            ticks[g] += $2 - before[$1]
        }
        END { for (g in ticks) if (ticks[g] > 0) print g, ticks[g] }' "$1" "$2" "$3"
}
metric() { # metric URL NAME-PREFIX: the sum of the series starting with it
    curl -sf "$1" | awk -v p="$2" 'index($0, p) == 1 { s += $NF } END { printf "%.6f\n", s }'
}
stored_queries() { curl -sf "$1/api/v1/summary" | sed -n 's/.*"queries":\([0-9]*\).*/\1/p'; }
# the queries stored: the cluster's total, asked of its first node; the sum over separate nodes
stored_total() {
    local i sum=0 q
    for ((i = 0; i < ${#apis[@]}; i++)); do
        q=$(stored_queries "${apis[$i]}")
        sum=$((sum + ${q:-0}))
    done
    echo "$sum"
}
stored_pairs() { curl -sf "$1/api/v1/summary" | sed -n 's/.*"pairs":\([0-9]*\).*/\1/p'; }

# loadgen options for a shape: uniform popularity; the pool bounds the distinct pairs of the large one
shape_args() {
    case $1 in
        1k) echo "--clients 20 --domains 25 --zipf 0" ;;
        10k) echo "--clients 100 --domains 50 --zipf 0" ;;
        100k) echo "--clients 1000 --domains 200000 --zipf 0 --pool 262144" ;;
        *) echo "unknown CLUSTER_PAIRS shape $1 (1k, 10k, 100k)" >&2; exit 1 ;;
    esac
}

pids=()
loadgen_pids=$out/loadgen.pids # loadgens run in subshells: their ids go through a file
: >"$loadgen_pids"
cleanup() {
    local p
    while read -r p; do kill "$p" 2>/dev/null || true; done <"$loadgen_pids"
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
    : >"$loadgen_pids"
}
trap cleanup EXIT

node_pids=()
node_syslog=()
node_http=()
apis=()
# start_nodes N [separate]: N nodes forming one cluster, or N single nodes; fills node_pids, node_syslog, node_http
# and apis (the URLs whose stored totals add up to the whole stream's)
start_nodes() {
    local n=$1 separate=${2:-} i members="" cluster_ports=() name want=$1 cluster_args
    name="bench-cluster-$$-$RANDOM"
    node_pids=()
    node_syslog=()
    node_http=()
    apis=()
    [[ -n $separate ]] && want=1
    for ((i = 0; i < n; i++)); do cluster_ports+=("$(free_port)"); done
    for ((i = 0; i < n; i++)); do members+="${members:+,}127.0.0.1:${cluster_ports[$i]}"; done
    for ((i = 0; i < n; i++)); do
        node_syslog+=("$(free_port)")
        node_http+=("$(free_port)")
        cluster_args=(--cluster-port "${cluster_ports[$i]}" --cluster-name "$name" --cluster-members "$members")
        [[ -n $separate ]] && cluster_args=()
        # shellcheck disable=SC2086
        env -u ROUTERLOG_JAR java $java_opts -jar "$jar" --listen-address 127.0.0.1 --http-address 127.0.0.1 \
            --syslog-port "${node_syslog[$i]}" --http-port "${node_http[$i]}" "${cluster_args[@]}" \
            --max-pairs 400000 --log-level warn "${node_args[@]}" >"$out/node-$n$separate-$i.log" 2>&1 &
        node_pids+=("$!")
        pids+=("$!")
    done
    for ((i = 0; i < n; i++)); do
        for _ in $(seq 1 1200); do
            [[ $(metric "http://127.0.0.1:${node_http[$i]}/metrics" routerlog_cluster_members 2>/dev/null) == "$want.000000" ]] &&
                break
            kill -0 "${node_pids[$i]}" 2>/dev/null || { cat "$out/node-$n$separate-$i.log" >&2; exit 1; }
            sleep 0.1
        done
    done
    if [[ -n $separate ]]; then
        for ((i = 0; i < n; i++)); do apis+=("http://127.0.0.1:${node_http[$i]}"); done
    else
        apis=("http://127.0.0.1:${node_http[0]}")
    fi
}

loadgen() { java -XX:+UseSerialGC -jar "$jar" loadgen "$@"; }

# sends rate / n lines/s to each of the n nodes for $2; prints "lines queries ok" (ok: every loadgen's check passed)
send_all() {
    local n=$1 dur=$2 shape=$3 check=$4 i lg=() lines=0 queries=0 ok=1 s q
    local per=$((rate / n))
    for ((i = 0; i < n; i++)); do
        # shellcheck disable=SC2046
        loadgen --protocol tcp --target "127.0.0.1:${node_syslog[$i]}" --rate "$per" --duration "$dur" \
            $(shape_args "$shape") ${check:+--metrics "http://127.0.0.1:${node_http[$i]}/metrics"} \
            >"$out/loadgen-$i.out" 2>/dev/null &
        lg+=("$!")
        echo "$!" >>"$loadgen_pids"
    done
    for ((i = 0; i < n; i++)); do
        wait "${lg[$i]}" || ok=0
        read -r s q < <(sed -n 's/^loadgen: sent \([0-9]*\) lines (\([0-9]*\) queries).*/\1 \2/p' "$out/loadgen-$i.out")
        lines=$((lines + s))
        queries=$((queries + q))
    done
    echo "$lines $queries $ok"
}

# waits until the stored total reaches $1 (or stops moving for 5 s); prints it
wait_stored() {
    local want=$1 last=-1 now still=0
    for _ in $(seq 1 300); do
        now=$(stored_total)
        [[ $now == "$want" ]] && break
        if [[ $now == "$last" ]]; then
            still=$((still + 1))
            ((still >= 25)) && break
        else
            still=0
        fi
        last=$now
        sleep 0.2
    done
    echo "$now"
}

echo "round,members,shape,pairs,lines,seconds,cpu_s,cpu_s_per_million,loadgen_ok,stored_ok,flushes,flush_ms_mean,flush_cpu_ms_mean,load1" \
    >"$out/cluster.csv"
echo "round,members,shape,threads,cpu_s" >"$out/threads.csv"

members_text() { [[ $1 == *s ]] && echo "${1%s} separate nodes" || echo "$1 member(s)"; }

measure_cell() { # measure_cell ROUND MEMBERS SHAPE (MEMBERS: a count, or a count and s for separate nodes)
    local round=$1 members=$2 shape=$3 n=${2%s} separate="" i c0=0 c1=0 t0 t1 lines queries ok stored0 stored1 pairs
    local f0=() f1=() ft0=() ft1=() fc0=() fc1=() flushes=0 ftime=0 fcpu=0
    [[ $members == *s ]] && separate=s
    start_nodes "$n" "$separate"
    # The warm-up goes through what starts the run once already (senders disconnect, the cluster settles, new
    # senders connect and the checks scrape): the first time, each node throws away much of the code it compiled for
    # an unchanging stream and compiles it again. A router keeps its connection; that is not what a run measures.
    send_all "$n" "$warmup" "$shape" check >/dev/null
    sleep 2
    wait_stored -1 >/dev/null
    send_all "$n" 10s "$shape" check >/dev/null
    sleep 2
    stored0=$(wait_stored -1)
    for ((i = 0; i < n; i++)); do
        thread_names "${node_pids[$i]}" >"$out/names-$i" # before the CPU is read: an attach costs the node CPU
    done
    for ((i = 0; i < n; i++)); do
        local m="http://127.0.0.1:${node_http[$i]}/metrics"
        thread_ticks "${node_pids[$i]}" >"$out/ticks0-$i"
        f0[i]=$(metric "$m" routerlog_store_flushes_total)
        ft0[i]=$(metric "$m" routerlog_store_flush_time_seconds_total)
        fc0[i]=$(metric "$m" routerlog_store_flush_cpu_seconds_total)
        c0=$((c0 + $(cpu_ticks "${node_pids[$i]}")))
    done
    t0=$(date +%s%N)
    read -r lines queries ok < <(send_all "$n" "$duration" "$shape" check)
    stored1=$(wait_stored $((stored0 + queries)))
    t1=$(date +%s%N)
    for ((i = 0; i < n; i++)); do
        local m="http://127.0.0.1:${node_http[$i]}/metrics"
        c1=$((c1 + $(cpu_ticks "${node_pids[$i]}")))
        thread_ticks "${node_pids[$i]}" >"$out/ticks1-$i"
        f1[i]=$(metric "$m" routerlog_store_flushes_total)
        ft1[i]=$(metric "$m" routerlog_store_flush_time_seconds_total)
        fc1[i]=$(metric "$m" routerlog_store_flush_cpu_seconds_total)
        flushes=$(awk -v a="$flushes" -v b="${f0[i]}" -v c="${f1[i]}" 'BEGIN { print a + c - b }')
        ftime=$(awk -v a="$ftime" -v b="${ft0[i]}" -v c="${ft1[i]}" 'BEGIN { print a + c - b }')
        fcpu=$(awk -v a="$fcpu" -v b="${fc0[i]}" -v c="${fc1[i]}" 'BEGIN { print a + c - b }')
    done
    pairs=$(stored_pairs "${apis[0]}")
    for ((i = 0; i < n; i++)); do by_thread "$out/names-$i" "$out/ticks0-$i" "$out/ticks1-$i"; done |
        awk -v r="$round" -v n="$members" -v s="$shape" -v hz="$hz" '{ t[$1] += $2 }
            END { for (g in t) printf "%s,%s,%s,%s,%.2f\n", r, n, s, g, t[g] / hz }' |
        sort -t, -k5,5gr >>"$out/threads.csv"
    local load1 stored_ok=0
    load1=$(cut -d' ' -f1 /proc/loadavg)
    [[ $((stored1 - stored0)) == "$queries" ]] && stored_ok=1
    awk -v r="$round" -v n="$members" -v s="$shape" -v p="$pairs" -v l="$lines" -v t0="$t0" -v t1="$t1" \
        -v c="$((c1 - c0))" -v hz="$hz" -v ok="$ok" -v sok="$stored_ok" -v f="$flushes" -v ft="$ftime" \
        -v fc="$fcpu" -v load="$load1" 'BEGIN {
            cpu = c / hz
            printf "%s,%s,%s,%s,%s,%.1f,%.2f,%.3f,%s,%s,%d,%.1f,%.1f,%s\n", r, n, s, p, l, (t1 - t0) / 1e9, cpu,
                cpu / (l / 1e6), ok, sok, f, (f > 0 ? ft * 1000 / f : 0), (f > 0 ? fc * 1000 / f : 0), load
        }' | tee -a "$out/cluster.csv" >&2
    if [[ $ok != 1 || $stored_ok != 1 ]]; then
        log "counts NOT exact: members $members, $shape: stored grew by $((stored1 - stored0)), sent $queries queries"
    fi
    cleanup
}

log "routerlog cluster benchmark: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r))"
log "java: $(java -version 2>&1 | head -1); routerlog JVM: $java_opts; extra node options: ${node_args[*]:-none}"
log "stream: $rate lines/s over TCP for $duration after $warmup of warm-up; results in $out"
for ((round = 1; round <= repeat; round++)); do
    for shape in "${pair_shapes[@]}"; do
        for n in "${member_counts[@]}"; do
            log "round $round: $(members_text "$n"), $shape pairs"
            measure_cell "$round" "$n" "$shape"
        done
    done
done

# the table, and per shape the cluster's CPU per million lines over the single node's (medians over rounds)
{
    echo "# routerlog cluster benchmark"
    echo
    echo "$(date -u +%F' '%H:%M) UTC, $(nproc) CPUs, $rate lines/s in total over TCP, $duration per run, JVM: $java_opts"
    echo
    echo "Members: a cluster of that many nodes; 3s: three separate single nodes sharing the stream."
    echo
    echo "| round | members | shape | stored pairs | lines | CPU-s | CPU-s per million lines | counts exact | flushes | mean flush (ms) | flush-thread CPU per flush (ms) | load |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    tail -n +2 "$out/cluster.csv" | awk -F, '{
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $7, $8,
            ($9 == 1 && $10 == 1) ? "yes" : "NO", $11, $12, $13, $14 }'
    echo
    echo "CPU-s by thread group, summed over the nodes (groups of at least 1 % of a cell's CPU):"
    echo
    echo "| round | members | shape | thread group | CPU-s |"
    echo "|---|---|---|---|---|"
    tail -n +2 "$out/threads.csv" | awk -F, '
        NR == FNR { total[$1 "," $2 "," $3] += $5; next }
        $5 >= total[$1 "," $2 "," $3] / 100 { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' \
        - <(tail -n +2 "$out/threads.csv")
    echo
    echo "Ratios of CPU-s per million lines to one node's (median over rounds):"
    echo
    tail -n +2 "$out/cluster.csv" | sort -t, -k3,3 -k2,2n -k8,8n | awk -F, '
        { key = $3 "," $2; v[key, ++cnt[key]] = $8; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
        END {
            for (i = 1; i <= k; i++) {
                key = order[i]; m = cnt[key]
                med[key] = (m % 2) ? v[key, (m + 1) / 2] : (v[key, m / 2] + v[key, m / 2 + 1]) / 2
            }
            for (i = 1; i <= k; i++) {
                split(order[i], a, ","); one = med[a[1] ",1"]
                who = (a[2] ~ /s$/) ? substr(a[2], 1, length(a[2]) - 1) " separate nodes" : a[2] " member(s)"
                sep = (a[2] ~ /s$/) ? 0 : med[a[1] "," a[2] "s"]
                printf "- %s pairs, %s: %.3f CPU-s per million lines%s%s\n", a[1], who, med[order[i]], \
                    (one > 0 ? sprintf(", %.2fx one node", med[order[i]] / one) : ""), \
                    (sep > 0 ? sprintf(", %.2fx %s separate nodes", med[order[i]] / sep, a[2]) : "")
            }
        }'
} >"$out/results.md"
cat "$out/results.md"
