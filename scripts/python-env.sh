#!/usr/bin/env bash
# Makes the Python side of the plugin usable and prints a PATH prefix (folders separated by ':'):
# the Python language host (scripts/language-hosts.sh python) and a virtual environment with the `pulumi`
# package from PyPI and the generated SDK (sdk/python) installed. Both are cached; rerunning is cheap.
set -euo pipefail
PULUMI_VERSION="${KEYLINK_PULUMI_VERSION:-3.259.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KEYLINK_PYTHON_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-keylink/python-venv-v$PULUMI_VERSION}"
HOST_BIN="$(bash "$REPO_ROOT/scripts/language-hosts.sh" python)"
log() { echo "python-env: $*" >&2; }
if ! "$VENV/bin/python" -c "import pulumi" >/dev/null 2>&1; then
  command -v python3 >/dev/null 2>&1 || { log "python3 (3.9 or later) is needed on PATH"; exit 1; }
  log "creating $VENV with pulumi==$PULUMI_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pulumi==$PULUMI_VERSION" >&2
fi
# The SDK is reinstalled each time (a few seconds): it follows sdk/python. From a copy, so that the build leaves
# nothing in sdk/python.
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
cp -r "$REPO_ROOT/sdk/python" "$copy/"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "$copy/python" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$copy/python" >&2
echo "$VENV/bin:$HOST_BIN"
