#!/usr/bin/env bash
# Throughput, CPU, memory and scrape benchmark of routerlog, side by side with rsyslog as the reference receiver.
#
#   scripts/bench.sh [OUT_DIR]                                  (results in OUT_DIR/results.md and OUT_DIR/*.csv)
#
# Environment (defaults in brackets):
#   BENCH_UDP_RATES   datagrams/s stepped for both receivers [50000,100000,200000,300000]
#   BENCH_UDP_BUFFERS socket receive buffers the steps are run with, each for both receivers [208k,1m,2m]: the
#                     kernel's default cap (net.core.rmem_max), and two that a sysctl or CAP_NET_ADMIN allows;
#                     set with SO_RCVBUFFORCE, so the benchmark needs root
#   BENCH_STEP        length of each UDP step [20s]
#   BENCH_WARMUP      UDP warm-up of each fresh routerlog at 100,000 datagrams/s before its steps [10s]: a new
#                     node's first seconds create its pairs (longer collections while they settle in the heap)
#   BENCH_SEARCH_RATE the rate of the smallest-lossless-buffer search [200000]; 0 skips the search
#   BENCH_SEARCH_STEP how long each buffer of the search must stay lossless [60s]
#   BENCH_SEARCH_BUFFERS the buffers tried, smallest first, until one is lossless [128k,256k,512k,1m,2m,4m,8m]
#   BENCH_TCP_STEP    length of each TCP run [15s]
#   BENCH_TCP_RATE    the fixed TCP rate that must be sustained with exact counts [1000000]
#   BENCH_TCP_ROUNDS  rounds of TCP as fast as possible, each receiver once per round, both running, alternating
#                     [3]; the ratio is that of the medians (one run of each swings by 10-20 % on a noisy host)
#   BENCH_RSYSLOG     0 to skip rsyslog [1]
#   BENCH_SCRAPE      0 to skip the /metrics scrape phase [1]
#   BENCH_MEMORY      length of the memory phase (new pairs as fast as taken, --max-pairs 100000) [240s]; 0 skips it
#   BENCH_API         0 to skip the API measurements of scripts/bench-api.sh (one node and three) [1]
#   BENCH_CLUSTER     0 to skip the cluster measurements of scripts/bench-cluster.sh [1]
#   ROUTERLOG_JAR     jar to measure [target/routerlog.jar, built when missing]
#   BENCH_JAVA_OPTS   routerlog's JVM options [the README's, as scripts/routerlog starts it]
#
# routerlog's stop-the-world pauses are logged (-Xlog:safepoint) during the UDP steps: the longest is reported as
# the longest time its receive threads were stopped.
#
# With two or more CPUs the sender runs on CPU 0 and the receiver (routerlog or rsyslog) on CPU 1 (taskset).
# A UDP step counts as lossless when the receiver counted every datagram sent AND the kernel's UDP RcvbufErrors
# (/proc/net/snmp, system-wide: run on a quiet machine) did not grow. Stepping stops after two lossy steps.
# Everything runs on 127.0.0.1; rsyslog runs with a throw-away config in OUT_DIR, never the system one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$(mktemp -d /tmp/routerlog-bench.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
IFS=, read -r -a udp_rates <<<"${BENCH_UDP_RATES:-50000,100000,200000,300000}"
IFS=, read -r -a udp_buffers <<<"${BENCH_UDP_BUFFERS:-208k,1m,2m}"
step=${BENCH_STEP:-20s}
warmup=${BENCH_WARMUP:-10s}
search_rate=${BENCH_SEARCH_RATE:-200000}
search_step=${BENCH_SEARCH_STEP:-60s}
IFS=, read -r -a search_buffers <<<"${BENCH_SEARCH_BUFFERS:-128k,256k,512k,1m,2m,4m,8m}"
udp_buffer=128m   # the main node's (routerlog's default); the UDP steps set their own
tcp_step=${BENCH_TCP_STEP:-15s}
tcp_rate=${BENCH_TCP_RATE:-1000000}
tcp_rounds=${BENCH_TCP_ROUNDS:-3}
# shellcheck source=scripts/java-opts.sh disable=SC1091
source "$root/scripts/java-opts.sh"
java_opts=${BENCH_JAVA_OPTS:-$(routerlog_java_opts)}

