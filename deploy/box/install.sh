#!/usr/bin/env bash
# Installs, upgrades or removes a Dandelion box on a household device (Debian, Raspberry Pi OS,
# Ubuntu; x64 or arm64) as a systemd service that runs the native executable as the
# unprivileged user "dandelion". Safe to run again: the box's identity ({data}/box.id), its
# token and every setting in /etc/dandelion/box.yaml, and the stored files are kept.
#
#   sudo deploy/box/install.sh                      artifacts/box-{this machine}/Dandelion.Box; asks
#                                                   for the upload ceiling and the quota
#   sudo deploy/box/install.sh --binary ./Dandelion.Box --upload-ceiling 2M --quota 20G --yes
#   sudo deploy/box/install.sh --upgrade --binary ./Dandelion.Box
#                                                   swaps the program, restarts, rolls back if unhealthy
#   sudo deploy/box/install.sh --uninstall          keeps /etc/dandelion/box.yaml and the data
#   sudo deploy/box/install.sh --uninstall --purge  removes those and the user too
#   deploy/box/install.sh --root /tmp/staging       into a directory tree: no user, no systemctl
#
# Settings (each also asked for, when run at a terminal without --yes; Enter keeps the value):
#   --upload-ceiling N   upload bytes/s for viewers, shared by all (0: none); K, M, G = KiB, MiB, GiB
#   --quota N            bytes the stored files may take (at least 64M); K, M, G as above
#   --keep-disk-free S   share of the disk always left free, 0 to 0.9
#   --entrance URL       an entrance to register with (ws://host:8000/dandelion/ws/, or the
#                        original's http://host:8000/dandelion/ws/ form of the same URL)
#   --token TOKEN        this box's token, when the entrance has authentication on
#   --arch x64|arm64     the device's architecture (default: this machine's)
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
PROGRAM=Dandelion.Box
MIN_CEILING=16384
MIN_QUOTA=67108864

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
fail() { echo "install: $*" >&2; exit 1; }

binary="" root="" arch="" uninstall=0 purge=0 upgrade=0 yes=0
ceiling="" quota="" keep_free="" entrance="" token=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --arch) arch="${2:?--arch needs x64 or arm64}"; shift 2 ;;
    --upload-ceiling) ceiling="${2:?--upload-ceiling needs bytes per second}"; shift 2 ;;
    --quota) quota="${2:?--quota needs bytes}"; shift 2 ;;
    --keep-disk-free) keep_free="${2:?--keep-disk-free needs a share}"; shift 2 ;;
    --entrance) entrance="${2:?--entrance needs a ws:// or http:// URL}"; shift 2 ;;
    --token) token="${2:?--token needs the token}"; shift 2 ;;
    --upgrade) upgrade=1; shift ;;
    --yes|--non-interactive) yes=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
if [ "$purge" -eq 1 ] && [ "$uninstall" -eq 0 ]; then
  echo "install: --purge goes with --uninstall" >&2; exit 2
fi
if [ "$upgrade" -eq 1 ] && [ "$uninstall" -eq 1 ]; then
  echo "install: --upgrade and --uninstall do not go together" >&2; exit 2
fi

# With --root everything lands under that directory and nothing touches the running system.
system=1
if [ -n "$root" ]; then
  system=0
  root="$(mkdir -p "$root" && cd "$root" && pwd)"
elif [ "$(id -u)" -ne 0 ]; then
  fail "run as root (sudo), or give --root DIR"
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

# The device's architecture, and a program built for it (an ELF header's e_machine: 0x3e
# x86-64, 0xb7 aarch64), so a wrong copy never becomes a service that fails at every start.
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) fail "no build for $(uname -m): the box is built for x64 and arm64 (64-bit OS)" ;;
  esac
fi
case "$arch" in
  x64) machine="3e 00" ;;
  arm64) machine="b7 00" ;;
  *) fail "--arch must be x64 or arm64, not '$arch'" ;;
esac
if [ -z "$binary" ]; then
  binary="$repo/artifacts/box-linux-$arch/$PROGRAM"
fi
if [ ! -f "$binary" ]; then
  fail "$binary not found: run scripts/publish-box.sh first, or give --binary"
fi
if [ "$(head -c 4 "$binary" | od -An -c | tr -d ' ')" != '177ELF' ] \
   || [ "$(od -An -tx1 -j18 -N2 "$binary" | sed 's/^ *//')" != "$machine" ]; then
  fail "$binary is not a program for $arch Linux (scripts/publish-box.sh linux-$arch builds one)"
fi

