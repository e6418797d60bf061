#!/usr/bin/env bash
# Builds the box as one native executable (Native AOT) per device kind, for machines without
# .NET: artifacts/box-linux-x64/Dandelion.Box, artifacts/box-linux-arm64/Dandelion.Box.
# deploy/box/install.sh puts one in place as a systemd service (docs/DEPLOYMENT.md).
#   scripts/publish-box.sh                 both
#   scripts/publish-box.sh linux-arm64     one (Raspberry Pi 3/4/5 and other 64-bit ARM boards)
# A build whose inputs (the box's and Shared's sources, the build settings, the SDK) are
# unchanged since the last one is kept, so tests can ask for it cheaply (artifacts/box-*/.inputs).
# Cross-compiling needs clang and the target's binutils and C library (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

rids=("$@")
if [ "${#rids[@]}" -eq 0 ]; then rids=(linux-x64 linux-arm64); fi

case "$(uname -m)" in
  x86_64) host=linux-x64 ;;
  aarch64|arm64) host=linux-arm64 ;;
  *) host=unknown ;;
esac

inputs() {
  dotnet --version
  git ls-files -co --exclude-standard -- Box Shared Directory.Build.props Directory.Packages.props global.json scripts/publish-box.sh \
    | grep -v -e '/bin/' -e '/obj/' | LC_ALL=C sort | xargs -d '\n' sha256sum
}

mkdir -p artifacts
# One publish at a time: test projects running side by side may ask for the same build.
exec 9>artifacts/.publish-box.lock
flock 9

for rid in "${rids[@]}"; do
  cross=()
  case "$rid" in
    linux-x64) triple=x86_64-linux-gnu ;;
    linux-arm64) triple=aarch64-linux-gnu ;;
    *) echo "publish-box: unsupported runtime '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
  esac
  if [ "$rid" != "$host" ]; then
    # The native linker for another architecture: clang targeting it, with that
    # architecture's binutils (ld, objcopy) and C library from Debian's cross packages.
    clang=$(command -v clang || command -v clang-14 || true)
    if [ -z "$clang" ] || ! command -v "$triple-objcopy" >/dev/null; then
      echo "publish-box: cross-compiling to $rid needs clang and $triple binutils: run scripts/setup.sh" >&2
      exit 1
    fi
    cross=(-p:CppCompilerAndLinker="$clang" -p:ObjCopyName="$triple-objcopy")
  fi

  out="artifacts/box-$rid"
  hash=$(inputs | sha256sum | cut -d' ' -f1)
  if [ -x "$out/Dandelion.Box" ] && [ "$(cat "$out/.inputs" 2>/dev/null)" = "$hash" ]; then
    echo "publish-box: $rid up to date in $out"
    continue
  fi
  rm -rf "$out"
  echo "publish-box: $rid -> $out (Native AOT)"
  # The runtime and ILCompiler packs for $rid come from NuGet on the first run.
  dotnet publish Box/Dandelion.Box.csproj -c Release -r "$rid" "${cross[@]}" \
    -p:StripSymbols=true --nologo -v quiet -o "$out.tmp"
  # Only the program: symbols (.dbg) and build leftovers stay behind.
  mkdir -p "$out"
  mv "$out.tmp/Dandelion.Box" "$out/Dandelion.Box"
  rm -rf "$out.tmp"
  test -x "$out/Dandelion.Box"
  echo "$hash" > "$out/.inputs"
  echo "publish-box: $rid $(stat -c %s "$out/Dandelion.Box") bytes"
done
