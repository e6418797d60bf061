#!/usr/bin/env bash
# Lines of the session and client code (issue 8: "at most about half of today's lines"), so the
# figure is reproducible:
#   old:   the four session classes, three request/reply clients and their exceptions as they
#          were before the connection layer (commit 51c81a9^);
#   today: each role's connection code (its handlers, links, channel and clients), then the
#          shared layer (Shared/Connections) on its own; the total is printed with and without it.
# Lines are `wc -l` lines (blank lines and comments included).
#   scripts/session-lines.sh [REV]   default: the working tree
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-}"

old_base=51c81a9^
old_files=(
  Entrance/Sessions/EntranceSession.cs
  Entrance/Sessions/ConnectionLimiter.cs
  Box/Entrances/EntranceSession.cs
  Box/Entrances/EntranceRefusedException.cs
  Box/Publishing/PublisherSession.cs
  Publisher/Boxes/BoxSession.cs
  Publisher/Boxes/BoxConnector.cs
  Publisher/Boxes/BoxUnavailableException.cs
  Publisher/Entrances/EntranceClient.cs
  Publisher/Entrances/EntranceUnavailableException.cs
)

# Today's role files: every .cs file of these folders except the ones named below, which are not
# connection code (directory, batching, pool, placement's jobs, TLS trust, records). A file added
# to these folders counts unless it is added here with a reason.
role_dirs=(Entrance/Sessions Box/Entrances Box/Publishing Publisher/Boxes Publisher/Entrances)
not_connection_code=(
  Box/Entrances/EntranceDirectory.cs                      # which entrances are known
  Box/Entrances/EntranceSupervisor.cs                     # one link per entrance, hosted service
  Box/Entrances/EntrancesServiceCollectionExtensions.cs
  Box/Entrances/EntranceDroppedException.cs
  Box/Entrances/ExchangeBatch.cs                          # EXCHANGE contents
  Box/Entrances/ExchangeBuilder.cs
  Box/Entrances/TrafficBatcher.cs
  Publisher/Boxes/AttemptOutcome.cs                       # placement's view of one copy
  Publisher/Boxes/AttemptResult.cs
  Publisher/Boxes/BoxCertificates.cs                      # TLS trust for original boxes
  Publisher/Boxes/CertificateTrust.cs
  Publisher/Boxes/BoxChecker.cs                           # HTTP check of each box's file port
  Publisher/Boxes/BoxKeeper.cs                            # the pool and its SEARCH rounds
  Publisher/Boxes/BoxPool.cs
  Publisher/Boxes/BoxSearch.cs
  Publisher/Boxes/BoxUrls.cs
  Publisher/Boxes/DistrustedBox.cs
  Publisher/Boxes/DistrustedBoxes.cs
  Publisher/Boxes/SendJob.cs
  Publisher/Boxes/SentJobs.cs                             # (the unanswered files; not in the issue's count)
  Publisher/Entrances/SearchResult.cs
)
layer_dir=Shared/Connections

lines_at() { # rev path -> line count (0 when absent)
  if [ -n "$1" ]; then { git show "$1:$2" 2>/dev/null || true; } | wc -l
  elif [ -f "$2" ]; then wc -l < "$2"
  else echo 0; fi
}
files_in() { # rev dir -> the .cs files under it
  if [ -n "$1" ]; then git ls-tree -r --name-only "$1" -- "$2" | grep '\.cs$' || true
  else find "$2" -name '*.cs' 2>/dev/null | sort; fi
}
count() { # label rev files... -> prints each file, then the total in $total
  local label=$1 at=$2 n sum=0; shift 2
  echo "== $label"
  for f in "$@"; do
    n=$(lines_at "$at" "$f")
    printf '%6d  %s\n' "$n" "$f"
    sum=$((sum + n))
  done
  printf '%6d  total\n\n' "$sum"
  total=$sum
}

count "old set ($old_base)" "$old_base" "${old_files[@]}"
old=$total

mapfile -t today < <(for d in "${role_dirs[@]}"; do files_in "$rev" "$d"; done | grep -vxF -f <(printf '%s\n' "${not_connection_code[@]}"))
count "today: role connection code (${rev:-working tree})" "$rev" "${today[@]}"
roles=$total

mapfile -t layer < <(files_in "$rev" "$layer_dir")
count "today: shared layer $layer_dir (${rev:-working tree})" "$rev" "${layer[@]}"
shared=$total

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
echo "== summary"
printf '%6d  old set\n' "$old"
printf '%6d  today, roles only (%s of old)\n' "$roles" "$(pct "$roles" "$old")"
printf '%6d  today, roles + %s (%s of old)\n' $((roles + shared)) "$layer_dir" "$(pct $((roles + shared)) "$old")"
