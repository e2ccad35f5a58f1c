#!/usr/bin/env bash
# Install whatever is missing on a fresh Debian machine, and nothing that is already there:
# Debian packages, the Python virtualenv .venv/ with the pinned packages, the Solr launcher.
# Safe and quick to run again (stamps skip what is up to date).
set -euo pipefail
source "$(dirname "$0")/common.sh"

APT_PACKAGES=(
  "postgresql-$PG_VERSION" libpq-dev  # the database, and the headers psycopg2 builds against
  redis-server                         # CKAN's job queue and cache
  chromium chromium-driver             # the browser tests (never a downloaded browser)
  fonts-noto-cjk                       # Chinese glyphs for screenshots and the PDF catalog
  poppler-utils                        # pdftotext / pdftoppm to check generated PDFs
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint's layout (the catalog book)
  curl maven                           # health checks; builds the Solr launcher
)

install_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "installing Debian packages needs root (apt-get install ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$LOG_DIR/apt.log" 2>&1 || { tail -n 30 "$LOG_DIR/apt.log" >&2; die "apt-get install failed"; }
}

install_python() {
  local stamp="$VENV/.yiyang-stamp" want
  want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/requirements-nodeps.txt" \
    "$ROOT/setup.py" "$ROOT/pyproject.toml" | md5sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$CKAN" ]; then return; fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtualenv .venv"
    python3 -m venv "$VENV"
  fi
  say "installing the pinned Python packages into .venv (log: var/log/pip.log)"
  {
    "$VENV/bin/pip" install -q --upgrade "pip==26.3" "setuptools==84.2.1" "wheel==0.48.0" &&
    "$VENV/bin/pip" install -q -r "$ROOT/requirements-dev.txt" &&
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements-nodeps.txt" &&
    # ckanext-xloader's wheel brings a pkg_resources-style ckanext/__init__.py: with it,
    # `ckanext` stops being a PEP 420 namespace (scheming's -nspkg.pth then freezes its path to
    # site-packages alone, and a wheel or PYTHONPATH portion of ckanext.* is never found).
    # CKAN 2.12's own ckanext has no __init__.py; xloader works without it.
    rm -f "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/ckanext/__init__.py" &&
    "$VENV/bin/pip" install -q --no-deps --no-build-isolation -e "$ROOT"
  } >"$LOG_DIR/pip.log" 2>&1 || { tail -n 30 "$LOG_DIR/pip.log" >&2; die "pip install failed"; }
  echo "$want" >"$stamp"
}

compile_catalogs() {
  "$VENV/bin/pybabel" compile -D ckanext-yiyang -d "$ROOT/ckanext-yiyang/ckanext/yiyang/i18n" \
    >"$LOG_DIR/i18n.log" 2>&1 || { cat "$LOG_DIR/i18n.log" >&2; die "compiling the translations failed"; }
}

install_apt
install_python
compile_catalogs
"$ROOT/config/bin/solr.sh" build
