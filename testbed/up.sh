#!/bin/bash
# Bring up the real services Kuryr.Node's tests and local cluster use, on 127.0.0.1 only:
#
#   testbed/up.sh [SERVICE...]     SERVICE: redis neutron keystone kube ovs cni  (default: all)
#
#   redis     Redis 7                                    127.0.0.1:16379
#   neutron   neutron-server, trusted-header auth         http://127.0.0.1:19696/v2.0
#   keystone  Keystone + a second neutron-server that     http://127.0.0.1:15000/v3
#             validates real tokens (catalog → 19697)     http://127.0.0.1:19697/v2.0
#   kube      etcd + kube-apiserver v1.20.2               https://127.0.0.1:16443
#   ovs       ovsdb-server + ovs-vswitchd, br-int netdev  unix socket
#   cni       the reference CNI plugins                   /usr/lib/cni
#
# A service that already answers is left alone (so parallel test runs share one test bed);
# one that does not is (re)started by its script. Concurrent calls are serialised with a lock.
# Everything is installed with apt-get when missing. All endpoints are written, KEY=VALUE one
# per line, to $KURYR_TESTBED_DIR/env (default ${TMPDIR:-/tmp}/kuryr-testbed/env), which the
# tests read (tests/Kuryr.Testing). Stop with testbed/down.sh.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

TB=${KURYR_TESTBED_DIR:-${TMPDIR:-/tmp}/kuryr-testbed}
mkdir -p "$TB"
# The daemons started below must not inherit the lock's descriptor (they would hold the lock for
# ever): each service is brought up with fd 9 closed. (up.lock, not lock: an older up.sh leaked
# "lock" into daemons that still run.)
exec 9>"$TB/up.lock"
flock 9

export REDIS_PORT=${REDIS_PORT:-16379}
export NEUTRON_PORT=${NEUTRON_PORT:-19696}
NEUTRON_KS_PORT=${NEUTRON_KS_PORT:-19697}
export KEYSTONE_PORT=${KEYSTONE_PORT:-15000}
export KEYSTONE_ADMIN_PASSWORD=${KEYSTONE_ADMIN_PASSWORD:-s3cret}
export K8S_PORT=${K8S_PORT:-16443}
T=${TMPDIR:-/tmp}

services=("$@")
[ ${#services[@]} -eq 0 ] && services=(redis neutron keystone kube ovs cni)

HDRS=(-H "X-User-Id: testbed" -H "X-Project-Id: testbed" -H "X-Roles: admin")
# A busy server (Neutron serves one request at a time) may take a while: only several failed
# probes in a row count as "not running".
http_ok() {
  local i
  for i in 1 2 3; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$@" 2>/dev/null)" = 200 ] && return 0
    [ $i = 3 ] || sleep 1
  done
  return 1
}

up_redis() {
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != PONG ]; then "$HERE/redis/start-redis.sh" start >/dev/null; fi
}
# A server whose recorded process is alive and whose port accepts connections is up (maybe busy:
# Neutron serves one request at a time); only a dead or deaf one is (re)started.
recorded_alive() { local pid; pid=$(tr -dc '0-9' <"$1" 2>/dev/null || true); [ -n "$pid" ] && pid_alive "$pid"; }
up_neutron() {
  if ! { recorded_alive "$T/kuryr-neutron/neutron.pid" && port_in_use "$NEUTRON_PORT"; }; then
    NEUTRON_AUTH=headers NEUTRON_STATE_DIR="$T/kuryr-neutron" "$HERE/openstack/start-neutron.sh" >/dev/null
  fi
}
up_keystone() {
  if ! http_ok "http://127.0.0.1:$KEYSTONE_PORT/v3"; then
    NEUTRON_URL="http://127.0.0.1:$NEUTRON_KS_PORT" "$HERE/openstack/start-keystone.sh" >/dev/null
    # a fresh Keystone invalidates a running Neutron's service token: restart it below
    NEUTRON_AUTH=keystone NEUTRON_PORT=$NEUTRON_KS_PORT NEUTRON_STATE_DIR="$T/kuryr-neutron-ks" "$HERE/openstack/start-neutron.sh" stop
  fi
  if ! { recorded_alive "$T/kuryr-neutron-ks/neutron.pid" && port_in_use "$NEUTRON_KS_PORT"; }; then
    NEUTRON_AUTH=keystone NEUTRON_PORT=$NEUTRON_KS_PORT NEUTRON_STATE_DIR="$T/kuryr-neutron-ks" "$HERE/openstack/start-neutron.sh" >/dev/null
  fi
}
up_kube() {
  local st=${KUBE_STATE_DIR:-$T/kuryr-kube}
  if [ -f "$st/env" ]; then
    # shellcheck disable=SC1091
    (. "$st/env"; http_ok --cacert "$K8S_CA" -H "Authorization: Bearer $K8S_TOKEN" "$K8S_SERVER/readyz") && return 0
  fi
  "$HERE/kubernetes/start-kube-apiserver.sh" >/dev/null
}
up_ovs() {
  "$HERE/ovs/start-ovs.sh" status >/dev/null 2>&1 || "$HERE/ovs/start-ovs.sh" start >/dev/null
}
up_cni() { ensure_pkgs containernetworking-plugins; }

for s in "${services[@]}"; do
  case "$s" in
    redis|neutron|keystone|kube|ovs|cni) tools_log "bringing up $s"; "up_$s" 9>&- ;;
    *) tools_die "unknown service '$s' (redis neutron keystone kube ovs cni)" ;;
  esac
done

# One env file for every consumer, whatever subset was asked for this time.
{
  echo "REDIS_ENDPOINT=127.0.0.1:$REDIS_PORT"
  echo "NEUTRON_ENDPOINT=http://127.0.0.1:$NEUTRON_PORT/v2.0"
  echo "NEUTRON_STATE_DIR=$T/kuryr-neutron"
  echo "NEUTRON_KEYSTONE_ENDPOINT=http://127.0.0.1:$NEUTRON_KS_PORT/v2.0"
  echo "OS_AUTH_URL=http://127.0.0.1:$KEYSTONE_PORT/v3"
  echo "OS_USERNAME=admin"
  echo "OS_PASSWORD=$KEYSTONE_ADMIN_PASSWORD"
  echo "OS_PROJECT_NAME=admin"
  echo "OS_USER_DOMAIN_ID=default"
  echo "OS_PROJECT_DOMAIN_ID=default"
  echo "OS_REGION_NAME=RegionOne"
  kst=${KUBE_STATE_DIR:-$T/kuryr-kube}
  if [ -f "$kst/env" ]; then sed -n 's/^export //p' "$kst/env"; fi
  ost=${OVS_STATE_DIR:-$T/kuryr-ovs}
  if [ -f "$ost/env" ]; then sed -n 's/^export //p' "$ost/env"; fi
  echo "CNI_PLUGIN_DIR=/usr/lib/cni"
} > "$TB/env.tmp"
mv "$TB/env.tmp" "$TB/env"
tools_log "test bed up: ${services[*]}; endpoints in $TB/env"
echo "KURYR_TESTBED_ENV=$TB/env"
