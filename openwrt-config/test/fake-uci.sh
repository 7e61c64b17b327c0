#!/bin/sh
# A stand-in for OpenWrt's uci command, for testing setup-routerlog.sh and routerlog.lua off the router.
#
# State: $FAKE_UCI_STATE, one "KEY=VALUE" line per section or option, e.g.
#   system.@system[0]=system
#   system.@system[0].log_ip=192.168.1.10
# Every call is appended to $FAKE_UCI_LOG as one line "uci ARGS...".
# Supports: [-q] get KEY, [-q] set KEY=VALUE, [-q] delete KEY, commit [CONFIG], changes [CONFIG].
# Like uci, get and delete of a missing entry fail (exit 1, "uci: Entry not found" unless -q), and set of an
# option fails when its section does not exist.

: "${FAKE_UCI_STATE:?FAKE_UCI_STATE is not set}"
[ -z "${FAKE_UCI_LOG:-}" ] || printf 'uci %s\n' "$*" >>"$FAKE_UCI_LOG"
[ -f "$FAKE_UCI_STATE" ] || : >"$FAKE_UCI_STATE"

quiet=0
while [ $# -gt 0 ]; do
	case $1 in
	-q) quiet=1 ;;
	-*) ;;
	*) break ;;
	esac
	shift
done

not_found() {
	[ "$quiet" = 1 ] || echo "uci: Entry not found" >&2
	exit 1
}

# lookup KEY: prints the value, fails when KEY has no line
lookup() {
	awk -v k="$1" 'BEGIN { n = length(k) + 1 }
		substr($0, 1, n) == k "=" { print substr($0, n + 1); found = 1; exit }
		END { exit !found }' "$FAKE_UCI_STATE"
}

# without KEY: the state minus KEY's line
without() {
	awk -v k="$1" 'BEGIN { n = length(k) + 1 } substr($0, 1, n) != k "="' "$FAKE_UCI_STATE" >"$FAKE_UCI_STATE.new" &&
		mv "$FAKE_UCI_STATE.new" "$FAKE_UCI_STATE"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
get)
	[ $# -eq 1 ] || exit 1
	lookup "$1" || not_found ;;
set)
	[ $# -eq 1 ] || exit 1
	case $1 in *=*) ;; *) exit 1 ;; esac
	key=${1%%=*}
	value=${1#*=}
	case ${key#*.} in
	*.*) lookup "${key%.*}" >/dev/null || not_found ;;
	esac
	without "$key"
	printf '%s=%s\n' "$key" "$value" >>"$FAKE_UCI_STATE" ;;
delete)
	[ $# -eq 1 ] || exit 1
	lookup "$1" >/dev/null || not_found
	without "$1" ;;
commit | changes) ;;
*)
	echo "fake uci: unsupported command '$cmd'" >&2
	exit 1 ;;
esac
exit 0