# Sizes as bytes: a whole number with an optional K, M or G (KiB, MiB, GiB).
bytes() {
  local value="${1^^}" unit=1
  case "$value" in
    *K|*KB|*KIB) unit=1024 ;;
    *M|*MB|*MIB) unit=$((1024 * 1024)) ;;
    *G|*GB|*GIB) unit=$((1024 * 1024 * 1024)) ;;
  esac
  value="${value%%[KMG]*}"
  [[ "$value" =~ ^[0-9]+$ ]] || return 1
  echo $((value * unit))
}
check_ceiling() {
  local b; b=$(bytes "$1") || fail "upload ceiling '$1' is not a number of bytes per second"
  [ "$b" -eq 0 ] || [ "$b" -ge "$MIN_CEILING" ] || fail "upload ceiling must be 0 (none) or at least $MIN_CEILING bytes/s (16K)"
  echo "$b"
}
check_quota() {
  local b; b=$(bytes "$1") || fail "quota '$1' is not a number of bytes"
  [ "$b" -ge "$MIN_QUOTA" ] || fail "quota must be at least $MIN_QUOTA bytes (64M, the largest file a box takes)"
  echo "$b"
}
check_share() {
  [[ "$1" =~ ^0(\.[0-9]+)?$ ]] && awk -v s="$1" 'BEGIN { exit !(s <= 0.9) }' || fail "--keep-disk-free must be a share from 0 to 0.9, not '$1'"
  echo "$1"
}
[ -z "$ceiling" ] || ceiling=$(check_ceiling "$ceiling")
[ -z "$quota" ] || quota=$(check_quota "$quota")
[ -z "$keep_free" ] || keep_free=$(check_share "$keep_free")
# The box takes both forms (docs/BOX.md): an original box's entrance URLs are http(s)://.
if [ -n "$entrance" ] && [[ ! "$entrance" =~ ^(wss?|https?)://[^[:space:]\"]+$ ]]; then
  fail "--entrance must be a ws://, wss://, http:// or https:// URL, not '$entrance'"
fi
if [ -n "$token" ] && [[ ! "$token" =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
  fail "--token has characters no token has"
fi

bin="$root$BIN_DIR/$PROGRAM"
config="$root$CONFIG_FILE"

# A setting's value in box.yaml (two-space keys under Box:), and setting one in place, so the
# rest of the owner's file, comments included, stays as it is.
setting() { sed -n "s/^  $1: *//p" "$config" | head -n 1; }
set_setting() {
  local key="$1" value="$2"
  if grep -q "^  $key:" "$config"; then
    sed -i "s|^  $key:.*|  $key: $value|" "$config"
  else
    sed -i "/^Box:/a\\  $key: $value" "$config"
  fi
}

restart() {
  if [ "$systemd" -eq 1 ]; then
    systemctl daemon-reload
    systemctl enable "$SERVICE" >/dev/null
    systemctl restart "$SERVICE"
  fi
}

# Asks a running box's /health, with its own settings, until it answers or a minute passes.
healthy() {
  local tries=30
  while [ "$tries" -gt 0 ]; do
    if DANDELION_CONFIG="$CONFIG_FILE" "$BIN_DIR/$PROGRAM" healthcheck >/dev/null 2>&1; then return 0; fi
    sleep 2
    tries=$((tries - 1))
  done
  return 1
}

if [ "$upgrade" -eq 1 ]; then
  # Only the program changes: settings, identity and stored files are not touched.
  [ -f "$bin" ] || fail "nothing to upgrade under $root$BIN_DIR: install first"
  install -m 0755 "$binary" "$bin.new"
  cp -p "$bin" "$bin.previous"
  mv -f "$bin.new" "$bin"
  if [ "$systemd" -eq 1 ]; then
    restart
    if ! healthy; then
      echo "install: the new program did not become healthy; going back to the previous one" >&2
      mv -f "$bin.previous" "$bin"
      systemctl restart "$SERVICE"
      exit 1
    fi
    echo "install: $SERVICE upgraded and healthy (previous program kept as $BIN_DIR/$PROGRAM.previous)"
  else
    echo "install: program upgraded under ${root:-/}; start the service to run it"
  fi
  exit 0
fi

owner=()
if [ "$system" -eq 1 ]; then
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$USER_NAME"
  fi
  owner=(-o "$USER_NAME" -g "$USER_NAME")
fi

install -d -m 0755 "$root$BIN_DIR"
install -m 0755 "$binary" "$bin.new"
mv -f "$bin.new" "$bin"

# The data directory holds the box's identity and stored files: made once, never replaced.
install -d -m 0750 "${owner[@]}" "$root$DATA_DIR"

install -d -m 0755 "$(dirname "$config")"
if [ ! -e "$config" ]; then
  # Readable by the service's group only: it may hold the box's token.
  if [ "$system" -eq 1 ]; then
    install -m 0640 -o root -g "$USER_NAME" "$here/box.yaml" "$config"
  else
    install -m 0640 "$here/box.yaml" "$config"
  fi
  echo "install: wrote $CONFIG_FILE"
else
  echo "install: kept $CONFIG_FILE"
fi

ask() {
  local prompt="$1" current="$2" answer
  read -r -p "$prompt [$current]: " answer || answer=""
  echo "${answer:-$current}"
}
if [ "$yes" -eq 0 ] && [ -t 0 ]; then
  [ -n "$ceiling" ] || ceiling=$(check_ceiling "$(ask "Upload ceiling for viewers, bytes/s shared by all (e.g. 2M; 0: none)" "$(setting UploadCeiling)")")
  [ -n "$quota" ] || quota=$(check_quota "$(ask "Storage quota for stored files, bytes (e.g. 20G)" "$(setting StorageQuota)")")
fi
[ -z "$ceiling" ] || set_setting UploadCeiling "$ceiling"
[ -z "$quota" ] || set_setting StorageQuota "$quota"
[ -z "$keep_free" ] || set_setting KeepDiskFree "$keep_free"
[ -z "$entrance" ] || set_setting Entrances "[\"$entrance\"]"
[ -z "$token" ] || set_setting Token "\"$token\""
echo "install: upload ceiling $(setting UploadCeiling) bytes/s, quota $(setting StorageQuota) bytes, disk kept free $(setting KeepDiskFree)"
if [ "$(setting Entrances)" = "[]" ]; then
  echo "install: no entrance set yet: give --entrance, or fill in Box:Entrances in $CONFIG_FILE"
fi

install -d -m 0755 "$root$(dirname "$UNIT_FILE")"
install -m 0644 "$here/dandelion-box.service" "$root$UNIT_FILE"

if [ "$systemd" -eq 1 ]; then
  restart
  echo "install: $SERVICE enabled and (re)started: systemctl status $SERVICE"
elif [ "$system" -eq 1 ]; then
  echo "install: systemd is not running here; start it with: systemctl enable --now $SERVICE"
else
  echo "install: staged under $root"
fi
