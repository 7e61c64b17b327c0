#!/usr/bin/env bash
# End-to-end test with a real dnsmasq:
#
#   dig (many 127.0.0.X sources) -> "front" dnsmasq (log-queries=extra) -> "upstream" dnsmasq
#   front dnsmasq's log -> OpenWrt logd-style syslog (TCP with \n, \0 and octet counting, plus UDP) -> routerlog
#
# and checks that routerlog's /metrics counts exactly what dnsmasq logged: every (client, domain, qtype)
# with its count, no extra pairs, the main reply outcomes and the message/line counters. Everything runs on
# loopback addresses only (127.0.0.0/8). Needs dnsmasq, dig, curl, java, ss and promtool (root not required).
#
# Usage: scripts/e2e-dnsmasq.sh        (ROUTERLOG_E2E_KEEP=1 keeps the temp dir for inspection)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/routerlog.jar"
START_SECONDS=$SECONDS
PASSED=0
FAILED=0

TMP=""
RL_PID=""
FRONT_PID=""
UP_PID=""
CLIENT_PIDS=()

say() { printf '[e2e] %s\n' "$*"; }

summary_line() { printf 'e2e-dnsmasq: %d passed, %d failed\n' "$PASSED" "$FAILED"; }

# A setup problem or a failed check that makes going on pointless.
die() {
    printf '[e2e] ERROR: %s\n' "$*" >&2
    FAILED=$((FAILED + 1))
    summary_line
    exit 1
}

pass() { PASSED=$((PASSED + 1)); say "ok   - $*"; }
failcheck() { FAILED=$((FAILED + 1)); printf '[e2e] FAIL - %s\n' "$*" >&2; }

# --- processes and cleanup ---------------------------------------------------------------------------------------

alive() { # true while PID runs (a zombie counts as gone)
    local pid=$1 state
    [[ -n "$pid" && -r /proc/$pid/stat ]] || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ -n "$state" && "$state" != Z ]]
}

stop_pid() { # stop_pid PID [SECONDS]: SIGTERM, wait, SIGKILL
    local pid=$1 limit=${2:-10} i
    [[ -n "$pid" ]] || return 0
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < limit * 10; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            say "pid $pid ignored SIGTERM for ${limit}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

stop_dnsmasq() { # dnsmasq forks a child per TCP connection; stop those too (by pid)
    local pid=$1 child
    [[ -n "$pid" ]] || return 0
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do
        kill -TERM "$child" 2>/dev/null || true
    done
    stop_pid "$pid" 5
}

cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${CLIENT_PIDS[@]}"; do
        stop_pid "$pid" 3
    done
    stop_pid "$RL_PID" 15
    stop_dnsmasq "$FRONT_PID"
    stop_dnsmasq "$UP_PID"
    if [[ -n "$TMP" && -d "$TMP" ]]; then
        if [[ "${ROUTERLOG_E2E_KEEP:-0}" == 1 ]]; then
            say "kept temp files in $TMP"
        else
            rm -rf "$TMP"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# --- 1. prerequisites --------------------------------------------------------------------------------------------

need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install the Debian package '$2' (apt-get install -y $2)"
}
need dnsmasq dnsmasq-base
need dig bind9-dnsutils
need curl curl
need java openjdk-17-jre-headless
need ss iproute2
need pgrep procps
need promtool prometheus
# dnsmasq drops privileges to the user named here; as a normal user it simply stays that user
DNSMASQ_USER=$(id -un)

if [[ ! -f "$JAR" ]]; then
    need mvn maven
    say "building $JAR (mvn -q package -DskipTests)"
    (cd "$ROOT" && mvn -q package -DskipTests) || die "maven build failed"
    [[ -f "$JAR" ]] || die "maven build did not produce $JAR"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/routerlog-e2e.XXXXXX")
say "dnsmasq $(dnsmasq --version | awk 'NR==1{print $3}'), dig $(dig -v 2>&1 | awk '{print $2}'), temp dir $TMP"

