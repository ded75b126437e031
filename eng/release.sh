#!/usr/bin/env bash
# Builds a release of cloudinv locally into artifacts/ (removed first), from the checked-out commit:
#   packages/  CloudInventory.Cli.<version>.nupkg (pointer) + CloudInventory.Cli.<rid>.<version>.nupkg per platform
#   cloudinv-<version>-<rid>.tar.gz (.zip for win-x64): self-contained, single-file cloudinv + its natives,
#              README, CHANGELOG, THIRD-PARTY-NOTICES.md and licenses/ (the licence files the packages ship)
#   cloudinv-<version>.cdx.json: CycloneDX SBOM of the tool's real dependency graph (offline, from project.assets.json)
#   SHA256SUMS: sha256sum of every file above (check with: cd artifacts && sha256sum -c SHA256SUMS)
#   sizes.tsv: bytes of each artifact, and of each archive and tool package unpacked
#
#   bash eng/release.sh                      # every platform
#   bash eng/release.sh linux-x64            # some platforms (the test command builds only linux-x64)
# The version comes from the git tag (MinVer): tag vX.Y.Z first for a release; untagged builds are
# 0.0.0-alpha.0.<height> (or X.Y.(Z+1)-alpha.0.<height> after a tag).
set -euo pipefail
cd "$(dirname "$0")/.."
all_rids=(linux-x64 linux-arm64 osx-arm64 osx-x64 win-x64)
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=("${all_rids[@]}")
for rid in "${rids[@]}"; do
  case " ${all_rids[*]} " in *" $rid "*) ;; *) echo "error: unknown platform '$rid'; use some of: ${all_rids[*]}" >&2; exit 2;; esac
done
rid_list="${rids[*]}" # space-separated: the project turns it into its ToolPackageRuntimeIdentifiers
out=artifacts
rm -rf "$out"
mkdir -p "$out/packages"
cli=src/CloudInventory.Cli/CloudInventory.Cli.csproj

# ReadyToRun: the tool ships precompiled code, so a short command does not wait for the JIT (docs/benchmarks.md §7).
r2r=-p:PublishReadyToRun=true
dotnet restore "$cli" -p:ReleaseRuntimeIdentifiers="$rid_list" "$r2r"
version=$(dotnet msbuild "$cli" -nologo -t:MinVer -p:Configuration=Release -getProperty:PackageVersion)
echo "release: cloudinv $version for ${rids[*]}"

# Tool packages: the pointer package and one framework-dependent package per platform.
dotnet pack "$cli" -c Release --no-restore -o "$out/packages" -p:ReleaseRuntimeIdentifiers="$rid_list" "$r2r"

# Self-contained archives. Trimming is "partial": only assemblies that declare themselves trimmable (the .NET
# libraries) are trimmed; cloudinv's own and the third-party assemblies (DuckDB.NET, ParquetSharp, Arrow, AWSSDK,
# YamlDotNet, System.CommandLine, Spectre.Console) are kept whole, since they use reflection. The switches below keep
# what trimming would otherwise turn off and cloudinv needs: reflection-based JSON (manifests) and readable messages.
licenses=$(mktemp -d)
trap 'rm -rf "$licenses"' EXIT
python3 - "$licenses" <<'PY'
import json, os, shutil, sys
target = sys.argv[1]
assets = json.load(open("src/CloudInventory.Cli/obj/project.assets.json"))
folders = list(assets.get("packageFolders", {}))
for key, lib in assets["libraries"].items():
    if lib.get("type") != "package":
        continue
    name, version = key.split("/")
    for folder in folders:
        root = os.path.join(folder, lib["path"])
        if not os.path.isdir(root):
            continue
        for f in sorted(os.listdir(root)):
            if f.upper().startswith(("LICENSE", "NOTICE", "THIRD-PARTY")):
                shutil.copyfile(os.path.join(root, f), os.path.join(target, f"{name}-{version}-{f}"))
        break
PY
stamp=$(git log -1 --format=%ct)
for rid in "${rids[@]}"; do
  name="cloudinv-$version-$rid"
  publish="$out/publish/$name"
  dotnet publish "$cli" -c Release -r "$rid" --self-contained -o "$publish" "$r2r" \
    -p:ToolPackageRuntimeIdentifiers= -p:PublishSingleFile=true -p:DebugType=none \
    -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
    -p:JsonSerializerIsReflectionEnabledByDefault=true -p:UseSystemResourceKeys=false
  # libduckdb.so comes with its symbol table, which nothing at run time needs (~11 MB); the host's strip can only
  # rewrite the host's own architecture.
  if [ "$rid" = linux-x64 ] && [ "$(uname -sm)" = "Linux x86_64" ] && command -v strip >/dev/null; then
    strip --strip-unneeded "$publish/libduckdb.so"
  fi
  cp README.md CHANGELOG.md THIRD-PARTY-NOTICES.md "$publish/"
  mkdir -p "$publish/licenses" && cp "$licenses"/* "$publish/licenses/"
  # Reproducible archives: sorted names, fixed owner, times set to the commit's.
  find "$publish" -exec touch -h -d "@$stamp" {} +
  if [ "${rid%%-*}" = win ]; then
    python3 - "$out/publish" "$name" "$out/$name.zip" "$stamp" <<'PY'
import os, sys, time, zipfile
root, name, target, stamp = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(os.path.join(root, name)) for f in fs)
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for rel in files:
        info = zipfile.ZipInfo(rel.replace(os.sep, "/"), time.gmtime(stamp)[:6])
        info.external_attr = 0o755 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(root, rel), "rb") as f:
            z.writestr(info, f.read())
PY
  else
    tar -C "$out/publish" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -cf - "$name" | gzip -n -9 > "$out/$name.tar.gz"
  fi
done

# SBOM of the tool's dependency graph (CycloneDX dotnet tool, pinned in .config/dotnet-tools.json; offline).
dotnet tool restore
dotnet dotnet-CycloneDX "$cli" --recursive --exclude-dev --disable-package-restore --output "$out" \
  --filename "cloudinv-$version.cdx.json" --output-format Json --set-name cloudinv --set-version "$version"

# Checksums and sizes.
(cd "$out" && find . -maxdepth 2 -type f \( -name '*.nupkg' -o -name '*.tar.gz' -o -name '*.zip' -o -name '*.cdx.json' \) \
  | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
{
  printf 'artifact\tbytes\tunpacked_bytes\n'
  while read -r _ file; do
    unpacked=""
    case "$file" in
      *.tar.gz) unpacked=$(tar -xzOf "$out/$file" | wc -c) ;;
      *.zip|*.nupkg) unpacked=$(python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$out/$file") ;;
    esac
    printf '%s\t%s\t%s\n' "$file" "$(stat -c %s "$out/$file")" "$unpacked"
  done < "$out/SHA256SUMS"
} > "$out/sizes.tsv"
rm -rf "$out/publish"
column -t "$out/sizes.tsv"
echo "release: artifacts in $out/ (verify: cd $out && sha256sum -c SHA256SUMS)"
