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

# Three rounds, so the tests that watch a real browser play in real time never share the
# machine's two cores with another project's load: first every other project (two at a time),
# then the end-to-end browser tests alone, then the benchmark's smoke run alone, then the fuzzer.
heavy='Dandelion.EndToEnd.Tests|Dandelion.Benchmark.Tests'
light=$(ls tests/*/*.Tests.csproj | grep -Ev "$heavy" | sed 's|.*|"&"|' | paste -sd, -)
printf '{"solution": {"path": "../Dandelion.sln", "projects": [%s]}}\n' "$light" > artifacts/tests-light.slnf

status=0
run_tests() {
  dotnet test "$1" -c Release --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" \
    --results-directory "$results" \
    --blame-hang-timeout 10m || status=$?
}
run_tests artifacts/tests-light.slnf
run_tests tests/Dandelion.EndToEnd.Tests/Dandelion.EndToEnd.Tests.csproj
run_tests tests/Dandelion.Benchmark.Tests/Dandelion.Benchmark.Tests.csproj
# A minute of coverage-guided fuzzing of the frame and header parser (afl++ through SharpFuzz),
# alone at the end; it fails the run on a crash or a hang (scripts/fuzz.sh).
./scripts/fuzz.sh 60 || status=1

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
  # Each failed test's name, then the first line of its message.
  awk '/<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11) }
       name != "" && /<Message>/ { sub(/.*<Message>/, ""); gsub(/&quot;/, "\"", name); print "  " name; print "    > " substr($0, 1, 300); name = "" }' \
    "$results"/*.trx | head -40
fi
echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "test: no test ran" >&2
  exit 1
fi
exit "$status"
