#!/usr/bin/env bash
# Makes the Pulumi YAML and/or Python language hosts available beside the Pulumi CLI and prints their folder.
#   scripts/language-hosts.sh yaml      pulumi-language-yaml, from the Go module proxy (pulumi-yaml v1.25.0)
#   scripts/language-hosts.sh python    pulumi-language-python, from the vendored source of Pulumi v3.259.0
#                                       (../shared/vendor by default, copied out first: the vendor folder is
#                                       read-only), with pulumi-language-python-exec beside it
# A host already on PATH is used as it is; otherwise it is built once into the CLI's cache folder.
set -euo pipefail

PULUMI_VERSION="${KEYLINK_PULUMI_VERSION:-3.259.0}"
YAML_VERSION="${KEYLINK_PULUMI_YAML_VERSION:-1.25.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${KEYLINK_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-keylink/pulumi-cli-v$PULUMI_VERSION}"
BIN="$CACHE_ROOT/bin"
# shellcheck source=scripts/vendor.sh
source "$REPO_ROOT/scripts/vendor.sh"

log() { echo "language-hosts: $*" >&2; }

need_go() {
  command -v go >/dev/null 2>&1 && return 0
  log "no Go toolchain to build $1; install Go >= 1.25 or put $1 on PATH."
  exit 1
}

build_yaml() {
  if command -v pulumi-language-yaml >/dev/null 2>&1; then dirname "$(command -v pulumi-language-yaml)"; return; fi
  if [ -x "$BIN/pulumi-language-yaml" ]; then echo "$BIN"; return; fi
  need_go pulumi-language-yaml
  log "building pulumi-language-yaml v$YAML_VERSION into $BIN (first run only; several minutes)"
  local start; start=$(date +%s)
  mkdir -p "$BIN"
  local tmp; tmp="$(mktemp -d)"
  CGO_ENABLED=0 GOBIN="$tmp" go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VERSION" >&2
  mv "$tmp/pulumi-language-yaml" "$BIN/pulumi-language-yaml"
  rm -rf "$tmp"
  log "built pulumi-language-yaml in $(( $(date +%s) - start ))s"
  echo "$BIN"
}

build_python() {
  if command -v pulumi-language-python >/dev/null 2>&1; then dirname "$(command -v pulumi-language-python)"; return; fi
  if [ -x "$BIN/pulumi-language-python" ] && [ -x "$BIN/pulumi-language-python-exec" ]; then echo "$BIN"; return; fi
  need_go pulumi-language-python
  local src
  src="$(vendor_source "pulumi-language-python-v$PULUMI_VERSION")" || {
    log "cannot find Pulumi's source of pulumi-language-python-v$PULUMI_VERSION in ../shared/vendor (or KEYLINK_VENDOR_DIR)"
    exit 1
  }
  log "building pulumi-language-python v$PULUMI_VERSION into $BIN (first run only; several minutes)"
  local start; start=$(date +%s)
  local work; work="$(mktemp -d)"
  cp -r "$src" "$work/"
  # The vendor folder is read-only, and the copy keeps its modes: made writable so that it can be removed.
  chmod -R u+w "$work"
  mkdir -p "$BIN"
  (
    cd "$work/pulumi-language-python-v$PULUMI_VERSION"
    CGO_ENABLED=0 go build -mod=readonly \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$BIN/pulumi-language-python.tmp" . >&2
    cp pulumi-language-python-exec "$BIN/pulumi-language-python-exec"
  )
  chmod 0755 "$BIN/pulumi-language-python-exec"
  mv "$BIN/pulumi-language-python.tmp" "$BIN/pulumi-language-python"
  rm -rf "$work"
  log "built pulumi-language-python in $(( $(date +%s) - start ))s"
  echo "$BIN"
}

case "${1:-}" in
  yaml) build_yaml ;;
  python) build_python ;;
  *) log "usage: $0 yaml|python"; exit 2 ;;
esac
