#!/usr/bin/env bash
# Builds the box as one self-contained executable per device kind, for machines without
# .NET: artifacts/box-linux-x64/Dandelion.Box, artifacts/box-linux-arm64/Dandelion.Box.
# deploy/box/install.sh puts one in place as a systemd service (docs/DEPLOYMENT.md).
#   scripts/publish-box.sh                 both
#   scripts/publish-box.sh linux-arm64     one (Raspberry Pi 4/5 and other 64-bit ARM boards)
set -euo pipefail
cd "$(dirname "$0")/.."

rids=("$@")
if [ "${#rids[@]}" -eq 0 ]; then rids=(linux-x64 linux-arm64); fi

for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64|linux-arm64) ;;
    *) echo "publish-box: unsupported runtime '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
  esac
  out="artifacts/box-$rid"
  rm -rf "$out"
  echo "publish-box: $rid -> $out"
  # The runtime packs for $rid come from NuGet on the first run.
  dotnet publish Box/Dandelion.Box.csproj -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:DebugType=none --nologo -v quiet -o "$out"
  test -x "$out/Dandelion.Box"
done