# --- 2. free ports on 127.0.0.1 ----------------------------------------------------------------------------------

PICKED=" "
pick_port() { # pick_port VAR: a port no TCP or UDP socket uses, below the ephemeral range, not picked before
    local lo hi min max p i used
    read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
    if ((lo > 12000)); then min=10240; max=$((lo - 1)); else min=$((hi + 1)); max=65000; fi
    ((max > min)) || die "no port range left outside the ephemeral ports ($lo-$hi)"
    used=" $(ss -Hantu 2>/dev/null | awk '{n = split($5, a, ":"); printf "%s ", a[n]}') "
    for ((i = 0; i < 200; i++)); do
        p=$((min + (RANDOM * 32768 + RANDOM) % (max - min + 1)))
        [[ "$used" == *" $p "* || "$PICKED" == *" $p "* ]] && continue
        PICKED+="$p "
        printf -v "$1" '%s' "$p"
        return 0
    done
    die "no free port found on 127.0.0.1 after 200 tries"
}

# --- 4 (started early: the JVM takes a few seconds). routerlog ----------------------------------------------------

start_routerlog() {
    pick_port SYSLOG_PORT
    pick_port HTTP_PORT
    java -jar "$JAR" --listen-address 127.0.0.1 --syslog-port "$SYSLOG_PORT" \
        --http-address 127.0.0.1 --http-port "$HTTP_PORT" --flush-interval 200ms --log-level warn \
        >"$TMP/routerlog.log" 2>&1 &
    RL_PID=$!
}

RL_ATTEMPT=1
start_routerlog

# --- 3. upstream and front dnsmasq -------------------------------------------------------------------------------

printf '192.168.1.3 printer.lan\n' >"$TMP/hosts"

start_dnsmasq() { # start_dnsmasq NAME PORT ARGS... ; sets STARTED_PID
    local name=$1 port=$2
    shift 2
    dnsmasq --conf-file=/dev/null --keep-in-foreground --user="$DNSMASQ_USER" --no-resolv --no-hosts --no-poll \
        --bind-interfaces --listen-address=127.0.0.1 --port="$port" --pid-file="$TMP/$name.pid" \
        "$@" >"$TMP/$name.out" 2>&1 &
    STARTED_PID=$!
}

