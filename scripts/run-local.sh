#!/usr/bin/env bash
# The whole network on this machine, on loopback: Redis, an entrance, three boxes, a publisher
# and ffmpeg streaming a test picture. Prints the player's and the dashboard's URLs; Ctrl-C
# stops everything it started. Needs ./scripts/setup.sh to have run once.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -s data/geoip/GeoLite2-City.mmdb ] || [ ! -s Publisher/wwwroot/vendor/hls.min.js ]; then
  echo "run-local: run ./scripts/setup.sh first" >&2
  exit 1
fi

echo "run-local: building"
dotnet build scripts/local-network/Dandelion.LocalNetwork.csproj -c Release --nologo -v quiet
# exec: Ctrl-C and SIGTERM go straight to the orchestrator, which stops its children.
exec dotnet scripts/local-network/bin/Release/net10.0/Dandelion.LocalNetwork.dll "$@"
