#!/usr/bin/env bash
# The box's footprint on a device, for BENCHMARKS.md ("Box on a device"): executable size,
# time from start to answering /health, memory at rest with an empty store, and the most
# memory while serving 16 viewers at once from a store of 64 files of 1 MiB.
#   scripts/measure-box.sh [PROGRAM ...]    default artifacts/box-linux-x64/Dandelion.Box
# Each program is measured in the same run, one after the other, on loopback only; give the
# previous build as well to compare (docs: BENCHMARKS.md says how it was built).
set -euo pipefail
cd "$(dirname "$0")/.."

programs=("$@")
if [ "${#programs[@]}" -eq 0 ]; then programs=(artifacts/box-linux-x64/Dandelion.Box); fi
runs=5
publisher=publisher-00112233445566778899aabbccddeeff

# Below the kernel's ephemeral range, as the test fixtures pick (tests/Dandelion.Testing/PortPicker.cs):
# a port from there can be taken by any outgoing connection before the box binds it.
free_port() { python3 -c '
import random, socket
while True:
    p = random.randrange(10000, 20000); s = socket.socket()
    try: s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()'; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

start_box() { # program data port httpPort -> pid in $pid
  # As the systemd unit runs it (dandelion-box.service): workstation GC.
  DOTNET_gcServer=0 "$1" --Box:DataDirectory="$2" --Box:ListenAddress=127.0.0.1 --Box:PublicHost=127.0.0.1 \
    --Box:Port="$3" --Box:HttpPort="$4" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
  pid=$!
}

echo "| program | size (MB) | start to serving (ms, median of $runs) | at rest, empty store (MiB RSS) | serving 16 viewers (MiB RSS, peak) |"
echo "|---|---|---|---|---|"
for program in "${programs[@]}"; do
  size=$(stat -c %s "$program")
  work=$(mktemp -d)
  starts=()
  for i in $(seq "$runs"); do
    port=$(free_port); http=$(free_port)
    begin=$(date +%s%N)
    start_box "$program" "$work/start$i" "$port" "$http"
    until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.005; done
    starts+=($(( ($(date +%s%N) - begin) / 1000000 )))
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  start_ms=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")

  # At rest: started, registered with no entrance, idle for 10 s.
  port=$(free_port); http=$(free_port)
  start_box "$program" "$work/rest" "$port" "$http"
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.05; done
  sleep 10
  rest=$(rss_kib "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true

  # Serving: a store written as the box keeps it (files and their expiry journal), then 16
  # viewers fetching every file in turn for 20 s while the box's memory is sampled.
  data="$work/serve"; mkdir -p "$data/files/$publisher"
  expires=$(( ($(date +%s) + 3600) * 1000 ))   # an hour from now, in unix ms
  for i in $(seq 64); do
    head -c 1048576 /dev/urandom > "$data/files/$publisher/seg$i.ts"
    echo "S $expires 1048576 $publisher/seg$i.ts" >> "$data/expiry.journal"
  done
  port=$(free_port); http=$(free_port)
  start_box "$program" "$data" "$port" "$http"
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.05; done
  viewers=()
  for v in $(seq 16); do
    ( end=$(( $(date +%s) + 20 )); while [ "$(date +%s)" -lt "$end" ]; do
        for i in $(seq 64); do curl -fs -o /dev/null "http://127.0.0.1:$http/$publisher/seg$i.ts" || exit 1; done
      done ) &
    viewers+=($!)
  done
  peak=0
  for _ in $(seq 200); do
    now=$(rss_kib "$pid"); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.1
  done
  for v in "${viewers[@]}"; do wait "$v" || { echo "measure-box: a viewer failed" >&2; exit 1; }; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"

  printf '| %s | %.1f | %s | %.1f | %.1f |\n' "$program" "$(echo "$size / 1000000" | bc -l)" "$start_ms" \
    "$(echo "$rest / 1024" | bc -l)" "$(echo "$peak / 1024" | bc -l)"
done