# shellcheck source=scripts/bench-lib.sh disable=SC1091
source "$root/scripts/bench-lib.sh"
jar=$(bench_jar "$root" "$out")

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    send_on=(taskset -c 0)
    recv_on=(taskset -c 1)
    pinning="sender on CPU 0, receiver on CPU 1"
else
    send_on=()
    recv_on=()
    pinning="not pinned ($(nproc) CPU)"
fi

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$out/bench.log" >&2; }

rcvbuf_errors() { awk '/^Udp:/ { if (++n == 2) print $6 }' /proc/net/snmp; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime of the process, in clock ticks
hz=$(getconf CLK_TCK)
peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
metric() { # metric URL NAME-PREFIX: the sum of the series starting with it
    curl -sf "$1" | awk -v p="$2" 'index($0, p) == 1 { s += $NF } END { printf "%.0f\n", s }'
}
loadgen() { "${send_on[@]}" java -XX:+UseSerialGC -jar "$jar" loadgen "$@"; }

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---- routerlog -----------------------------------------------------------------------------------------------
bytes_of() { # 208k, 1m, 4096: bytes
    awk -v v="$1" 'BEGIN { n = v + 0; u = tolower(substr(v, length(v))); if (u == "k") n *= 1024; if (u == "m") n *= 1048576; printf "%d\n", n }'
}
rl_pid=""
start_routerlog() { # start_routerlog NAME MAX_PAIRS [BUFFER]: sets rl_pid, rl_syslog, rl_http, startup_ms
    local name=$1 max_pairs=$2 buffer=${3:-$udp_buffer} t0 t1
    rl_syslog=$(free_port)
    rl_http=$(free_port)
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    env -u ROUTERLOG_JAR "${recv_on[@]}" java $java_opts -Xlog:safepoint:file="$out/safepoints-$name.log" -jar "$jar" \
        --listen-address 127.0.0.1 --http-address 127.0.0.1 \
        --syslog-port "$rl_syslog" --http-port "$rl_http" --cluster-port "$(free_port)" --cluster-name "bench-$$" \
        --max-pairs "$max_pairs" --udp-receive-buffer "$(bytes_of "$buffer")" --log-level warn \
        >"$out/routerlog-$name.log" 2>&1 &
    rl_pid=$!
    pids+=("$rl_pid")
    for _ in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$rl_http/healthz" >/dev/null && break
        kill -0 "$rl_pid" 2>/dev/null || { cat "$out/routerlog-$name.log" >&2; exit 1; }
        sleep 0.05
    done
    t1=$(date +%s%N)
    startup_ms=$(( (t1 - t0) / 1000000 ))
    metrics="http://127.0.0.1:$rl_http/metrics"
}
stop_routerlog() { kill "$rl_pid"; wait "$rl_pid" 2>/dev/null || true; }
warm_routerlog() { # let C2 compile the receive paths first (it ran for seconds of the first UDP step otherwise)
    loadgen --protocol tcp --target "127.0.0.1:$rl_syslog" --rate 0 --duration 5s --clients 50 --domains 500 >/dev/null 2>&1
    loadgen --protocol udp --target "127.0.0.1:$rl_syslog" --rate 100000 --duration "$warmup" --clients 50 \
        --domains 500 >/dev/null 2>&1
}
# the longest stop-the-world pause in a safepoint log from line FROM on, in ms ("Total: N ns" per safepoint)
longest_pause_ms() {
    awk -v from="$2" 'NR >= from { for (i = 1; i < NF; i++) if ($i == "Total:") { v = $(i + 1) + 0; if (v > m) m = v } }
        END { printf "%.1f\n", m / 1e6 }' "$1"
}
log_lines() { wc -l <"$1" 2>/dev/null || echo 0; }

log "routerlog benchmark: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r)), $pinning"
log "java: $(java -version 2>&1 | head -1); routerlog JVM: $java_opts; results in $out"

echo "receiver,buffer,protocol,rate,seconds,sent,received,lost,rcvbuf_errors,cpu_s_per_million" >"$out/steps.csv"

# one UDP or TCP step against routerlog; prints "sent received rcvbuf_delta cpu_s_per_million achieved_rate"
routerlog_step() {
    local proto=$1 rate=$2 dur=$3 e0 e1 c0 c1 res sent received achieved
    e0=$(rcvbuf_errors); c0=$(cpu_ticks "$rl_pid")
    res=$(loadgen --protocol "$proto" --target "127.0.0.1:$rl_syslog" --rate "$rate" --duration "$dur" \
        --clients 50 --domains 500 --metrics "$metrics" 2>/dev/null || true)
    e1=$(rcvbuf_errors); c1=$(cpu_ticks "$rl_pid")
    sent=$(sed -n 's/^loadgen: receiver counted [0-9]* of \([0-9]*\) lines.*/\1/p' <<<"$res")
    received=$(sed -n 's/^loadgen: receiver counted \([0-9]*\) of.*/\1/p' <<<"$res")
    achieved=$(sed -n 's/^loadgen: sent .* s, \([0-9]*\) lines\/s/\1/p' <<<"$res")
    exact=$(grep -Eq 'and ([0-9]+) of \1 queries' <<<"$res" && echo yes || echo no)
    echo "$sent $received $((e1 - e0)) $(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$received" \
        'BEGIN { printf "%.2f", (n > 0 ? c / hz / n * 1e6 : 0) }') $achieved $exact"
}

