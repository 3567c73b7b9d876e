#!/bin/bash
# Kuryr.Node's main job: the local cluster with real parts.
#
#   ./run.sh [options]    bring up the real services (testbed/up.sh: Redis, Neutron + Keystone,
#                         kube-apiserver + etcd, OVS, CNI plugins), build Kuryr.Node in Release, then
#                         run kuryr-local-cluster: OpenStack side, Node objects, the real kuryr-controller
#                         and one kuryr-agent per node, pods networked by the real kuryr-cni chain,
#                         pings, a summary table; keeps running until Ctrl-C, then cleans up and stops
#                         the test bed (testbed/down.sh).
#
# Options (run.sh's own):
#   --keep-testbed        do not stop the test bed at the end (others may be using it)
#   --detach              only bring the test bed up, print its endpoints and return
# Options passed to kuryr-local-cluster (see docs/local-cluster.md):
#   --pods N              pods per node (default 10)
#   --pool-driver P       pools (default: multi_pool, neutron/nested pools) or noop (no pools)
#   --once                print the summary, clean up and exit (CI)
#   --run-dir DIR         configs, sockets, state and logs (default /tmp/kuryr-local)
#   --no-nested           only the bare-metal node
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DETACH=0 KEEP=0 ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --detach) DETACH=1 ;;
    --keep-testbed) KEEP=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    --pods|--pool-driver|--run-dir|--testbed-env) [ $# -ge 2 ] || { echo "$1 needs a value (see --help)" >&2; exit 2; }; ARGS+=("$1" "$2"); shift ;;
    --once|--no-nested) ARGS+=("$1") ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required" >&2; exit 2; }

ENVF=$("$ROOT/testbed/up.sh" | sed -n 's/^KURYR_TESTBED_ENV=//p')
[ -n "$ENVF" ] || { echo "testbed/up.sh did not print KURYR_TESTBED_ENV" >&2; exit 1; }
if [ $DETACH = 1 ]; then
  echo "Kuryr.Node local test bed is up (endpoints from $ENVF):"
  printf '  %-28s %s\n' $(sed 's/=/ /' "$ENVF" | grep -Ev '^(OS_PASSWORD|K8S_TOKEN) ')
  echo "  stop with: $ROOT/testbed/down.sh"
  exit 0
fi
if [ $KEEP = 0 ]; then
  trap '"$ROOT/testbed/down.sh" >/dev/null 2>&1; echo "test bed stopped."' EXIT
fi

need=()
command -v ip >/dev/null || need+=(iproute2)
command -v ping >/dev/null || need+=(iputils-ping)
command -v python3 >/dev/null || need+=(python3)
if ! command -v kubectl >/dev/null && apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then need+=(kubectl); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

echo "building Kuryr.Node (Release)..."
dotnet build "$ROOT/src/Kuryr.LocalCluster" -c Release -nologo -v q -clp:ErrorsOnly
# The program cleans up everything it started on Ctrl-C/SIGTERM; the trap above then stops the test bed.
set +e
dotnet "$ROOT/src/Kuryr.LocalCluster/bin/Release/net10.0/kuryr-local-cluster.dll" --testbed-env "$ENVF" --repo-root "$ROOT" "${ARGS[@]}"
rc=$?
exit $rc
