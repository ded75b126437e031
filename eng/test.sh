#!/usr/bin/env bash
# The whole test suite, from a clean clone: restores NuGet packages, installs the npm tools the
# tests use (when a test needs them), builds, and runs every test project.
#   bash eng/test.sh                 # everything
#   bash eng/test.sh --filter X      # extra arguments go to `dotnet test`
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/conformance ]; then
  echo "error: ../shared/conformance is missing; the conformance tests read AWS's suites from there" >&2
  exit 2
fi
# buildah builds the container image in the image test (ContainerImageTests); Debian has it.
if ! command -v buildah >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q buildah) >/dev/null 2>&1 \
    || echo "warning: could not install buildah; the container image test will fail" >&2
fi
if [ -f eng/npm/package.json ]; then
  (cd eng/npm && npm ci --no-audit --no-fund --silent)
fi
dotnet restore CloudInventory.slnx
dotnet build CloudInventory.slnx --no-restore -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test CloudInventory.slnx --no-build -c Release --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
passed=$(grep -E '^\s+Passed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}' || true)
failed=$(grep -E '^\s+Failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}' || true)
skipped=$(grep -E '^\s+Skipped: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}' || true)
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
