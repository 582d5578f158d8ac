# Shared by scripts/run and scripts/test. Sourced, not run.
# Installs what Serai needs on a fresh Debian machine; skips what is already there.

SERAI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SERAI_VENV:-$SERAI_ROOT/.venv}"

log() { printf '\033[1m[serai]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

_apt_updated=0
apt_install() {
  # apt_install PACKAGE... — install the Debian packages that are not installed yet.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ $_apt_updated = 0 ]; then as_root apt-get update -qq; _apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  for candidate in "${SERAI_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  log "Python 3.11 or newer is needed"; return 1
}

setup_venv() {
  # setup_venv [EXTRAS] — create .venv and install Serai (editable) with the given extras.
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    apt_install python3-venv 2>/dev/null || true
    log "creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  log "installing Serai${extras:+ [$extras]}"
  "$VENV/bin/python" -m pip install -q -e "$SERAI_ROOT${extras:+[$extras]}"
  export PATH="$VENV/bin:$PATH"
}

compile_translations() {
  command -v msgfmt >/dev/null || apt_install gettext
  (cd "$SERAI_ROOT/src/serai" && "$VENV/bin/serai" compilemessages -v0 --ignore '.venv')
}