wait_dns() { # wait_dns NAME PID PORT QNAME: until the server answers (10 s)
    local name=$1 pid=$2 port=$3 qname=$4 i
    for ((i = 0; i < 50; i++)); do
        alive "$pid" || return 1
        if dig -b 127.0.0.1 @127.0.0.1 -p "$port" "$qname" A +tries=1 +time=1 +short >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

for attempt in 1 2 3; do
    pick_port UP_PORT
    start_dnsmasq upstream "$UP_PORT" \
        --log-queries --log-facility="$TMP/upstream.log" --local-ttl=300 \
        --local=/up.test/ --local=/nx.test/ \
        --host-record=www.up.test,192.0.2.10,2001:db8::10 \
        --host-record=mail.up.test,192.0.2.25 \
        --cname=alias.up.test,www.up.test \
        --txt-record=txt.up.test,"v=e2e routerlog" \
        --mx-host=up.test,mail.up.test,10 \
        --address=/tunnel-e2e.test/192.0.2.99
    UP_PID=$STARTED_PID
    wait_dns upstream "$UP_PID" "$UP_PORT" www.up.test && break
    say "upstream dnsmasq did not come up on port $UP_PORT (attempt $attempt):"
    sed 's/^/    /' "$TMP/upstream.out" >&2 || true
    stop_dnsmasq "$UP_PID"
    UP_PID=""
done
[[ -n "$UP_PID" ]] || die "cannot start the upstream dnsmasq (see messages above)"

for attempt in 1 2 3; do
    pick_port FRONT_PORT
    : >"$TMP/front.log"
    start_dnsmasq front "$FRONT_PORT" \
        --log-queries=extra --log-facility="$TMP/front.log" \
        --server="127.0.0.1#$UP_PORT" --cache-size=150 \
        --addn-hosts="$TMP/hosts" \
        --address=/ads.blocked.test/0.0.0.0 --address=/ads.blocked.test/:: \
        --address=/nx.blocked.test/ \
        --host-record=router.lan,192.168.1.1 \
        --host-record=nas.lan,192.168.1.2,fd00::2
    FRONT_PID=$STARTED_PID
    wait_dns front "$FRONT_PID" "$FRONT_PORT" router.lan && break
    say "front dnsmasq did not come up on port $FRONT_PORT (attempt $attempt):"
    sed 's/^/    /' "$TMP/front.out" >&2 || true
    stop_dnsmasq "$FRONT_PID"
    FRONT_PID=""
done
[[ -n "$FRONT_PID" ]] || die "cannot start the front dnsmasq (see messages above)"
say "upstream dnsmasq pid $UP_PID on 127.0.0.1#$UP_PORT, front dnsmasq pid $FRONT_PID on 127.0.0.1#$FRONT_PORT"

# --- 5. DNS traffic ----------------------------------------------------------------------------------------------

q() { # q SOURCE ARGS...: one query to the front dnsmasq, answer section only
    local src=$1
    shift
    dig -b "$src" @127.0.0.1 -p "$FRONT_PORT" +tries=1 +time=2 +short "$@" 2>&1 || true
}

expect_answer() { # expect_answer WHAT WANTED ARGS...
    local what=$1 want=$2 got
    shift 2
    got=$(q 127.0.0.9 "$@")
    if [[ "$got" == *"$want"* ]]; then
        pass "dnsmasq setup: $what answers $want"
    else
        failcheck "dnsmasq setup: $what: expected an answer containing '$want', got '$got'"
    fi
}
expect_answer "local host-record router.lan" 192.168.1.1 router.lan A
expect_answer "blocked ads.blocked.test" 0.0.0.0 ads.blocked.test A
expect_answer "forwarded www.up.test" 192.0.2.10 www.up.test A
expect_answer "forwarded txt.up.test TXT" '"v=e2e routerlog"' txt.up.test TXT

# name type: a mix of local, blocked and forwarded names, cases, a trailing dot and types
QUERIES=(
    "router.lan A" "ROUTER.LAN A" "Router.Lan. AAAA" "nas.lan AAAA" "printer.lan A"
    "ads.blocked.test A" "tracker.ADS.blocked.test AAAA" "x.nx.blocked.test A" "Ads.Blocked.Test. HTTPS"
    "www.up.test A" "www.up.test AAAA" "WWW.UP.TEST A" "www.up.test HTTPS" "www.up.test TYPE65534"
    "txt.up.test TXT" "up.test MX" "alias.up.test A" "missing.up.test A" "Mail.Up.Test. A"
    "gone.nx.test AAAA" "1.1.168.192.in-addr.arpa PTR" "www.up.test A" "txt.up.test TXT" "svc.up.test SVCB"
    "_sip._udp.up.test SRV" "up.test CAA" "Alias.Up.Test TYPE65280"
)
NQ=${#QUERIES[@]}

client_queries() { # client_queries X: this client's bounded share of the query list (about 80 %, some twice)
    local x=$1 i rounds r spec tcp
    rounds=$((x % 3 == 0 ? 2 : 1))
    for ((r = 0; r < rounds; r++)); do
        for ((i = 0; i < NQ; i++)); do
            (((x * 7 + i * 3 + r * 11) % 5 == 0)) && continue
            spec=${QUERIES[i]}
            tcp=""
            (((x + i + r) % 17 == 0)) && tcp="+tcp"
            # shellcheck disable=SC2086
            q "127.0.0.$x" ${spec% *} ${spec#* } $tcp >/dev/null
        done
    done
}

# a DNS tunnel nobody configured, from one client: TXT queries for random base32 data split into labels of up to 57
# characters, as a dnstt client sends them (routerlog is not told the domain)
TUNNEL_QUERIES=100
tunnel_queries() {
    local i data name
    for ((i = 0; i < TUNNEL_QUERIES; i++)); do
        data=$(head -c $((40 + i % 60)) /dev/urandom | base32 -w0 | tr -d '=' | tr '[:upper:]' '[:lower:]')
        name=$(printf '%s' "$data" | fold -w 57 | paste -sd. -)
        q 127.0.0.66 "$name.t.tunnel-e2e.test" TXT >/dev/null
    done
}

say "sending DNS queries from 127.0.0.10 .. 127.0.0.39, and a tunnel's from 127.0.0.66"
for ((x = 10; x <= 39; x++)); do
    client_queries "$x" &
    CLIENT_PIDS+=($!)
done
tunnel_queries &
CLIENT_PIDS+=($!)
for pid in "${CLIENT_PIDS[@]}"; do
    wait "$pid" || die "query client $pid failed"
done
CLIENT_PIDS=()

# every TCP child must have finished before dnsmasq stops, so that the log is complete
for ((i = 0; i < 50; i++)); do
    [[ -z "$(pgrep -P "$FRONT_PID" 2>/dev/null || true)" ]] && break
    sleep 0.1
done
stop_dnsmasq "$FRONT_PID" # SIGTERM: dnsmasq writes out its log and exits
FRONT_PID=""

LOG="$TMP/front.log"
[[ -s "$LOG" ]] || die "the front dnsmasq wrote no log to $LOG"
LOG_LINES=$(wc -l <"$LOG")
QUERY_LINES=$(grep -c ' query\[' "$LOG" || true)
((QUERY_LINES >= 300)) || die "only $QUERY_LINES query lines in the dnsmasq log, expected several hundred"
say "dnsmasq logged $LOG_LINES lines, $QUERY_LINES of them queries"

# --- 4 (continued). routerlog ready? ------------------------------------------------------------------------------

healthz() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null || true; }

wait_routerlog() { # until /healthz is 200 (30 s); 1 if the JVM died
    local deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)); do
        alive "$RL_PID" || return 1
        [[ "$(healthz)" == 200 ]] && return 0
        sleep 0.2
    done
    return 2
}

