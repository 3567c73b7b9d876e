#!/bin/bash
# Per-call process cost of kuryr-cni: exec it N times and print a table. Measured, never asserted.
#   bench/cni-exec.sh [N=200]
# Builds two framework-dependent linux-x64 publishes (ReadyToRun and plain JIT) and times, per build:
#   VERSION            answered locally (pure start-up + stdin/stdout)
#   ADD, agent down    parse env + config, try the unix socket, print CNI error 11
# Wall time per exec (fork+exec+exit, as kubelet/containerd pay it), and the peak RSS of one call.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-200}
OUT=/tmp/kuryr-cni-bench
publish() { # $1 dir, $2 R2R true/false
  dotnet publish "$ROOT/src/Kuryr.Cni" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun="$2" -o "$1" -nologo -v quiet >/dev/null
}
echo "publishing (ReadyToRun and JIT) ..." >&2
publish "$OUT/r2r" true
publish "$OUT/jit" false

CONF='{"cniVersion":"1.0.0","name":"kuryr","type":"kuryr-cni","socket":"/tmp/kuryr-cni-bench-no-agent.sock"}'
measure() { # $1 binary, $2 command → "mean p50 p95 max" in ms
  local bin=$1 cmd=$2 t0 t1 i
  local -a samples=()
  for ((i = 0; i < N; i++)); do
    t0=$(date +%s%N)
    echo "$CONF" | CNI_COMMAND=$cmd CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=eth0 \
      CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p" "$bin" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$N" '{a[NR]=$1; s+=$1} END {
    printf "%8.2f %8.2f %8.2f %8.2f", s/n/1000, a[int(n*0.5)+1]/1000, a[int(n*0.95)]/1000, a[n]/1000 }'
}
rss() { # peak RSS (MiB) of one call
  local bin=$1 cmd=$2
  echo "$CONF" | CNI_COMMAND=$cmd CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=eth0 \
    /usr/bin/time -f '%M' "$bin" 2>&1 >/dev/null | tail -1 | awk '{printf "%6.1f", $1/1024}'
}
[ -x /usr/bin/time ] || rss() { printf '%6s' n/a; }

printf '\nkuryr-cni per-call cost, N=%s execs each (%s, %s)\n\n' "$N" "$(uname -r)" "$(dotnet --version)"
printf '| %-5s | %-16s | %8s | %8s | %8s | %8s | %8s |\n' build command "mean ms" "p50 ms" "p95 ms" "max ms" "RSS MiB"
printf '|-------|------------------|----------|----------|----------|----------|----------|\n'
for build in r2r jit; do
  for cmd in VERSION ADD; do
    label=$cmd; [ "$cmd" = ADD ] && label="ADD (agent down)"
    read -r mean p50 p95 max <<<"$(measure "$OUT/$build/kuryr-cni" "$cmd")"
    printf '| %-5s | %-16s | %8s | %8s | %8s | %8s | %8s |\n' "$build" "$label" "$mean" "$p50" "$p95" "$max" "$(rss "$OUT/$build/kuryr-cni" "$cmd")"
  done
done
t0=$(date +%s%N); for ((i = 0; i < N; i++)); do /bin/true; done; t1=$(date +%s%N)
printf '\n(baseline: fork+exec of /bin/true costs %.3f ms here)\n' "$(echo "($t1 - $t0) / $N / 1000000" | bc -l)"
