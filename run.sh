#!/bin/bash
# Kuryr.Node's main job: the local cluster with real parts.
#
#   ./run.sh            bring up the real services, print their endpoints, keep running
#                       until Ctrl-C, then stop everything it started
#   ./run.sh --detach   bring them up, print, and return (stop later with testbed/down.sh)
#
# Until the local-cluster scenario lands (issue 7: controller + agents + kubelet-like pod
# creation), this brings up and checks the test bed the components run against: Redis,
# Neutron (trusted headers on 19696; Keystone-validated on 19697), Keystone, kube-apiserver
# v1.20.2 + etcd, Open vSwitch (userspace datapath, br-int) and the reference CNI plugins.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DETACH=0
case "${1:-}" in
  --detach) DETACH=1 ;;
  "") ;;
  -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
ENVF=$("$ROOT/testbed/up.sh" | sed -n 's/^KURYR_TESTBED_ENV=//p')
echo
echo "Kuryr.Node local test bed is up (endpoints from $ENVF):"
printf '  %-28s %s\n' $(sed 's/=/ /' "$ENVF" | grep -Ev '^(OS_PASSWORD|K8S_TOKEN) ')
echo
echo "  kubectl-compatible kubeconfig: $(sed -n 's/^KUBECONFIG=//p' "$ENVF")"
echo "  Neutron (trusted headers): curl -H 'X-User-Id: u' -H 'X-Project-Id: p' -H 'X-Roles: admin' $(sed -n 's/^NEUTRON_ENDPOINT=//p' "$ENVF")/networks"
[ $DETACH = 1 ] && { echo "  stop with: $ROOT/testbed/down.sh"; exit 0; }
trap '"$ROOT/testbed/down.sh" >/dev/null 2>&1; echo "stopped."' EXIT
echo "Ctrl-C stops everything."
while sleep 3600; do :; done