while true; do
    rc=0
    wait_routerlog || rc=$?
    ((rc == 0)) && break
    if ((rc == 1)) && ((RL_ATTEMPT < 3)) && grep -qi 'bind\|address already in use' "$TMP/routerlog.log"; then
        say "routerlog could not bind its ports (attempt $RL_ATTEMPT), retrying with other ports"
        wait "$RL_PID" 2>/dev/null || true
        RL_ATTEMPT=$((RL_ATTEMPT + 1))
        start_routerlog
        continue
    fi
    say "routerlog log:"
    sed 's/^/    /' "$TMP/routerlog.log" >&2 || true
    ((rc == 1)) && die "routerlog exited before /healthz answered 200"
    die "routerlog /healthz did not answer 200 within 30 s (last: $(healthz))"
done
pass "routerlog /healthz is 200 (pid $RL_PID, syslog 127.0.0.1:$SYSLOG_PORT, http 127.0.0.1:$HTTP_PORT)"

# --- 6. forward the log to routerlog as OpenWrt logd would -------------------------------------------------------

# "Nov 22 02:22:04 dnsmasq[123]: MSG" -> "<30>Nov 22 02:22:04 OpenWrt dnsmasq[123]: MSG"
# TCP frames: mostly \n, some \0 (log_trailer_null=1), some RFC 6587 octet counted; every 10th line over UDP.
# A few lines leave the hostname out or carry a log_prefix ("OpenWrt r1: dnsmasq[123]: MSG"), as logd may send.
PAYLOAD="$TMP/tcp.payload"
: >"$PAYLOAD"
TCP_SENT=0
UDP_LINES=()
n=0
while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -n "$line" ]] || continue
    [[ "$line" =~ ^[A-Z][a-z]{2}\ [\ 0-9][0-9]\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ (dnsmasq(-dhcp)?\[[0-9]+\]:\ .*)$ ]] \
        || die "unexpected line in the dnsmasq log: $line"
    case $((n % 13)) in
        4) msg="<30>${line:0:15} ${BASH_REMATCH[1]}" ;;
        9) msg="<30>${line:0:15} OpenWrt r1: ${BASH_REMATCH[1]}" ;;
        *) msg="<30>${line:0:15} OpenWrt ${BASH_REMATCH[1]}" ;;
    esac
    case $((n % 10)) in
        0) UDP_LINES+=("$msg") ;;
        1 | 4) printf '%d %s' "${#msg}" "$msg" >>"$PAYLOAD"; TCP_SENT=$((TCP_SENT + 1)) ;;
        2 | 5 | 8) printf '%s\0' "$msg" >>"$PAYLOAD"; TCP_SENT=$((TCP_SENT + 1)) ;;
        *) printf '%s\n' "$msg" >>"$PAYLOAD"; TCP_SENT=$((TCP_SENT + 1)) ;;
    esac
    n=$((n + 1))
