#!/usr/bin/env bash
# Prepares the real syslog relays that RealRelaysTest forwards dnsmasq lines through:
#   - rsyslog, Debian's package, installed as usual (nothing runs it: the tests start their own instances);
#   - syslog-ng and its loggen, unpacked into a directory of their own: Debian's syslog-ng-core conflicts with
#     rsyslog as a package, so it is not installed, only its runtime libraries are.
# Idempotent, and quick when everything is in place. Needs root (or sudo) when something is missing.
#
#   scripts/prepare-relays.sh
#
# Environment:
#   SYSLOG_NG_TEST_HOME  where syslog-ng-core is unpacked [/opt/routerlog-test/syslog-ng]; the tests read
#                             the same variable
set -euo pipefail
home=${SYSLOG_NG_TEST_HOME:-/opt/routerlog-test/syslog-ng}
export PATH=$PATH:/usr/sbin:/sbin
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[[ $(id -u) == 0 ]] || SUDO=sudo

updated=0
apt_update() {
    if ((!updated)); then
        $SUDO apt-get update -qq
        updated=1
    fi
}

# syslog-ng as unpacked here works: the daemon and loggen start, and loggen finds its transport plugins
syslog_ng_works() {
    local libs=$home/usr/lib/syslog-ng
    [[ -x $home/usr/sbin/syslog-ng && -x $home/usr/bin/loggen ]] || return 1
    LD_LIBRARY_PATH=$libs "$home/usr/sbin/syslog-ng" --version >/dev/null 2>&1 || return 1
    local help
    help=$(SYSLOGNG_PREFIX=$home/usr LD_LIBRARY_PATH=$libs "$home/usr/bin/loggen" --help-all 2>&1) || return 1
    [[ $help == *--inet* ]] || return 1
}

if ! command -v rsyslogd >/dev/null 2>&1; then
    echo "prepare-relays: installing rsyslog"
    apt_update
    $SUDO apt-get install -y -qq --no-install-recommends rsyslog
fi

if ! syslog_ng_works; then
    # a directory this script made (it leaves a marker), or a new or empty one: never anything else
    if [[ $home != /?* || $home == */ ]] \
        || { [[ -d $home && -n $(ls -A "$home") && ! -e $home/.prepare-relays ]]; }; then
        echo "prepare-relays: $home is not a directory this script made; set SYSLOG_NG_TEST_HOME" >&2
        exit 1
    fi
    echo "prepare-relays: unpacking syslog-ng-core into $home"
    apt_update
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if [[ -z $SUDO ]] && id _apt >/dev/null 2>&1; then
        chown _apt "$tmp"   # root's apt-get fetches as the _apt user
    fi
    (cd "$tmp" && apt-get download -qq syslog-ng-core)
    deb=$(echo "$tmp"/syslog-ng-core_*.deb)
    # its runtime libraries: the first alternative of every dependency that is a library (lib*), no versions
    mapfile -t libs < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' \
        | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' | grep '^lib' | sort -u)
    echo "prepare-relays: installing syslog-ng's libraries ${libs[*]}"
    $SUDO apt-get install -y -qq --no-install-recommends "${libs[@]}"
    $SUDO rm -rf "$home.new"
    $SUDO mkdir -p "$home.new"
    $SUDO dpkg -x "$deb" "$home.new"
    $SUDO touch "$home.new/.prepare-relays"
    $SUDO rm -rf "$home"
    $SUDO mv "$home.new" "$home"
    if ! syslog_ng_works; then
        echo "prepare-relays: syslog-ng unpacked into $home does not run" >&2
        LD_LIBRARY_PATH=$home/usr/lib/syslog-ng "$home/usr/sbin/syslog-ng" --version >&2 || true
        exit 1
    fi
fi
rsyslog_version=$(rsyslogd -v | awk 'NR == 1 { print $2 }' | tr -d ,)
syslog_ng_version=$(LD_LIBRARY_PATH=$home/usr/lib/syslog-ng "$home/usr/sbin/syslog-ng" --version \
    | awk 'NR == 1 { print $3 }' | tr -d '()')
echo "prepare-relays: rsyslog $rsyslog_version, syslog-ng $syslog_ng_version in $home"
