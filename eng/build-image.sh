#!/usr/bin/env bash
# Builds the cloudinv container image from the Containerfile at the repository root, with no base image: publishes
# the CLI self-contained for linux-x64, stages a root filesystem (the publish output, the system libraries it loads,
# CA certificates, a passwd entry for the non-root user) in artifacts/image/rootfs, and builds with buildah.
#   bash eng/build-image.sh [--tag cloudinv:dev] [--publish-dir DIR]   # --publish-dir reuses an earlier publish
# Needs buildah (apt-get install buildah). Uses vfs storage and chroot isolation, so it runs without privileges
# that a container or CI sandbox may lack.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=cloudinv:dev
publish=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --publish-dir) publish="$2"; shift 2 ;;
    *) echo "error: unknown option $1 (use --tag NAME, --publish-dir DIR)" >&2; exit 2 ;;
  esac
done
command -v buildah >/dev/null || { echo "error: buildah is not installed; apt-get install buildah" >&2; exit 2; }

context=artifacts/image
rm -rf "$context"
mkdir -p "$context/rootfs/app" "$context/rootfs/etc/ssl/certs" "$context/state"
if [ -z "$publish" ]; then
  publish=artifacts/publish/linux-x64
  dotnet publish src/CloudInventory.Cli -c Release -r linux-x64 --self-contained -o "$publish" -p:DebugType=none -p:GenerateDocumentationFile=false >&2
fi
cp -a "$publish"/. "$context/rootfs/app/"
rm -f "$context"/rootfs/app/*.pdb "$context"/rootfs/app/*.xml

# The system libraries: what the executable and the native libraries link to, plus what .NET loads at run time
# (OpenSSL for TLS; ICU is not needed: the CLI runs with invariant globalization).
libs=$( { for f in "$context/rootfs/app/cloudinv" "$context"/rootfs/app/*.so; do ldd "$f" 2>/dev/null; done
          ldd "$(readlink -f /usr/lib/x86_64-linux-gnu/libssl.so.3)"; echo "/usr/lib/x86_64-linux-gnu/libssl.so.3"; } \
        | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "$context" | sort -u)
for lib in $libs; do
  mkdir -p "$context/rootfs$(dirname "$lib")"
  cp -L "$lib" "$context/rootfs$lib"
done
# glibc's loader is found through /lib64 on x86-64.
if [ -e "$context/rootfs/lib64/ld-linux-x86-64.so.2" ] || [ -e "$context/rootfs/usr/lib64/ld-linux-x86-64.so.2" ]; then :; else
  mkdir -p "$context/rootfs/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$context/rootfs/lib64/"
fi
cp -L /etc/ssl/certs/ca-certificates.crt "$context/rootfs/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\ncloudinv:x:10001:10001:cloudinv:/state:/sbin/nologin\n' > "$context/rootfs/etc/passwd"
printf 'root:x:0:\ncloudinv:x:10001:\n' > "$context/rootfs/etc/group"
touch "$context/state/.keep"

buildah --storage-driver vfs bud --isolation chroot -f Containerfile -t "$tag" "$context" >&2
buildah --storage-driver vfs images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$tag"
