#!/usr/bin/env bash
# The whole test suite, from a clean clone: restores NuGet packages, installs the npm tools the
# tests use (when a test needs them), builds, and runs every test project.
#   bash eng/test.sh                 # everything
#   bash eng/test.sh --filter X      # extra arguments go to `dotnet test` (the packaging step is then skipped)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/conformance ]; then
  echo "error: ../shared/conformance is missing; the conformance tests read AWS's suites from there" >&2
  exit 2
fi
# The dashboard's browser tests drive Debian's chromium through Playwright, which must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: /usr/bin/chromium is missing and apt-get is not available; install Debian's chromium package" >&2
    exit 2
  fi
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

# Packaging (a separate step): the linux-x64 release is built, the tool installed into a temporary tool path and
# the self-contained archive unpacked, and each runs `cloudinv demo` (see eng/test-packaging.sh). Its checks count
# in the line below; a failed one fails the test command.
if [ $# -eq 0 ]; then
  pkg_status=0
  bash eng/test-packaging.sh | tee "$log.packaging" || pkg_status=$?
  pkg_passed=$(sed -nE 's/^packaging: passed ([0-9]+), failed ([0-9]+)$/\1/p' "$log.packaging")
  pkg_failed=$(sed -nE 's/^packaging: passed ([0-9]+), failed ([0-9]+)$/\2/p' "$log.packaging")
  rm -f "$log.packaging"
  passed=$((passed + ${pkg_passed:-0}))
  failed=$((failed + ${pkg_failed:-1}))
  if [ "$pkg_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$pkg_status; fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