udp_sweep() { # udp_sweep NAME BUFFER STEP-FUNCTION: prints the highest lossless rate
    local name=$1 buffer=$2 fn=$3 best=0 lossy=0 r sent received errs cpu achieved exact
    for r in "${udp_rates[@]}"; do
        read -r sent received errs cpu achieved exact < <($fn udp "$r" "$step")
        local lost=$((sent - received))
        log "$name udp $r/s for $step, buffer $buffer: sent $sent, received $received, lost $lost, kernel RcvbufErrors +$errs, $cpu CPU-s per million"
        echo "$name,$buffer,udp,$r,${step%s},$sent,$received,$lost,$errs,$cpu" >>"$out/steps.csv"
        if [[ $lost -eq 0 && $errs -eq 0 && $sent -gt 0 ]]; then
            best=$r; lossy=0
        else
            lossy=$((lossy + 1))
            [[ $lossy -ge 2 ]] && break
        fi
    done
    echo "$best"
}

# UDP steps with each buffer: a fresh node each time, so one buffer's backlog never spills into the next
declare -A rl_udp_best rl_udp_pause rs_udp_best
for buffer in "${udp_buffers[@]}"; do
    start_routerlog "udp-$buffer" 100000 "$buffer"
    warm_routerlog
    from=$(($(log_lines "$out/safepoints-udp-$buffer.log") + 1))
    rl_udp_best[$buffer]=$(udp_sweep routerlog "$buffer" routerlog_step)
    rl_udp_pause[$buffer]=$(longest_pause_ms "$out/safepoints-udp-$buffer.log" "$from")
    log "routerlog, buffer $buffer: highest lossless UDP rate ${rl_udp_best[$buffer]} datagrams/s; longest pause ${rl_udp_pause[$buffer]} ms"
    stop_routerlog
done

start_routerlog main 100000
main_startup_ms=$startup_ms
log "routerlog healthy $startup_ms ms after start"
warm_routerlog

read -r sent received errs rl_tcp_cpu achieved exact < <(routerlog_step tcp "$tcp_rate" "$tcp_step")
rl_tcp_fixed="$achieved lines/s offered $tcp_rate, sent $sent, received $received, queries exact: $exact"
log "routerlog tcp at $tcp_rate/s for $tcp_step: $rl_tcp_fixed, $rl_tcp_cpu CPU-s per million"
echo "routerlog,,tcp,$tcp_rate,${tcp_step%s},$sent,$received,$((sent - received)),,$rl_tcp_cpu" >>"$out/steps.csv"
read -r sent received errs rl_tcpmax_cpu rl_tcp_max exact < <(routerlog_step tcp 0 "$tcp_step")
log "routerlog tcp as fast as possible for $tcp_step: $rl_tcp_max lines/s, sent $sent, received $received, queries exact: $exact, $rl_tcpmax_cpu CPU-s per million"
echo "routerlog,,tcp,max,${tcp_step%s},$sent,$received,$((sent - received)),,$rl_tcpmax_cpu" >>"$out/steps.csv"
rl_tcp_exact=$exact
rl_rss=$(peak_rss_kib "$rl_pid")
log "routerlog peak RSS $((rl_rss / 1024)) MiB"
stop_routerlog