done <"$LOG"
UDP_SENT=${#UDP_LINES[@]}

exec 3<>"/dev/tcp/127.0.0.1/$SYSLOG_PORT" || die "cannot connect to routerlog syslog TCP 127.0.0.1:$SYSLOG_PORT"
cat "$PAYLOAD" >&3
exec 3>&-
i=0
for msg in "${UDP_LINES[@]}"; do
    # one datagram per message; some senders end it with \n
    if ((i % 2)); then
        printf '%s\n' "$msg" >"/dev/udp/127.0.0.1/$SYSLOG_PORT"
    else
        printf '%s' "$msg" >"/dev/udp/127.0.0.1/$SYSLOG_PORT"
    fi
    i=$((i + 1))
    ((i % 20)) || sleep 0.05
done
say "sent $TCP_SENT messages over TCP ($(wc -c <"$PAYLOAD") bytes, one connection) and $UDP_SENT over UDP"

# --- 7. compare ----------------------------------------------------------------------------------------------------

scrape() { # scrape FILE
    curl -sS --max-time 5 -o "$1" "http://127.0.0.1:$HTTP_PORT/metrics" || die "cannot scrape routerlog /metrics"
}

metric() { # metric FILE NAME [LABEL=VALUE]: sum of the matching samples (0 if none)
    awk -v name="$2" -v sel="${3:-}" '
        index($0, name "{") == 1 || index($0, name " ") == 1 {
            if (sel != "") {
                split(sel, kv, "=")
                if (index($0, kv[1] "=\"" kv[2] "\"") == 0) next
            }
            sum += $NF
        }
        END { printf "%d\n", sum + 0 }' "$1"
}

M="$TMP/metrics.txt"
deadline=$((SECONDS + 20))
while true; do
    scrape "$M"
    got_tcp=$(metric "$M" routerlog_syslog_messages_total transport=tcp)
    got_udp=$(metric "$M" routerlog_syslog_messages_total transport=udp)
    ((got_tcp >= TCP_SENT && got_udp >= UDP_SENT)) && break
    ((SECONDS < deadline)) || break
    sleep 0.2
done
if ((got_tcp == TCP_SENT)); then
    pass "routerlog_syslog_messages_total{transport=\"tcp\"} = $got_tcp"
else
    failcheck "routerlog_syslog_messages_total{transport=\"tcp\"}: expected $TCP_SENT, got $got_tcp"
fi
if ((got_udp == UDP_SENT)); then
    pass "routerlog_syslog_messages_total{transport=\"udp\"} = $got_udp"
else
    failcheck "routerlog_syslog_messages_total{transport=\"udp\"}: expected $UDP_SENT, got $got_udp"
fi

# expected (client, domain, qtype) counts, straight from the dnsmasq log
EXPECTED="$TMP/expected.tsv"
awk '
    {
        if (!match($0, /\]: /)) next
        msg = substr($0, RSTART + 3)
        # optional "SERIAL ADDR/PORT " prefix of log-queries=extra
        if (match(msg, /^-?[0-9]+ [^ ]+\/[0-9]+ /)) msg = substr(msg, RLENGTH + 1)
        if (substr(msg, 1, 6) != "query[") next
        close_br = index(msg, "] ")
        qtype = substr(msg, 7, close_br - 7)
        rest = substr(msg, close_br + 2)
        # the client follows the last " from "
        p = 0
        for (i = length(rest) - 5; i >= 1; i--) if (substr(rest, i, 6) == " from ") { p = i; break }
        if (p == 0) { print "bad query line: " $0 > "/dev/stderr"; exit 3 }
        name = tolower(substr(rest, 1, p - 1))
        client = substr(rest, p + 6)
        sub(/\.$/, "", name)
        if (name == "") name = "."
        if (substr(qtype, 1, 5) == "type=") qtype = "TYPE" substr(qtype, 6)
        n[client "\t" name "\t" qtype]++
    }
    END { for (k in n) print k "\t" n[k] }' "$LOG" | sort >"$EXPECTED"
