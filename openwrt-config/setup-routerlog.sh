#!/bin/sh
# Points an OpenWrt router's system log at routerlog and makes dnsmasq log every DNS query.
#
#   setup-routerlog.sh [OPTIONS] HOST          configure (HOST: routerlog's address or name)
#   setup-routerlog.sh --undo                  revert to OpenWrt's defaults
#
# Runs on the router (busybox ash). It changes only these UCI options, prints each change, and restarts logd or
# dnsmasq only when their configuration changed, so running it again is harmless:
#   system.@system[0].log_ip, log_port, log_proto, log_trailer_null (and log_remote when it is '0')
#   dhcp.@dnsmasq[0].logqueries
# It refuses to run while the system log or dnsmasq's log would be written to persistent storage (flash).
#
# Environment (all optional):
#   ROUTERLOG_HOST, ROUTERLOG_PORT, ROUTERLOG_PROTO, ROUTERLOG_TRAILER_NULL=1   instead of the arguments
#   UCI      the uci command (default: uci)
#   INITD    the init script directory (default: /etc/init.d)
#   MOUNTS   the mount table used to tell RAM from flash (default: /proc/mounts)

set -u

UCI=${UCI:-uci}
INITD=${INITD:-/etc/init.d}
MOUNTS=${MOUNTS:-/proc/mounts}

SYS='system.@system[0]'
DNSMASQ='dhcp.@dnsmasq[0]'

usage() {
	cat <<EOF
Usage: $0 [OPTIONS] HOST
       $0 --undo [--dry-run]

Sends the router's log (logd) to routerlog at HOST and turns on dnsmasq's query log.

Options:
  -p, --port PORT      routerlog's syslog port (default 5514)
  --proto tcp|udp      transport (default tcp); --tcp and --udp are short forms
  -0, --null           end each TCP message with a NUL instead of a newline (log_trailer_null=1; tcp only)
  --allow-log-file     go on although system.log_file points to persistent storage (a warning is printed)
  -n, --dry-run        print what would change, change nothing
  --undo               remove these settings again (no remote log, no query log) and restart logd and dnsmasq
  -h, --help           this text

Environment: ROUTERLOG_HOST, ROUTERLOG_PORT, ROUTERLOG_PROTO, ROUTERLOG_TRAILER_NULL=1 instead of the arguments;
UCI, INITD and MOUNTS to use another uci command, init script directory or mount table.
EOF
}

die() {
	echo "setup-routerlog: $*" >&2
	exit 1
}

usage_error() {
	echo "setup-routerlog: $*" >&2
	echo "Run '$0 --help' for the options." >&2
	exit 2
}

host=${ROUTERLOG_HOST:-}
port=${ROUTERLOG_PORT:-5514}
proto=${ROUTERLOG_PROTO:-tcp}
trailer_null=${ROUTERLOG_TRAILER_NULL:-0}
undo=0
dry_run=0
allow_log_file=0

while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	-p | --port)
		[ $# -ge 2 ] || usage_error "$1 needs a value"
		port=$2; shift ;;
	--port=*) port=${1#*=} ;;
	--proto)
		[ $# -ge 2 ] || usage_error "$1 needs a value"
		proto=$2; shift ;;
	--proto=*) proto=${1#*=} ;;
	--tcp) proto=tcp ;;
	--udp) proto=udp ;;
	-0 | --null) trailer_null=1 ;;
	--allow-log-file) allow_log_file=1 ;;
	-n | --dry-run) dry_run=1 ;;
	--undo) undo=1 ;;
	--) shift; break ;;
	-*) usage_error "unknown option $1" ;;
	*)
		[ -z "$host" ] || [ "$host" = "$1" ] || usage_error "more than one HOST given ($host, $1)"
		host=$1 ;;
	esac
	shift
