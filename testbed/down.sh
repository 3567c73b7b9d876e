#!/bin/bash
# Stop everything testbed/up.sh started (recorded PIDs only). --purge also removes state dirs.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=${TMPDIR:-/tmp}
"$HERE/kubernetes/stop-kube-apiserver.sh" "$@"
NEUTRON_STATE_DIR="$T/kuryr-neutron" "$HERE/openstack/start-neutron.sh" stop
NEUTRON_STATE_DIR="$T/kuryr-neutron-ks" "$HERE/openstack/start-neutron.sh" stop
"$HERE/openstack/start-keystone.sh" stop
"$HERE/redis/start-redis.sh" stop
"$HERE/ovs/start-ovs.sh" stop
rm -f "${KURYR_TESTBED_DIR:-$T/kuryr-testbed}/env"
exit 0