# ---- /metrics with 10k and 100k series, and ingestion during scrapes --------------------------------------------
scrape_ms() { # median of 5 scrapes, in ms
    for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$1"; done \
        | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f\n", a[3] * 1000 }'
}
if [[ ${BENCH_SCRAPE:-1} != 0 ]]; then
    start_routerlog scrape 150000
    metrics="http://127.0.0.1:$rl_http/metrics"
    # uniform popularity over many names: nearly every query line is a new pair; --pool lines give ~pool/2.6 pairs
    loadgen --protocol tcp --target "127.0.0.1:$rl_syslog" --rate 0 --duration 3s --clients 1000 --domains 200000 \
        --zipf 0 --pool 26000 --metrics "$metrics" >/dev/null 2>&1 || true
    sleep 2
    s10k=$(metric "$metrics" "routerlog_dns_pairs ")
    scrape10k=$(scrape_ms "$metrics")
    log "scrape with $s10k series: median ${scrape10k} ms"
    loadgen --protocol tcp --target "127.0.0.1:$rl_syslog" --rate 0 --duration 5s --clients 1000 --domains 200000 \
        --zipf 0 --pool 262144 --seed 2 --metrics "$metrics" >/dev/null 2>&1 || true
    sleep 2
    s100k=$(metric "$metrics" "routerlog_dns_pairs ")
    scrape100k=$(scrape_ms "$metrics")
    log "scrape with $s100k series: median ${scrape100k} ms"
    # ingestion while scraping back to back: UDP at a moderate rate, the same (known) pairs; loss means a stall
    ( end=$((SECONDS + 10)); while [[ $SECONDS -lt $end ]]; do
        curl -s -o /dev/null -w '%{time_total}\n' "$metrics"; done >"$out/scrapes-under-load.txt" ) &
    scraper=$!
    e0=$(rcvbuf_errors)
    res=$(loadgen --protocol udp --target "127.0.0.1:$rl_syslog" --rate 50000 --duration 10s --clients 1000 \
        --domains 200000 --zipf 0 --pool 262144 --seed 2 --metrics "$metrics" 2>/dev/null || true)
    e1=$(rcvbuf_errors)
    wait "$scraper"
    scrape_lost=$(sed -n 's/.*(\([0-9-]*\) lost).*/\1/p' <<<"$res")
    scrapes_n=$(wc -l <"$out/scrapes-under-load.txt")
    scrape_load_ms=$(sort -n "$out/scrapes-under-load.txt" | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] * 1000 }')
    log "UDP 50000/s for 10 s during $scrapes_n back-to-back scrapes (median ${scrape_load_ms} ms): lost $scrape_lost, kernel RcvbufErrors +$((e1 - e0))"
    # the scrapes above come from a node whose compilers are still at work on the scrape path, on the same CPU;
    # a node scraped every 15 s for half an hour has served as many as these: then five more, and the young and
    # full collections the 100 took (jstat's YGC and FGC columns)
    gcs() { jstat -gc "$rl_pid" 2>/dev/null | awk 'NR == 2 { for (i = 1; i <= NF; i++) if (h[i] == "YGC") y = $i; else if (h[i] == "FGC") f = $i; print y + 0, f + 0 } NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i }'; }
    ygc0=0 fgc0=0 ygc1=0 fgc1=0
    read -r ygc0 fgc0 < <(gcs) || true
    for _ in $(seq 1 100); do curl -s -o /dev/null "$metrics"; done
    read -r ygc1 fgc1 < <(gcs) || true
    scrape_warm_gcs="$((ygc1 - ygc0)) young, $((fgc1 - fgc0)) full"
    scrape100k_warm=$(scrape_ms "$metrics")
    log "scrape with $s100k series after 100 more: median ${scrape100k_warm} ms; collections during the 100: $scrape_warm_gcs"
    scrape_rss=$(peak_rss_kib "$rl_pid")
    stop_routerlog
