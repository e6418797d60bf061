#!/usr/bin/env bash
# Fuzzes the frame and header parser (Shared/Protocol: FileFrame, ProtocolJson) with afl-fuzz
# through SharpFuzz: publishes scripts/fuzz, instruments Dandelion.Shared.dll there (the
# sharpfuzz local tool, .config/dotnet-tools.json), replays the committed seed corpus, then
# fuzzes for the given seconds (default 60). Exits 1 when afl-fuzz found a crash or a hang,
# printing each input (base64) and what it threw; findings stay in artifacts/fuzz/findings.
# Needs afl++ (scripts/setup.sh). Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=artifacts/fuzz
rm -rf "$out"
mkdir -p "$out"

dotnet publish scripts/fuzz/Dandelion.Fuzz.csproj -c Release -o "$out/bin" --nologo -v quiet
harness=("dotnet" "$out/bin/Dandelion.Fuzz.dll")
# The seed corpus must pass before fuzzing starts from it (before instrumenting: instrumented
# code writes to AFL's shared memory, which only exists under afl-fuzz).
"${harness[@]}" replay scripts/fuzz/corpus
cp -r "$out/bin" "$out/plain"
dotnet tool restore >/dev/null
dotnet tool run sharpfuzz "$out/bin/Dandelion.Shared.dll" >/dev/null

# dotnet itself is not instrumented (SharpFuzz instruments the assembly); no UI, no CPU pinning
# (the machine is shared), no core-dump set-up required of the host.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 \
       AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1
timeout $((seconds + 60)) afl-fuzz -i scripts/fuzz/corpus -o "$out/findings" -V "$seconds" -t 5000 -m none -- "${harness[@]}" \
  > "$out/afl.log" 2>&1 || { tail -20 "$out/afl.log"; echo "fuzz: afl-fuzz did not run to the end" >&2; exit 1; }

stats=$(find "$out/findings" -name fuzzer_stats | head -1)
execs=$(sed -n 's/^execs_done *: *//p' "$stats")
paths=$(sed -n 's/^corpus_count *: *//p' "$stats")
found=$(find "$out/findings" \( -path '*/crashes/id:*' -o -path '*/hangs/id:*' \) -type f | sort)
echo "fuzz: ${seconds} s, ${execs} executions, ${paths} inputs in the corpus, $(echo -n "$found" | grep -c . || true) crashes or hangs"
if [ -n "$found" ]; then
  for input in $found; do
    echo "--- $input: $(base64 -w0 "$input")"
    dotnet "$out/plain/Dandelion.Fuzz.dll" replay "$input" 2>&1 | grep -m3 -E 'Exception|at Dandelion' || true
  done
  exit 1
fi
