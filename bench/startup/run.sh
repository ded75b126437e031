#!/usr/bin/env bash
# Whole-process start-up benchmark (docs/benchmarks.md §6): wall and CPU time, median of N runs, of
#   cloudinv query "select count(*) from current_aws_ec2_instances"   on a demo store
#   cloudinv tables --filter 'aws_ec2_*'
# and, as the baseline, DuckDB itself on the same query over the same Parquet file (bench/startup/duckdb_baseline.c,
# linked to the libduckdb.so the tool ships).
#
# usage: bench/startup/run.sh STORE [RUNS] [CLOUDINV]
#   STORE     a store made by `cloudinv demo --dir STORE`
#   RUNS      runs per command (default 11)
#   CLOUDINV  the cloudinv executable (default: a ReadyToRun publish made here into artifacts/startup-bench)
set -euo pipefail
store=${1:?usage: run.sh STORE [RUNS] [CLOUDINV]}
runs=${2:-11}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/artifacts/startup-bench"
mkdir -p "$out"
cli=${3:-}
if [[ -z "$cli" ]]; then
  dotnet publish "$root/src/CloudInventory.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/cloudinv" >/dev/null
  cli="$out/cloudinv/cloudinv"
fi
libdir=$(dirname "$(find "$(dirname "$cli")" -name libduckdb.so | head -1)")
cc -O2 -o "$out/duckdb_baseline" "$here/duckdb_baseline.c" -L"$libdir" -lduckdb -Wl,-rpath,"$libdir"

# The file the current_ view reads: the latest run's aws_ec2_instances file(s).
latest=$(ls -d "$store"/aws/ec2/instances/report_date=* | sort | tail -1)
files=$(ls "$latest"/*.parquet | sed "s/.*/'&'/" | paste -sd, -)

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() { # name, command...
  local name=$1; shift
  local walls=() cpus=()
  "$@" >/dev/null 2>&1 # warm the file cache
  for ((i = 0; i < runs; i++)); do
    local t
    /usr/bin/time -f "%e %U %S" -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
    t=$(tail -1 "$out/time.txt")
    walls+=("$(awk '{ print $1 }' <<<"$t")")
    cpus+=("$(awk '{ printf "%.2f", $2 + $3 }' <<<"$t")")
  done
  printf '| %s | %s | %s |\n' "$name" "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
echo "| command | wall s (median) | CPU s (median) |"
echo "|---|---|---|"
measure "duckdb (C API) count(*) over the same file" "$out/duckdb_baseline" "select count(*) from read_parquet([$files])"
measure "cloudinv query count(*) from current_aws_ec2_instances" "$cli" query "select count(*) from current_aws_ec2_instances" --store "$store"
measure "cloudinv tables --filter 'aws_ec2_*'" "$cli" tables --filter 'aws_ec2_*'
measure "cloudinv --version" "$cli" --version