fi

# ---- memory: an unbounded stream of new pairs into --max-pairs 100000 ------------------------------------------
mem_dur=${BENCH_MEMORY:-240s}
if [[ $mem_dur != 0 ]]; then
    start_routerlog memory 100000
    metrics="http://127.0.0.1:$rl_http/metrics"
    # RSS and the store's size every 10 s while loadgen renames every domain on each pass over its pool
    ( while kill -0 "$rl_pid" 2>/dev/null; do
        printf '%s %s %s\n' "$SECONDS" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$rl_pid/status" 2>/dev/null)" \
            "$(curl -s -m 10 "$metrics" | awk '/^routerlog_dns_pairs / { p = $2 } /^routerlog_dns_pairs_evicted_total / { e = $2 } END { print p + 0, e + 0 }')"
        sleep 10
    done >"$out/memory.txt" ) &
    sampler=$!
    res=$(loadgen --protocol tcp --target "127.0.0.1:$rl_syslog" --rate 0 --duration "$mem_dur" --clients 1000 \
        --domains 1000000 --zipf 0 --distinct --metrics "$metrics" 2>/dev/null || true)
    mem_queries=$(sed -n 's/^loadgen: sent [0-9]* lines (\([0-9]*\) queries).*/\1/p' <<<"$res")
    mem_rate=$(sed -n 's/^loadgen: sent .* s, \([0-9]*\) lines\/s/\1/p' <<<"$res")
    mem_exact=$(grep -Eq 'and ([0-9]+) of \1 queries' <<<"$res" && echo yes || echo no)
    mem_peak=$(peak_rss_kib "$rl_pid")
    mem_pairs=$(metric "$metrics" "routerlog_dns_pairs ")
    mem_evicted=$(metric "$metrics" "routerlog_dns_pairs_evicted_total")
    stop_routerlog
    wait "$sampler" 2>/dev/null || true
    # RSS once the store first held 99 % of the bound, and at the end
    mem_at_bound=$(awk '$3 >= 99000 { print $2; exit }' "$out/memory.txt")
    mem_last=$(awk 'NF == 4 && $2 != "" { r = $2 } END { print r }' "$out/memory.txt")
    log "memory: $mem_queries queries (new pairs) offered at $mem_rate lines/s, counted exactly: $mem_exact; store $mem_pairs pairs, $mem_evicted evicted; RSS at the bound $((${mem_at_bound:-0} / 1024)) MiB, at the end $((${mem_last:-0} / 1024)) MiB, peak $((mem_peak / 1024)) MiB"
fi

# ---- rsyslog, the reference receiver ----------------------------------------------------------------------------
have_rsyslog=0
if [[ ${BENCH_RSYSLOG:-1} != 0 ]] && command -v rsyslogd >/dev/null; then
    have_rsyslog=1
