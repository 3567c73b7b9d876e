#!/bin/bash
# Benchmarks: speed and memory targets are measured here, never asserted in tests.
#   bench/run.sh [BenchmarkDotNet args, e.g. --filter '*Pool*']
# Brings up the real services the benchmarks use, runs them with a short job and prints the table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$ROOT/testbed/up.sh" redis >/dev/null
ARGS=("$@"); [ ${#ARGS[@]} -eq 0 ] && ARGS=(--filter '*')
cd "$ROOT/bench/Kuryr.Bench"
dotnet run -c Release -- --job short --exporters markdown "${ARGS[@]}" 2>&1 | tee /tmp/kuryr-bench.log | sed -n '/^| /p;/^|-/p'
echo "(full log: /tmp/kuryr-bench.log; results: $ROOT/bench/Kuryr.Bench/BenchmarkDotNet.Artifacts/results)"