EXPECTED_TOTAL=$(awk -F'\t' '{s += $4} END {print s + 0}' "$EXPECTED")
EXPECTED_PAIRS=$(wc -l <"$EXPECTED")
((EXPECTED_TOTAL == QUERY_LINES)) || die "internal: $EXPECTED_TOTAL parsed queries but $QUERY_LINES query lines"

# wait for the flush of the last counts, then one more second for anything that should not be there
deadline=$((SECONDS + 15))
while true; do
    got_total=$(metric "$M" routerlog_dns_queries_total)
    ((got_total >= EXPECTED_TOTAL)) && break
    ((SECONDS < deadline)) || break
    sleep 0.2
    scrape "$M"
done
sleep 1
scrape "$M"

ACTUAL="$TMP/actual.tsv"
awk '
    function label(s, k,    i, v) {
        i = index(s, k "=\"")
        if (i == 0) return ""
        v = substr(s, i + length(k) + 2)
        return substr(v, 1, index(v, "\"") - 1)
    }
    # summed over the router label: lines without a hostname name their router by the sender address
    index($0, "routerlog_dns_queries_total{") == 1 {
        v = $NF
        if (v !~ /^[0-9]+(\.0+)?$/) { print "non-integer count: " $0 > "/dev/stderr" }
        n[label($0, "client") "\t" label($0, "domain") "\t" label($0, "qtype")] += v
    }
    END { for (k in n) printf "%s\t%d\n", k, n[k] }' "$M" | sort >"$ACTUAL"
ROUTERS=$(awk '
    index($0, "routerlog_dns_queries_total{") == 1 {
        i = index($0, "router=\""); v = substr($0, i + 8); print substr(v, 1, index(v, "\"") - 1)
    }' "$M" | sort -u | tr '\n' ' ')
if [[ $ROUTERS == "127.0.0.1 OpenWrt " ]]; then
    pass "router label: OpenWrt from the HOSTNAME, 127.0.0.1 (the sender) for lines without one"
else
    failcheck "router label values: expected OpenWrt and 127.0.0.1, got: $ROUTERS"
fi
ACTUAL_PAIRS=$(wc -l <"$ACTUAL")
got_total=$(awk -F'\t' '{s += $4} END {print s + 0}' "$ACTUAL")

if cmp -s "$EXPECTED" "$ACTUAL"; then
    pass "all $EXPECTED_PAIRS (client, domain, qtype) pairs match the dnsmasq log exactly ($EXPECTED_TOTAL queries)"
else
    failcheck "routerlog_dns_queries_total differs from the dnsmasq log" \
        "(expected $EXPECTED_PAIRS pairs / $EXPECTED_TOTAL queries, got $ACTUAL_PAIRS pairs / $got_total queries):"
    awk -F'\t' '
        NR == FNR { want[$1 "\t" $2 "\t" $3] = $4; next }
        { got[$1 "\t" $2 "\t" $3] = $4 }
        END {
            for (k in want) {
                split(k, f, "\t")
                key = sprintf("client=%s domain=%s qtype=%s", f[1], f[2], f[3])
                if (!(k in got)) print "    missing:    " key " (expected " want[k] ")"
                else if (got[k] != want[k]) print "    wrong:      " key " expected " want[k] ", got " got[k]
            }
            for (k in got) if (!(k in want)) {
                split(k, f, "\t")
                printf "    unexpected: client=%s domain=%s qtype=%s count %s\n", f[1], f[2], f[3], got[k]
            }
        }' "$EXPECTED" "$ACTUAL" | sort | head -n 40 >&2
fi

got_query_lines=$(metric "$M" routerlog_dnsmasq_lines_total kind=query)
if ((got_query_lines == QUERY_LINES)); then
    pass "routerlog_dnsmasq_lines_total{kind=\"query\"} = $got_query_lines"
else
    failcheck "routerlog_dnsmasq_lines_total{kind=\"query\"}: expected $QUERY_LINES, got $got_query_lines"
fi

dropped=$(metric "$M" routerlog_syslog_dropped_total)
if ((dropped == 0)); then
    pass "routerlog_syslog_dropped_total is 0 for every reason"
else
    failcheck "routerlog dropped $dropped messages or parts of them: $(grep '^routerlog_syslog_dropped_total{' "$M" |
        awk '$NF + 0 > 0' | tr '\n' ' ')"