fi
rs_dir=$out/rsyslog
rs_pid=""
start_rsyslog() { # start_rsyslog BUFFER: a throw-away rsyslog on loopback that counts and discards
    local buffer=$1
    mkdir -p "$rs_dir"
    rm -f "$rs_dir/stats.json"
    rs_udp=$(free_port)
    rs_tcp=$(free_port)
    cat >"$rs_dir/rsyslog.conf" <<EOF2
# throw-away configuration: receive on loopback, count, discard
global(workDirectory="$rs_dir")
module(load="impstats" interval="1" format="json" log.syslog="off" log.file="$rs_dir/stats.json" resetCounters="off")
module(load="imudp" batchSize="32")
module(load="imptcp")
input(type="imudp" address="127.0.0.1" port="$rs_udp" rcvbufSize="$(bytes_of "$buffer")" ruleset="discard")
input(type="imptcp" address="127.0.0.1" port="$rs_tcp" ruleset="discard")
ruleset(name="discard") { stop }
# rsyslog insists on one action: its own messages go to a file; the benchmark's go nowhere
action(type="omfile" file="$rs_dir/rsyslogd-internal.log")
EOF2
    "${recv_on[@]}" rsyslogd -n -f "$rs_dir/rsyslog.conf" -i "$rs_dir/rsyslogd.pid" >"$rs_dir/rsyslogd.log" 2>&1 &
    rs_pid=$!
    pids+=("$rs_pid")
    sleep 2
    kill -0 "$rs_pid" || { cat "$rs_dir/rsyslogd.log" >&2; exit 1; }
    rsyslog_step udp 50000 3s >/dev/null   # warm-up
}
stop_rsyslog() { kill "$rs_pid"; wait "$rs_pid" 2>/dev/null || true; }
rs_submitted() { # messages rsyslog's input NAME (imudp / imptcp) has taken, from the last impstats line
    grep "\"origin\": \"$1\"" "$rs_dir/stats.json" 2>/dev/null | grep "\"submitted\"" | tail -n 1 \
        | sed -n 's/.*"submitted": \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}
rsyslog_step() {
    local proto=$1 rate=$2 dur=$3 e0 e1 c0 c1 res sent n0 n1 last achieved input
    input=$([[ $proto == udp ]] && echo imudp || echo imptcp)
    e0=$(rcvbuf_errors); c0=$(cpu_ticks "$rs_pid"); n0=$(rs_submitted "$input")
    res=$(loadgen --protocol "$proto" --target "127.0.0.1:$([[ $proto == udp ]] && echo "$rs_udp" || echo "$rs_tcp")" \
        --rate "$rate" --duration "$dur" --clients 50 --domains 500 2>/dev/null || true)
    # wait until rsyslog's count stops moving (impstats writes every second)
    last=-1; n1=$(rs_submitted "$input")
    for _ in $(seq 1 30); do
        sleep 1.2
        last=$n1; n1=$(rs_submitted "$input")
        [[ $n1 -eq $last ]] && break
    done
    e1=$(rcvbuf_errors); c1=$(cpu_ticks "$rs_pid")
    sent=$(sed -n 's/^loadgen: sent \([0-9]*\) lines.*/\1/p' <<<"$res")
    achieved=$(sed -n 's/^loadgen: sent .* s, \([0-9]*\) lines\/s/\1/p' <<<"$res")
    echo "$sent $((n1 - n0)) $((e1 - e0)) $(awk -v c=$((c1 - c0)) -v hz="$hz" -v n=$((n1 - n0)) \
        'BEGIN { printf "%.2f", (n > 0 ? c / hz / n * 1e6 : 0) }') $achieved -"
}
if [[ $have_rsyslog == 1 ]]; then
    for buffer in "${udp_buffers[@]}"; do
        start_rsyslog "$buffer"
        rs_udp_best[$buffer]=$(udp_sweep rsyslog "$buffer" rsyslog_step)
        log "rsyslog, buffer $buffer: highest lossless UDP rate ${rs_udp_best[$buffer]} datagrams/s"
        stop_rsyslog
    done
    start_rsyslog 128m
    read -r sent received errs rs_tcp_cpu rs_tcp_max exact < <(rsyslog_step tcp 0 "$tcp_step")
    log "rsyslog tcp as fast as possible for $tcp_step: $rs_tcp_max lines/s, sent $sent, received $received, $rs_tcp_cpu CPU-s per million"
    echo "rsyslog,,tcp,max,${tcp_step%s},$sent,$received,$((sent - received)),,$rs_tcp_cpu" >>"$out/steps.csv"
    rs_rss=$(peak_rss_kib "$rs_pid")
    stop_rsyslog
fi

# ---- TCP as fast as possible in alternating rounds, both receivers running, the same sender ---------------------------
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)) }'; }
rl_round_rates=(); rs_round_rates=(); rl_rounds_exact=yes
if [[ $tcp_rounds -gt 0 ]]; then
    start_routerlog tcp-rounds 100000
    warm_routerlog
    if [[ $have_rsyslog == 1 ]]; then
        start_rsyslog 128m
    fi
    for round in $(seq 1 "$tcp_rounds"); do
        read -r sent received errs cpu achieved exact < <(routerlog_step tcp 0 "$tcp_step")
        log "round $round: routerlog tcp as fast as possible for $tcp_step: $achieved lines/s, sent $sent, received $received, queries exact: $exact, $cpu CPU-s per million"
        echo "routerlog,,tcp,max,${tcp_step%s},$sent,$received,$((sent - received)),,$cpu" >>"$out/steps.csv"
        rl_round_rates+=("$achieved")
        [[ $exact == yes && $sent -eq $received ]] || rl_rounds_exact=no
        if [[ $have_rsyslog == 1 ]]; then
            read -r sent received errs cpu achieved exact < <(rsyslog_step tcp 0 "$tcp_step")
            log "round $round: rsyslog tcp as fast as possible for $tcp_step: $achieved lines/s, sent $sent, received $received, $cpu CPU-s per million"
            echo "rsyslog,,tcp,max,${tcp_step%s},$sent,$received,$((sent - received)),,$cpu" >>"$out/steps.csv"
            rs_round_rates+=("$achieved")
        fi
    done
    stop_routerlog
    if [[ $have_rsyslog == 1 ]]; then
        stop_rsyslog
    fi
