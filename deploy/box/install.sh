#!/usr/bin/env bash
# Installs (or removes) a Dandelion box on a household device as a systemd service that
# runs as the unprivileged user "dandelion" and restarts when it stops. Safe to run again:
# an update replaces the program and the unit, never the settings or the stored data.
#
#   sudo deploy/box/install.sh                      artifacts/box-{this machine}/Dandelion.Box
#   sudo deploy/box/install.sh --binary ./Dandelion.Box
#   sudo deploy/box/install.sh --uninstall          keeps /etc/dandelion/box.yaml and the data
#   sudo deploy/box/install.sh --uninstall --purge  removes those and the user too
#   deploy/box/install.sh --root /tmp/staging       into a directory tree: no user, no systemctl
#
# Build the program first: scripts/publish-box.sh (docs/DEPLOYMENT.md).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

SERVICE=dandelion-box
USER_NAME=dandelion
BIN_DIR=/opt/dandelion-box
CONFIG_FILE=/etc/dandelion/box.yaml
DATA_DIR=/var/lib/dandelion-box
UNIT_FILE=/etc/systemd/system/dandelion-box.service

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

binary=""
root=""
uninstall=0
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
if [ "$purge" -eq 1 ] && [ "$uninstall" -eq 0 ]; then
  echo "install: --purge goes with --uninstall" >&2; exit 2
fi

# With --root everything lands under that directory and nothing touches the running system.
system=1
if [ -n "$root" ]; then
  system=0
  root="$(mkdir -p "$root" && cd "$root" && pwd)"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install: run as root (sudo), or give --root DIR" >&2; exit 1
fi
systemd=0
if [ "$system" -eq 1 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemd=1
fi

if [ "$uninstall" -eq 1 ]; then
  if [ "$systemd" -eq 1 ]; then
    systemctl disable --now "$SERVICE" >/dev/null 2>&1 || true
  fi
  rm -f "$root$UNIT_FILE"
  [ "$systemd" -eq 1 ] && systemctl daemon-reload
  rm -rf "$root$BIN_DIR"
  if [ "$purge" -eq 1 ]; then
    rm -rf "$root$DATA_DIR" "$root$CONFIG_FILE"
    rmdir "$root$(dirname "$CONFIG_FILE")" 2>/dev/null || true
    if [ "$system" -eq 1 ] && id "$USER_NAME" >/dev/null 2>&1; then userdel "$USER_NAME"; fi
    echo "install: $SERVICE removed with its settings and data"
  else
    echo "install: $SERVICE removed; kept $CONFIG_FILE and $DATA_DIR (--purge removes them)"
  fi
  exit 0
fi

if [ -z "$binary" ]; then
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64|arm64) rid=linux-arm64 ;;
    *) echo "install: no build for $(uname -m); give --binary" >&2; exit 1 ;;
  esac
  binary="$repo/artifacts/box-$rid/Dandelion.Box"
fi
if [ ! -f "$binary" ]; then
  echo "install: $binary not found: run scripts/publish-box.sh first, or give --binary" >&2; exit 1
fi

owner=()
if [ "$system" -eq 1 ]; then
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$USER_NAME"
  fi
  owner=(-o "$USER_NAME" -g "$USER_NAME")
fi

install -d -m 0755 "$root$BIN_DIR"
install -m 0755 "$binary" "$root$BIN_DIR/Dandelion.Box.new"
mv -f "$root$BIN_DIR/Dandelion.Box.new" "$root$BIN_DIR/Dandelion.Box"

install -d -m 0750 "${owner[@]}" "$root$DATA_DIR"

install -d -m 0755 "$root$(dirname "$CONFIG_FILE")"
if [ ! -e "$root$CONFIG_FILE" ]; then
  # Readable by the service's group only: it may hold the box's token.
  if [ "$system" -eq 1 ]; then
    install -m 0640 -o root -g "$USER_NAME" "$here/box.yaml" "$CONFIG_FILE"
  else
    install -m 0640 "$here/box.yaml" "$root$CONFIG_FILE"
  fi
  echo "install: wrote $CONFIG_FILE: fill in Box:Entrances (and Token if needed)"
else
  echo "install: kept $CONFIG_FILE"
fi

install -d -m 0755 "$root$(dirname "$UNIT_FILE")"
install -m 0644 "$here/dandelion-box.service" "$root$UNIT_FILE"

if [ "$systemd" -eq 1 ]; then
  systemctl daemon-reload
  systemctl enable "$SERVICE" >/dev/null
  systemctl restart "$SERVICE"
  echo "install: $SERVICE enabled and (re)started: systemctl status $SERVICE"
elif [ "$system" -eq 1 ]; then
  echo "install: systemd is not running here; start it with: systemctl enable --now $SERVICE"
else
  echo "install: staged under $root"
fi
