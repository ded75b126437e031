#!/usr/bin/env bash
# Memory of a scheduled `cloudinv serve` over many consecutive runs against the simulator (docs/benchmarks.md §7).
# Usage: bash eng/bench-scheduled-serve.sh [runs=100] [out=artifacts/bench-scheduled-serve.tsv]
# Starts `cloudinv simulate` and `cloudinv serve --schedule '* * * * * *'` (a run every second, one at a time), and after
# each finished run (JSON log event 2) records the serve process's RSS (VmRSS) and its peak (VmHWM), then asks the
# dashboard API for the runs (the server reloads the store after each run). Needs a Release build of the CLI.
set -euo pipefail
runs=${1:-100}
out=${2:-artifacts/bench-scheduled-serve.tsv}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${CLOUDINV_DLL:-"$root/src/CloudInventory.Cli/bin/Release/net10.0/cloudinv.dll"}  # or a copy, to keep building meanwhile
work=$(mktemp -d)
mkdir -p "$(dirname "$out")"
cleanup() { kill "${serve_pid:-}" "${sim_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
dotnet "$dll" simulate --port 0 --accounts 3 --regions us-east-1,eu-west-1 >"$work/sim.out" 2>&1 & sim_pid=$!
until grep -q '^Press Ctrl+C' "$work/sim.out"; do sleep 0.2; done
eval "$(grep '^  export' "$work/sim.out" | sed 's/^ *//')"
dotnet "$dll" serve --store "$work/store" --listen 127.0.0.1:0 --schedule '* * * * * *' --log-format json \
  --org --role-name inventory --tables aws_ec2_instances aws_ec2_vpcs aws_ec2_subnets aws_ec2_security_groups aws_s3_buckets aws_iam_roles >"$work/serve.out" 2>"$work/serve.err" & serve_pid=$!
until grep -q '^Cloud Inventory dashboard' "$work/serve.out"; do sleep 0.2; done
address=$(sed -n 's/^Cloud Inventory dashboard: \(http[^ ]*\) .*/\1/p' "$work/serve.out")
printf 'run\trss_kib\tpeak_kib\trows\tduration_ms\tapi_runs\n' >"$out"
seen=0
while [ "$seen" -lt "$runs" ]; do
  n=$(grep -c '"EventId":2,' "$work/serve.err" || true)
  if [ "$n" -gt "$seen" ]; then
    seen=$n
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status")
    peak=$(awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status")
    line=$(grep '"EventId":2,' "$work/serve.err" | sed -n "${n}p")
    rows=$(sed -n 's/.*"Rows":\([0-9]*\).*/\1/p' <<<"$line")
    ms=$(sed -n 's/.*"DurationMs":\([0-9]*\).*/\1/p' <<<"$line")
    api=$(curl -s "${address}api/v1/runs" | grep -o '"run_id"' | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rss" "$peak" "$rows" "$ms" "$api" | tee -a "$out"
  fi
  sleep 0.2
done
kill -TERM "$serve_pid"; wait "$serve_pid" || true
echo "skipped due times: $(grep -c '"EventId":42,' "$work/serve.err" || true); written to $out"