done
if [ $# -gt 0 ]; then
	[ $# -eq 1 ] || usage_error "more than one HOST given"
	host=$1
fi

# ---- helpers ------------------------------------------------------------------------------------------------------

# uci_get KEY: the value, or nothing when unset
uci_get() {
	# shellcheck disable=SC2086 # UCI may hold a command with arguments
	$UCI -q get "$1" 2>/dev/null
}

# run COMMAND...: print it, then run it unless --dry-run
run() {
	if [ "$dry_run" = 1 ]; then
		echo "  would run: $*"
		return 0
	fi
	echo "  + $*"
	"$@" || die "failed: $*"
}

# uci_run ARGS...: run "$UCI ARGS" through run (UCI may hold a command with arguments)
uci_run() {
	# shellcheck disable=SC2086
	run $UCI "$@"
}

# ensure KEY VALUE: set KEY to VALUE unless it already is; sets changed=1 when it changes something
ensure() {
	cur=$(uci_get "$1")
	if [ "$cur" = "$2" ]; then
		echo "  $1 is already '$2'"
		return 0
	fi
	if [ -n "$cur" ]; then
		echo "  $1: '$cur' -> '$2'"
	fi
	uci_run set "$1=$2"
	changed=1
}

# ensure_unset KEY: delete KEY if it is set; sets changed=1 when it deletes something
ensure_unset() {
	cur=$(uci_get "$1")
	if [ -z "$cur" ]; then
		return 0
	fi
	echo "  $1: '$cur' -> unset"
	uci_run -q delete "$1"
	changed=1
}

restart() {
	[ -x "$INITD/$1" ] || die "$INITD/$1 is missing"
	run "$INITD/$1" restart
}

# resolve PATH: absolute path with the symlinks of its existing directories resolved (/var/log/x -> /tmp/log/x)
resolve() {
	case $1 in
	/*) p=$1 ;;
	*) p=/$1 ;;
	esac
	dir=${p%/*}
	rest=/${p##*/}
	while [ -n "$dir" ] && [ ! -d "$dir" ]; do
		rest=/${dir##*/}$rest
		dir=${dir%/*}
	done
	real=$(cd "${dir:-/}" 2>/dev/null && pwd -P) || real=$dir
	[ "$real" = / ] && real=
	echo "$real$rest"
}

# fs_type PATH: "FSTYPE MOUNTPOINT" of the longest mount point in $MOUNTS that holds PATH (nothing if unknown)
fs_type() {
	[ -r "$MOUNTS" ] || return 0
	best=
	best_type=
	while read -r _dev mnt fstype _rest; do
		case $1 in
		"$mnt" | "$mnt"/*) ;;
		*) [ "$mnt" = / ] || continue ;;
		esac
		if [ ${#mnt} -ge ${#best} ]; then
			best=$mnt
			best_type=$fstype
		fi
	done <"$MOUNTS"
	[ -n "$best" ] && echo "$best_type $best"
}

# in_ram PATH: true when PATH is on tmpfs/ramfs (by the mount table; by the usual OpenWrt layout without one)
in_ram() {
	info=$(fs_type "$1")
	if [ -n "$info" ]; then
		case ${info%% *} in
		tmpfs | ramfs) return 0 ;;
		*) return 1 ;;
		esac
	fi
	case $1 in
	/tmp/* | /dev/shm/*) return 0 ;;
	*) return 1 ;;
	esac
}

# ---- checks -------------------------------------------------------------------------------------------------------

[ -n "$(uci_get "$SYS")" ] || die "no 'config system' section found ($UCI get $SYS failed); is this OpenWrt?"
[ -n "$(uci_get "$DNSMASQ")" ] || die "no 'config dnsmasq' section in /etc/config/dhcp: routerlog needs dnsmasq's query log"

if [ "$dry_run" = 1 ]; then
	echo "Dry run: nothing is changed."
fi

# ---- undo ---------------------------------------------------------------------------------------------------------

if [ "$undo" = 1 ]; then
	echo "Removing the remote log target (logd keeps its RAM log, see logread):"
	changed=0
	for opt in log_ip log_port log_proto log_trailer_null; do
		ensure_unset "$SYS.$opt"
	done
	if [ "$changed" = 1 ]; then
		uci_run commit system
		restart log
	else
		echo "  nothing to remove"
	fi
	echo "Turning off dnsmasq's query log:"
	changed=0
	ensure_unset "$DNSMASQ.logqueries"
	if [ "$changed" = 1 ]; then
		uci_run commit dhcp
		restart dnsmasq
	else
		echo "  nothing to remove"
	fi
	echo "Done."
	exit 0
fi

# ---- configure ----------------------------------------------------------------------------------------------------

[ -n "$host" ] || usage_error "HOST (routerlog's address) is missing"
case $host in
*[!A-Za-z0-9.:_-]*) usage_error "HOST '$host' is not an address or host name" ;;
esac
case $port in
'' | *[!0-9]*) usage_error "port '$port' is not a number" ;;
esac
# strip leading zeros so that 05514 is 5514 and the range check is decimal
while [ "${port#0}" != "$port" ] && [ ${#port} -gt 1 ]; do port=${port#0}; done
{ [ ${#port} -le 5 ] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ]; } || usage_error "port '$port' is not in 1-65535"
case $proto in
tcp | udp) ;;
*) usage_error "protocol '$proto' is neither tcp nor udp" ;;
esac
case $trailer_null in
1 | yes | true | on) trailer_null=1 ;;
0 | no | false | off | '') trailer_null=0 ;;
*) usage_error "ROUTERLOG_TRAILER_NULL='$trailer_null' is neither 1 nor 0" ;;
esac
[ "$trailer_null" = 0 ] || [ "$proto" = tcp ] || usage_error "--null (log_trailer_null) only applies to tcp"

# With logqueries, dnsmasq logs one line per DNS query. logd keeps its log in a RAM ring buffer; a log_file makes
# it also append every line to that file, which on flash means constant writes (wear) and a filling overlay.
log_file=$(uci_get "$SYS.log_file")
if [ -n "$log_file" ]; then
	where=$(resolve "$log_file")
	mount_info=$(fs_type "$where")
	mount_info="$where${mount_info:+, on ${mount_info% *} mounted at ${mount_info#* }}"
	if in_ram "$where"; then
		echo "Note: $SYS.log_file='$log_file' is in RAM ($mount_info); every DNS query will also be written there."
	elif [ "$allow_log_file" = 1 ]; then
		echo "WARNING: $SYS.log_file='$log_file' is on persistent storage ($mount_info);"
		echo "WARNING: every DNS query will be written to it. Going on because of --allow-log-file."
	else
		echo "setup-routerlog: refusing: $SYS.log_file='$log_file' is not in RAM ($mount_info)." >&2
		echo "  With logqueries every DNS query would be written to it: constant writes that wear out flash" >&2
		echo "  and fill it." >&2
		echo "  logd's own log (logread) stays in RAM without it. Remove it with:" >&2
		echo "    uci delete $SYS.log_file; uci commit system; /etc/init.d/log restart" >&2
		echo "  or run again with --allow-log-file to keep it (e.g. a file on a USB disk)." >&2
		exit 3
	fi
fi

# dnsmasq's logfacility: a path makes dnsmasq write its log to that file instead of syslog (routerlog would get
# nothing, and every query would go to that file); logd drops facility local7.
facility=$(uci_get "$DNSMASQ.logfacility")
case $facility in
/* | -*)
	echo "setup-routerlog: refusing: $DNSMASQ.logfacility='$facility' makes dnsmasq write its log there" >&2
	echo "  instead of to syslog, so routerlog would receive nothing. Remove it with:" >&2
	echo "    uci delete $DNSMASQ.logfacility; uci commit dhcp" >&2
	exit 3 ;;
[Ll][Oo][Cc][Aa][Ll]7)
	echo "setup-routerlog: refusing: $DNSMASQ.logfacility='$facility': logd discards facility local7." >&2
	echo "  Remove it with: uci delete $DNSMASQ.logfacility; uci commit dhcp" >&2
	exit 3 ;;
esac

echo "Sending the system log to routerlog at $host port $port over $proto:"
changed=0
if [ "$(uci_get "$SYS.log_remote")" = 0 ]; then
	echo "  remote logging was turned off (log_remote='0'); turning it on"
	ensure "$SYS.log_remote" 1
fi
ensure "$SYS.log_ip" "$host"
ensure "$SYS.log_port" "$port"
ensure "$SYS.log_proto" "$proto"
if [ "$trailer_null" = 1 ]; then
	ensure "$SYS.log_trailer_null" 1
else
	ensure_unset "$SYS.log_trailer_null"
fi
if [ "$changed" = 1 ]; then
	uci_run commit system
	restart log
else
	echo "  no change; logd is not restarted"
fi

echo "Making dnsmasq log every DNS query (logqueries, written as log-queries=extra):"
changed=0
ensure "$DNSMASQ.logqueries" 1
if [ "$changed" = 1 ]; then
	uci_run commit dhcp
	restart dnsmasq
else
	echo "  no change; dnsmasq is not restarted"
fi

if [ "$(uci_get "$DNSMASQ.logdhcp")" = 1 ]; then
	echo "Note: logdhcp is on: dnsmasq adds DHCP detail lines; routerlog counts and otherwise ignores them."
	echo "      Turn it off with: uci delete $DNSMASQ.logdhcp; uci commit dhcp; /etc/init.d/dnsmasq restart"
else
	echo "Note: logdhcp is not needed: routerlog learns MAC and hostname from the DHCPACK lines dnsmasq always logs."
fi

echo "Done. Check with: logread -e dnsmasq | tail"
echo "and on routerlog: curl -s http://$host:9514/metrics | grep routerlog_syslog_messages_total"
