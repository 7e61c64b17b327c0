#!/usr/bin/env bash
# The JVM options routerlog runs with by default (the README's), in one place: scripts/routerlog starts the
# appliance with them and the benchmark scripts measure with them. Sourced, not run on its own.

# Prints them. A fixed heap touched at the start: resident memory is then what it will be after hours, not a slow
# climb while the old generation fills for the first time. Java thread priorities passed on to the system, and the
# compilers at the lowest routerlog uses: the store, flush, HTTP and compiler threads then take a smaller share of
# the CPU than the receive threads (as a user other than root the JVM warns that raising a priority needs
# permission; routerlog only lowers them, which needs none). Freed native memory goes back to the system every
# minute, where the JVM knows how (Java 17.0.11 and later).
routerlog_java_opts() {
    local opts="-Xms192m -Xmx192m -Xmn32m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:ThreadPriorityPolicy=1"
    opts+=" -XX:CompilerThreadPriority=4"
    if java -XX:TrimNativeHeapInterval=60000 -version >/dev/null 2>&1; then
        opts+=" -XX:TrimNativeHeapInterval=60000"
    fi
    echo "$opts"
}