fi

# ---- the smallest buffer each receiver needs to stay lossless at BENCH_SEARCH_RATE ---------------------------------
# each buffer of the ladder, smallest first, with a fresh receiver, for BENCH_SEARCH_STEP; the first lossless wins
smallest_lossless() { # smallest_lossless NAME: prints the buffer, or "more than LAST"
    local name=$1 buffer sent received errs cpu achieved exact pause from
    for buffer in "${search_buffers[@]}"; do
        if [[ $name == routerlog ]]; then
            start_routerlog "search-$buffer" 100000 "$buffer"
            warm_routerlog
            from=$(($(log_lines "$out/safepoints-search-$buffer.log") + 1))
            read -r sent received errs cpu achieved exact < <(routerlog_step udp "$search_rate" "$search_step")
            pause=$(longest_pause_ms "$out/safepoints-search-$buffer.log" "$from")
            stop_routerlog
        else
            start_rsyslog "$buffer"
            read -r sent received errs cpu achieved exact < <(rsyslog_step udp "$search_rate" "$search_step")
            pause=-
            stop_rsyslog
        fi
        log "$name search, buffer $buffer, udp $search_rate/s for $search_step: sent $sent, received $received, lost $((sent - received)), kernel RcvbufErrors +$errs, longest pause $pause ms"
        echo "$name,$buffer,udp,$search_rate,${search_step%s},$sent,$received,$((sent - received)),$errs,$cpu" >>"$out/steps.csv"
        if [[ $sent -gt 0 && $sent -eq $received && $errs -eq 0 ]]; then
            echo "$buffer"
            return
        fi
    done
    echo "more than ${search_buffers[-1]}"
}
rl_smallest="n/a"; rs_smallest="n/a"
if [[ $search_rate != 0 ]]; then
    rl_smallest=$(smallest_lossless routerlog)
    log "routerlog: smallest lossless buffer at $search_rate/s for $search_step: $rl_smallest"
    if [[ $have_rsyslog == 1 ]]; then
        rs_smallest=$(smallest_lossless rsyslog)
        log "rsyslog: smallest lossless buffer at $search_rate/s for $search_step: $rs_smallest"
    fi
fi

# ---- the query API and the cluster, by their own scripts -----------------------------------------------------------
for part in api cluster; do
    var="BENCH_${part^^}"
    if [[ ${!var:-1} != 0 && -x "$root/scripts/bench-$part.sh" ]]; then
        log "scripts/bench-$part.sh"
        ROUTERLOG_JAR="$jar" BENCH_JAVA_OPTS="$java_opts" "$root/scripts/bench-$part.sh" "$out/$part" \
            >"$out/$part.log" 2>&1 || log "bench-$part.sh failed, see $out/$part.log"
    fi
done