fi

# reply outcomes: exact for the kinds whose meaning is unambiguous, > 0 for the main ones
count_log() { # count_log ERE: dnsmasq log lines whose message (after any serial/address prefix) matches
    awk -v re="$1" '
        { if (!match($0, /\]: /)) next
          msg = substr($0, RSTART + 3)
          if (match(msg, /^-?[0-9]+ [^ ]+\/[0-9]+ /)) msg = substr(msg, RLENGTH + 1)
          if (msg ~ re) n++ }
        END { print n + 0 }' "$LOG"
}
declare -A WANT_OUTCOME=(
    [forwarded]=$(count_log '^forwarded ')
    [cached]=$(count_log '^cached ')
    [blocked]=$(count_log '^config .* is (0\.0\.0\.0|::|NXDOMAIN|NODATA.*)$')
    [nxdomain]=$(count_log '^reply .* is NXDOMAIN$')
)
declare -A GOT_OUTCOME=()
for o in forwarded answered nxdomain nodata cached blocked local; do
    GOT_OUTCOME[$o]=$(metric "$M" routerlog_dns_replies_total "outcome=$o")
done
for o in forwarded cached blocked nxdomain; do
    if ((GOT_OUTCOME[$o] == WANT_OUTCOME[$o])); then
        pass "routerlog_dns_replies_total{outcome=\"$o\"} = ${GOT_OUTCOME[$o]} as in the log"
    else
        failcheck "routerlog_dns_replies_total{outcome=\"$o\"}: expected ${WANT_OUTCOME[$o]} (log lines), got ${GOT_OUTCOME[$o]}"
    fi
done
if ((GOT_OUTCOME[forwarded] > 0 && GOT_OUTCOME[answered] + GOT_OUTCOME[cached] > 0 && GOT_OUTCOME[blocked] > 0 &&
    GOT_OUTCOME[local] > 0)); then
    pass "outcomes forwarded, answered/cached, blocked and local are all > 0"
else
    failcheck "some outcome is 0: forwarded=${GOT_OUTCOME[forwarded]} answered=${GOT_OUTCOME[answered]}" \
        "cached=${GOT_OUTCOME[cached]} blocked=${GOT_OUTCOME[blocked]} local=${GOT_OUTCOME[local]}"
fi

if promtool check metrics <"$M" >"$TMP/promtool.out" 2>&1; then
    pass "promtool check metrics accepts the scrape"
else
    failcheck "promtool check metrics rejects the scrape:"
    sed 's/^/    /' "$TMP/promtool.out" >&2
fi

