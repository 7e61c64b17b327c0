#!/usr/bin/env bash
# What the benchmark scripts share; sourced by them, not run on its own.

# A port free for TCP and UDP on 127.0.0.1.
free_port() {
    local p ephemeral_low
    # below the kernel's ephemeral range: an outgoing connection (a cluster member's) cannot take it meanwhile
    ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    ((ephemeral_low > 11000)) || ephemeral_low=32768
    for _ in $(seq 1 100); do
        p=$((10000 + RANDOM % (ephemeral_low - 10000)))
        if ! ss -Hlntu "sport = :$p" | grep -q .; then echo "$p"; return; fi
    done
    echo "no free port" >&2
    exit 1
}

# bench_jar ROOT OUT_DIR: copies the jar to measure (ROUTERLOG_JAR, else ROOT/target/routerlog.jar, built when
# missing) into OUT_DIR, so that a rebuild during the run cannot change what is measured, and prints the copy's path.
bench_jar() {
    local root=$1 out=$2 jar=${ROUTERLOG_JAR:-$1/target/routerlog.jar}
    [[ -f "$jar" ]] || (cd "$root" && mvn -q -B -o -DskipTests package) >&2
    cp "$jar" "$out/routerlog.jar"
    echo "$out/routerlog.jar"
}
