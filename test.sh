#!/bin/bash
# Kuryr.Node's test command: installs what it needs, brings up the real test bed
# (Redis, Neutron + Keystone, kube-apiserver + etcd, Open vSwitch, CNI plugins), builds
# with warnings as errors, checks formatting, runs every unit and integration test, and
# stops the test bed again.
#
#   ./test.sh              everything
#   ./test.sh --keep       leave the test bed running afterwards (faster next run)
#   ./test.sh --filter X   pass a dotnet test --filter expression (e.g. FullyQualifiedName~Neutron)
#   ./test.sh --no-format  skip the `dotnet format --verify-no-changes` check
#
# The last line is the total: "Tests: N passed, N failed, N skipped".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
KEEP=0 FORMAT=1 FILTER=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --no-format) FORMAT=0 ;;
    --filter) FILTER=(--filter "$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "[test.sh $(date +%T)] $*" >&2; }
[ "$(id -u)" = 0 ] || { log "run as root: the tests create network namespaces and install packages"; exit 2; }
command -v dotnet >/dev/null || { log "the .NET SDK (dotnet) is not on PATH"; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ $KEEP = 0 ]; then trap '"$ROOT/testbed/down.sh" >/dev/null 2>&1 || true' EXIT; fi

T0=$(date +%s)
log "building (Release, warnings as errors)"
dotnet build Kuryr.Node.sln -c Release -nologo -clp:ErrorsOnly &
BUILD=$!
log "bringing up the test bed (first run on a fresh machine: apt installs + kube-apiserver build, ~6 min)"
testbed/up.sh >/dev/null
wait $BUILD
log "build + test bed ready in $(( $(date +%s) - T0 ))s"

if [ $FORMAT = 1 ]; then
  log "dotnet format --verify-no-changes"
  dotnet format Kuryr.Node.sln --verify-no-changes --no-restore
fi

RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/kuryr-test-results.XXXXXX")
log "running the tests (results in $RESULTS)"
rc=0
dotnet test Kuryr.Node.sln -c Release --no-build --nologo "${FILTER[@]}" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
  --blame-hang-timeout 10m || rc=$?

passed=0 failed=0 skipped=0
for f in "$RESULTS"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); passed=$((passed + ${p:-0}))
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c"); failed=$((failed + ${x:-0}))
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$c"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$c")
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
log "total time $(( $(date +%s) - T0 ))s"
# CI keeps only the tail of the output: name every failed test with the first lines of its message.
if [ $failed -gt 0 ]; then
  log "failed tests:"
  python3 - "$RESULTS" <<'PY' >&2 || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(f).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") != "Failed":
            continue
        msg = r.find(".//t:ErrorInfo/t:Message", ns)
        text = (msg.text or "").strip().splitlines() if msg is not None else []
        print("  FAILED " + r.get("testName", "?"))
        for line in text[:6]:
            print("      " + line[:300])
PY
fi
if [ $rc -eq 0 ] && [ $passed -eq 0 ]; then log "no test ran"; rc=1; fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $rc
