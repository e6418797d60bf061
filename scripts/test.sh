#!/usr/bin/env bash
# Builds everything with warnings as errors, publishes the box natively, and runs every test
# project. Needs the set-up script to have run once (redis-server, nginx, ffmpeg, GeoLite2
# data, the cross toolchain and qemu-user).
set -uo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build Dandelion.sln -c Release --nologo -v quiet || exit 1
# The box's native builds, once per run (kept while their inputs are unchanged): the device
# tests install both and run the arm64 one under qemu-user emulation.
./scripts/publish-box.sh linux-x64 linux-arm64 || exit 1

status=0
dotnet test Dandelion.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" \
  --blame-hang-timeout 10m || status=$?

# One plain closing line across every project: "N passed, N failed".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${n:-0}))
done
# CI shows only the end of this output: name each failed test here, just above the count.
if [ "$failed" -gt 0 ]; then
  echo
  echo "Failed:"
  grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*' "$results"/*.trx |
    sed -n 's/.* testName="\([^"]*\)".*/  \1/p' | head -20
  grep -h -A2 '<ErrorInfo>' "$results"/*.trx | sed -n 's/.*<Message>\(.\{0,300\}\).*/  > \1/p' | head -20
fi
echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "test: no test ran" >&2
  exit 1
fi
exit "$status"
