#!/usr/bin/env bash
# The packaging checks of the test command (run by eng/test.sh after `dotnet test`; linux-x64 only):
# builds the linux-x64 release (eng/release.sh linux-x64), checks its checksums and SBOM, installs the tool
# package into a temporary tool path and runs `cloudinv demo` from it, then unpacks the self-contained archive
# and runs the demo from it with a PATH that has no dotnet. Prints one "packaging: PASS|FAIL <check>" line per
# check and "packaging: passed N, failed N"; exits non-zero when a check failed.
#   bash eng/test-packaging.sh               # builds artifacts/ first
#   bash eng/test-packaging.sh --no-build    # checks the artifacts/ already there
set -uo pipefail
cd "$(dirname "$0")/.."
tool_limit=$((150 * 1000 * 1000))     # the linux-x64 tool installs in under 150 MB
archive_limit=$((80 * 1000 * 1000))   # the self-contained linux-x64 archive is under 80 MB compressed
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # name, command...
  local name=$1; shift
  if "$@" > "$work/check.log" 2>&1; then
    passed=$((passed + 1)); echo "packaging: PASS $name"
  else
    failed=$((failed + 1)); echo "packaging: FAIL $name"; tail -20 "$work/check.log" | sed 's/^/    /'
  fi
}

if [ "${1:-}" != "--no-build" ]; then
  if ! bash eng/release.sh linux-x64 > "$work/release.log" 2>&1; then
    tail -40 "$work/release.log"
    echo "packaging: FAIL eng/release.sh linux-x64"
    echo "packaging: passed 0, failed 1"
    exit 1
  fi
fi
archive=$(ls artifacts/cloudinv-*-linux-x64.tar.gz 2>/dev/null | head -1)
version=${archive#artifacts/cloudinv-}; version=${version%-linux-x64.tar.gz}
echo "packaging: cloudinv $version"

checksums() { (cd artifacts && sha256sum -c SHA256SUMS) && grep -q "linux-x64.tar.gz" artifacts/SHA256SUMS \
  && grep -q "CloudInventory.Cli.linux-x64.$version.nupkg" artifacts/SHA256SUMS && grep -q "CloudInventory.Cli.$version.nupkg" artifacts/SHA256SUMS; }
check "SHA256SUMS lists and matches every archive and package" checksums

sbom() {
  python3 - "artifacts/cloudinv-$version.cdx.json" <<'PY'
import json, sys
bom = json.load(open(sys.argv[1]))
assert bom["bomFormat"] == "CycloneDX", bom.get("bomFormat")
names = {c["name"] for c in bom["components"]}
for needed in ("DuckDB.NET.Bindings.Full", "ParquetSharp", "Apache.Arrow", "AWSSDK.Core", "YamlDotNet", "System.CommandLine"):
    assert needed in names, f"{needed} missing from the SBOM"
assert "MinVer" not in names, "a build-time package is in the SBOM"
print(len(names), "components")
PY
}
check "the CycloneDX SBOM lists the tool's runtime packages" sbom

natives_only_own() {
  python3 - "artifacts/packages/CloudInventory.Cli.linux-x64.$version.nupkg" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
natives = [n for n in names if n.endswith((".so", ".dylib")) or n.lower().rsplit("/", 1)[-1] in ("duckdb.dll", "parquetsharpnative.dll")]
print("\n".join(natives))
assert any(n.endswith("libduckdb.so") for n in natives), "no libduckdb.so"
assert all(n.endswith(".so") and "/runtimes/" not in n for n in natives), "natives of other platforms"
assert "THIRD-PARTY-NOTICES.md" in names, "no THIRD-PARTY-NOTICES.md"
PY
}
check "the linux-x64 tool package carries only linux-x64 natives and the notices" natives_only_own

tool_demo() {
  dotnet tool install CloudInventory.Cli --version "$version" --tool-path "$work/tools" --add-source "$PWD/artifacts/packages" --ignore-failed-sources || return 1
  # The limit is on the installed tool's files; the SDK also keeps two copies of the .nupkg in the tool path's
  # .store (NuGet's and its own), reported beside it.
  local bytes all; bytes=$(du -sb --exclude='*.nupkg' "$work/tools" | cut -f1); all=$(du -sb "$work/tools" | cut -f1)
  echo "packaging: tool installed $bytes bytes ($all bytes with the kept .nupkg copies)" >> "$work/sizes"
  [ "$bytes" -lt "$tool_limit" ] || { echo "the tool installs in $bytes bytes, over $tool_limit"; return 1; }
  # First line: "cloudinv <version>", then " (commit …)" when the build knows its commit.
  "$work/tools/cloudinv" --version | head -1 | awk -v v="$version" '$1 == "cloudinv" && $2 == v { ok = 1 } END { exit !ok }' || return 1
  (cd "$work" && "$work/tools/cloudinv" demo --days 2 --dir "$work/demo-tool") | tee "$work/demo-tool.log" | tail -5
  grep -q "Instances per day" "$work/demo-tool.log"
}
check "the linux-x64 tool installs (< 150 MB) into a tool path and runs cloudinv demo" tool_demo

archive_demo() {
  local bytes; bytes=$(stat -c %s "$archive")
  echo "packaging: archive $bytes bytes compressed" >> "$work/sizes"
  [ "$bytes" -lt "$archive_limit" ] || { echo "$archive is $bytes bytes, over $archive_limit"; return 1; }
  mkdir -p "$work/unpacked" "$work/nobin" && tar -C "$work/unpacked" -xzf "$archive" || return 1
  local dir="$work/unpacked/cloudinv-$version-linux-x64"
  [ -f "$dir/THIRD-PARTY-NOTICES.md" ] && [ -d "$dir/licenses" ] || { echo "no notices in the archive"; return 1; }
  # No dotnet anywhere on PATH and no DOTNET_ variables: the archive must carry its runtime.
  env -i HOME="$work" PATH="$work/nobin" sh -c 'command -v dotnet' && return 1
  (cd "$work" && env -i HOME="$work" PATH="$work/nobin" "$dir/cloudinv" demo --days 2 --dir "$work/demo-archive") | tee "$work/demo-archive.log" | tail -5
  grep -q "Instances per day" "$work/demo-archive.log"
}
check "the self-contained linux-x64 archive (< 80 MB) runs cloudinv demo with no dotnet on PATH" archive_demo

[ -f "$work/sizes" ] && cat "$work/sizes"
echo "packaging: passed $passed, failed $failed"
[ "$failed" -eq 0 ]