# the query API, through the command line, against the same ground truth
cli() { COLUMNS=400 java -jar "$JAR" "$@" --url "http://127.0.0.1:$HTTP_PORT"; }
awk -F'\t' '{n[$2] += $4} END {for (d in n) printf "%s %d\n", d, n[d]}' "$EXPECTED" | sort >"$TMP/want-domains.txt"
cli top domains --limit 1000 | awk 'NR > 1 {print $3, $1}' | sort >"$TMP/got-domains.txt"
if [[ -s "$TMP/want-domains.txt" ]] && cmp -s "$TMP/want-domains.txt" "$TMP/got-domains.txt"; then
    pass "routerlog top domains: every domain's queries as in the log ($(wc -l <"$TMP/want-domains.txt") domains)"
else
    failcheck "routerlog top domains differs from the log (want | got):"
    diff "$TMP/want-domains.txt" "$TMP/got-domains.txt" | head -20 >&2
fi
got_logged=$(cli queries --json --limit 1000 | grep -o '"qtype":' | wc -l)
if ((got_logged == EXPECTED_TOTAL)); then
    pass "routerlog queries: the query log holds all $got_logged queries"
else
    failcheck "routerlog queries: expected $EXPECTED_TOTAL entries in the query log, got $got_logged"
fi
got_blocked=$(cli top domains --outcome blocked --limit 1000 | awk 'NR > 1 {s += $1} END {print s + 0}')
if ((got_blocked == WANT_OUTCOME[blocked])); then
    pass "routerlog top domains --outcome blocked: $got_blocked blocked replies as in the log"
else
    failcheck "routerlog top domains --outcome blocked: expected ${WANT_OUTCOME[blocked]}, got $got_blocked"
fi

# tunnel detection: exactly the tunnel's domain and client are suspects, with every query it sent (the detection
# stats reach the store every 10 s, so this asks for up to 30 s)
suspects_as_expected() {
    awk 'NR == 2 {ok = ($3 == "tunnel-e2e.test" && $4 == "127.0.0.66" && $2 == n)} END {exit !(ok && NR == 2)}' \
        n="$TUNNEL_QUERIES" "$TMP/suspects.txt"
}
for ((i = 0; i < 30; i++)); do
    cli suspects >"$TMP/suspects.txt" || true
    suspects_as_expected && break
    sleep 1
done
if suspects_as_expected; then
    pass "routerlog suspects: only tunnel-e2e.test, from 127.0.0.66, with its $TUNNEL_QUERIES queries"
else
    failcheck "routerlog suspects: expected only tunnel-e2e.test from 127.0.0.66 ($TUNNEL_QUERIES queries), got:"
    sed 's/^/    /' "$TMP/suspects.txt" >&2
fi

if alive "$RL_PID"; then
    pass "routerlog still running after the test traffic"
else
    failcheck "routerlog exited during the test"
fi

# --- summary ---------------------------------------------------------------------------------------------------------

clients=$(cut -f1 "$EXPECTED" | sort -u | wc -l)
domains=$(cut -f2 "$EXPECTED" | sort -u | wc -l)
qtypes=$(cut -f3 "$EXPECTED" | sort -u | tr '\n' ' ')
say "summary: $LOG_LINES log lines ($QUERY_LINES queries) from $clients clients, $domains domains, qtypes: $qtypes"
say "summary: outcomes forwarded=${GOT_OUTCOME[forwarded]} answered=${GOT_OUTCOME[answered]}" \
    "nxdomain=${GOT_OUTCOME[nxdomain]} nodata=${GOT_OUTCOME[nodata]} cached=${GOT_OUTCOME[cached]}" \
    "blocked=${GOT_OUTCOME[blocked]} local=${GOT_OUTCOME[local]}; $((SECONDS - START_SECONDS)) s"
if ((FAILED > 0)); then
    say "routerlog log (last 30 lines):"
    tail -n 30 "$TMP/routerlog.log" | sed 's/^/    /' >&2 || true
fi
summary_line
((FAILED == 0))
