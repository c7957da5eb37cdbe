#!/usr/bin/env bash
# Run every helpdeck test: Rust tests, then the browser tests (axe + behaviour) and
# the external validators (Nu HTML checker, Lighthouse) against the demo site.
# Installs Chromium, Java, gettext, xmllint, Python's icalendar, polib and translate-toolkit
# and the npm packages if missing.
# Usage: bash tests/run.sh   (from anywhere)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$(pwd)"
BROWSER_DIR="$REPO_ROOT/tests/browser"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

step() { printf '\n==> %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "error: need root to run: $*" >&2; return 1
  fi
}
apt_install() {
  step "apt-get install $*"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# ---- Prerequisites ----------------------------------------------------------
command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found (install Rust: https://rustup.rs)" >&2; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "warning: Node $(node --version) found; the browser tests are written for Node >= 20" >&2
fi

if [ ! -x "$CHROMIUM" ]; then
  apt_install chromium
fi

# The Nu HTML checker (vnu-jar from npm) runs on Java.
if ! command -v java >/dev/null 2>&1; then
  apt_install default-jre-headless
fi

# Exports are read back by Python's csv, json and icalendar modules (second implementations).
command -v python3 >/dev/null 2>&1 || apt_install python3
if ! python3 -c 'import icalendar' 2>/dev/null; then
  step "install Python's icalendar"
  python3 -m pip install --quiet --disable-pip-version-check 'icalendar==7.3.2' \
    || apt_install python3-icalendar
fi

# UI strings go out as gettext PO: GNU msgfmt checks them, Python's polib reads them back.
command -v msgfmt >/dev/null 2>&1 || apt_install gettext
if ! python3 -c 'import polib' 2>/dev/null; then
  step "install Python's polib"
  python3 -m pip install --quiet --disable-pip-version-check 'polib==1.2.0' \
    || apt_install python3-polib
fi

# Pages go out as XLIFF 2.0 too: xmllint validates them against OASIS's schema (vendored in
# tests/schemas/xliff), translate-toolkit reads them back.
command -v xmllint >/dev/null 2>&1 || apt_install libxml2-utils
if ! python3 -c 'import translate.storage.xliff2' 2>/dev/null; then
  step "install Python's translate-toolkit"
  python3 -m pip install --quiet --disable-pip-version-check 'translate-toolkit==3.20.4'
fi

# npm ci when node_modules is missing, or older than package.json / package-lock.json
# (npm writes node_modules/.package-lock.json on every install).
installed_lock="$BROWSER_DIR/node_modules/.package-lock.json"
if [ ! -f "$installed_lock" ] \
  || [ "$BROWSER_DIR/package-lock.json" -nt "$installed_lock" ] \
  || [ "$BROWSER_DIR/package.json" -nt "$installed_lock" ]; then
  step "npm ci (tests/browser)"
  # No install scripts: none is needed, and vnu-jar's would fetch a Java runtime from the
  # network (tests/run.sh installs Debian's instead).
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --ignore-scripts)
fi

# ---- Tests --------------------------------------------------------------------
failed=()

step "cargo test --all-targets"
cargo test --all-targets || failed+=("cargo test")

# --all-targets skips doc tests: run them too when the sources have any.
if grep -rqE '^\s*//[/!].*```' src 2>/dev/null; then
  step "cargo test --doc"
  cargo test --doc || failed+=("cargo test --doc")
fi

# `cargo test` built target/debug/helpdeck for the integration tests; the browser tests use
# it too (a separate `cargo build` would recompile crates whose features dev-dependencies change).
if [ -x target/debug/helpdeck ]; then
  step "node --test tests/browser/"
  node --test --test-reporter=spec tests/browser/ || failed+=("browser tests")
else
  failed+=("no target/debug/helpdeck (browser tests not run)")
fi

echo
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "All tests passed."
