#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine and runs every test.
#
#   bash scripts/test.sh                # everything
#   bash scripts/test.sh html_checks    # extra arguments go to the test runner
#
# Installs, only when missing: Debian's Chromium and fonts, faketime (servers
# tested across midnight under a shifted clock), rsync and git (the deploy
# recipes are run), a Java runtime (for
# the Nu Html Checker), Node.js/npm and Python 3 if absent, the exact npm
# packages of package-lock.json (vnu-jar, axe-core, playwright-core,
# lighthouse) and the
# Python packages of tests/tools/requirements.txt (feedparser,
# check-jsonschema, aiosmtpd) in a virtualenv
# under target/test-tools/python, and PostgreSQL (see scripts/with-pg.sh:
# the PostgreSQL tests fail without a server). Then runs the whole
# Rust test suite (cargo-nextest when present, else `cargo test`). Safe to run
# again: a second run installs nothing and goes straight to the tests.
# Non-interactive; uses sudo only when not root. Exits non-zero on any failure.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
exec </dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n env DEBIAN_FRONTEND=noninteractive "$@"; fi
}
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_candidate() { apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'; }

# --- system packages -------------------------------------------------------
started=$SECONDS
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v git >/dev/null 2>&1 || missing+=(git)
for font in fonts-liberation fonts-dejavu-core; do has_pkg "$font" || missing+=("$font"); done
java_ok() { command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; }
java_ok || missing+=(JAVA)
node_ok() { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }
node_ok || missing+=(nodejs npm)
python_ok() { command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' >/dev/null 2>&1; }
python_ok || missing+=(python3 python3-venv)

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get: install them by hand"
  log "installing system packages: ${missing[*]}"
  as_root apt-get update -qq -o Acquire::Retries=3
  pkgs=()
  for p in "${missing[@]}"; do
    if [ "$p" = JAVA ]; then
      if apt_candidate default-jre-headless; then p=default-jre-headless; else p=openjdk-17-jre-headless; fi
    fi
    pkgs+=("$p")
  done
  as_root apt-get install -y -qq --no-install-recommends -o Acquire::Retries=3 "${pkgs[@]}" >/dev/null
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing"
command -v faketime >/dev/null 2>&1 || die "faketime is still missing"
command -v rsync >/dev/null 2>&1 || die "rsync is still missing"
java_ok || die "java still does not run"
node_ok || die "node/npm still missing"
python_ok || die "python3 with venv still missing"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: playwright-core needs 20 or newer"
log "system packages ready ($((SECONDS - started))s)"

# --- npm packages (exact versions from package-lock.json) -------------------
started=$SECONDS
stamp=node_modules/.openings-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
  [ -f node_modules/vnu-jar/build/dist/vnu.jar ] &&
  [ -f node_modules/axe-core/axe.min.js ] &&
  [ -f node_modules/playwright-core/package.json ] &&
  [ -f node_modules/lighthouse/cli/index.js ]; then
  log "npm packages up to date"
else
  log "npm ci"
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java
  # runtime from the internet; the system JRE installed above is used instead.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
log "npm packages ready ($((SECONDS - started))s)"

# --- Python packages (exact versions from tests/tools/requirements.txt) ------
started=$SECONDS
venv=target/test-tools/python
requirements=tests/tools/requirements.txt
stamp=$venv/.openings-requirements.sha256
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -x "$venv/bin/python" ]; then
  log "python packages up to date"
else
  log "pip install -r $requirements"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
  echo "$want" >"$stamp"
fi
log "python packages ready ($((SECONDS - started))s)"

# --- tests ------------------------------------------------------------------
# Under a throwaway PostgreSQL server (scripts/with-pg.sh installs postgresql
# when missing, starts a cluster in target/test-pg, exports
# OPENINGS_TEST_DATABASE_URL and stops the server when the tests end).
if cargo nextest --version >/dev/null 2>&1; then
  log "cargo nextest run --all-targets --no-fail-fast $*"
  bash scripts/with-pg.sh cargo nextest run --all-targets --no-fail-fast "$@"
else
  log "cargo test --all-targets --no-fail-fast $*"
  bash scripts/with-pg.sh cargo test --all-targets --no-fail-fast "$@"
fi
