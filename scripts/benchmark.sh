#!/usr/bin/env bash
# Issue 10's benchmark (BENCHMARKS.md): starts Redis, entrances, boxes, a publisher, nginx and
# load workers on loopback, measures six scenarios against peers run alongside, and writes the
# results. Usage: ./scripts/benchmark.sh [--smoke] [--scenario NAME[,NAME]] [--output FILE]
# A full run of every scenario also updates the results table in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -s data/geoip/GeoLite2-City.mmdb ] || ! command -v wrk >/dev/null 2>&1; then
  echo "benchmark: run ./scripts/setup.sh first" >&2
  exit 1
fi
# Every connection is a file descriptor: take the hard limit, which the processes inherit.
ulimit -n "$(ulimit -Hn)"

echo "benchmark: building"
dotnet build scripts/benchmark/Dandelion.Benchmark.csproj -c Release --nologo -v quiet
exec dotnet scripts/benchmark/bin/Release/net10.0/Dandelion.Benchmark.dll "$@"