# ---- summary ----------------------------------------------------------------------------------------------------
{
    echo "# routerlog benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r), $(java -version 2>&1 | head -1); $pinning."
    echo "routerlog JVM: \`$java_opts\`; UDP steps of $step after a warm-up of $warmup; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| Measure | routerlog | rsyslog |"
    echo "|---|---|---|"
    for buffer in "${udp_buffers[@]}"; do
        echo "| Highest lossless UDP rate, $buffer buffer (datagrams/s, $step steps) | ${rl_udp_best[$buffer]} (longest pause ${rl_udp_pause[$buffer]} ms) | ${rs_udp_best[$buffer]:-n/a} |"
    done
    if [[ $search_rate != 0 ]]; then
        echo "| Smallest lossless buffer at $search_rate datagrams/s for $search_step | $rl_smallest | $rs_smallest |"
    fi
    echo "| TCP at $tcp_rate lines/s offered ($tcp_step) | $rl_tcp_fixed | |"
    echo "| TCP as fast as possible (lines/s) | $rl_tcp_max (counts exact: $rl_tcp_exact) | ${rs_tcp_max:-n/a} |"
    if [[ -n ${rs_tcp_max:-} && ${rs_tcp_max:-0} -gt 0 ]]; then
        echo "| Ratio routerlog / rsyslog, TCP (the runs above) | $(awk -v a="$rl_tcp_max" -v b="$rs_tcp_max" 'BEGIN { printf "%.2f", a / b }') | |"
    fi
    if [[ ${#rl_round_rates[@]} -gt 0 ]]; then
        rl_round_median=$(median "${rl_round_rates[@]}")
        rs_round_median=n/a
        if [[ ${#rs_round_rates[@]} -gt 0 ]]; then
            rs_round_median=$(median "${rs_round_rates[@]}")
        fi
        echo "| TCP as fast as possible, median of $tcp_rounds alternating rounds (lines/s) | $rl_round_median (${rl_round_rates[*]}; counts exact: $rl_rounds_exact) | $rs_round_median (${rs_round_rates[*]}) |"
        if [[ $rs_round_median != n/a && $rs_round_median -gt 0 ]]; then
            echo "| Ratio routerlog / rsyslog, TCP, of the medians | $(awk -v a="$rl_round_median" -v b="$rs_round_median" 'BEGIN { printf "%.2f", a / b }') | |"
        fi
    fi
    echo "| CPU-seconds per million lines (TCP, max) | $rl_tcpmax_cpu | ${rs_tcp_cpu:-n/a} |"
    echo "| Peak RSS (MiB) | $((rl_rss / 1024)) | $(( ${rs_rss:-0} / 1024 )) |"
    echo "| Start-up to healthy (ms) | $main_startup_ms | |"
    if [[ ${BENCH_SCRAPE:-1} != 0 ]]; then
        echo "| /metrics scrape, $s10k series (median of 5, ms) | $scrape10k | |"
        echo "| /metrics scrape, $s100k series (median of 5, ms) | $scrape100k | |"
        echo "| /metrics scrape, $s100k series, after 100 more (median of 5, ms; collections during the 100) | $scrape100k_warm ($scrape_warm_gcs) | |"
        echo "| UDP 50k/s during back-to-back scrapes of $s100k series | lost $scrape_lost, scrape median ${scrape_load_ms} ms | |"
        echo "| Peak RSS with $s100k series (MiB) | $((scrape_rss / 1024)) | |"
    fi
    if [[ $mem_dur != 0 ]]; then
        echo "| New pairs offered into --max-pairs 100000 ($mem_dur, TCP as fast as taken) | $mem_queries at $mem_rate lines/s, counted exactly: $mem_exact; $mem_evicted evicted | |"
        echo "| RSS when the bound was reached / at the end / peak (MiB) | $((${mem_at_bound:-0} / 1024)) / $((${mem_last:-0} / 1024)) / $((mem_peak / 1024)) | |"
    fi
    echo
    for table in api/api.md cluster/results.md; do
        if [[ -f "$out/$table" ]]; then
            cat "$out/$table"
            echo
        fi
    done
    echo "Every step: $out/steps.csv; log: $out/bench.log."
} | tee "$out/results.md"
