#!/usr/bin/env bash
# Makes a working Pulumi CLI and its Node.js language host available and prints the directory that holds the CLI.
# The CLI:
# 1. a `pulumi` already on PATH is used as it is;
# 2. otherwise the CLI is built with Go from the Go module proxy into a cache folder
#    (the Pulumi download site is not reachable on every machine; the Go module proxy is);
# 3. otherwise it fails and says what to install.
# The language host `pulumi-language-nodejs` (Pulumi's installer puts it beside the CLI; the Go module proxy does
# not serve it): one on PATH or beside the CLI is used as it is; otherwise it is built with Go from Pulumi's source
# in ../shared/vendor (or $KEYLINK_VENDOR_DIR) into the same cache folder, and copied beside a CLI from PATH when
# that folder is writable. Without one, this script still succeeds and says what to install: `npm start` then
# runs the demo inline, and the suites that need the language host fail naming it.
# The dynamic-provider launcher `pulumi-resource-pulumi-nodejs` ships inside @pulumi/pulumi; it is
# copied next to the binary so the engine finds it without any plugin download.
set -euo pipefail

PULUMI_VERSION="${KEYLINK_PULUMI_VERSION:-3.259.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${KEYLINK_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-keylink/pulumi-cli-v$PULUMI_VERSION}"
BIN="$CACHE_ROOT/bin"

log() { echo "pulumi-cli: $*" >&2; }

HOST=pulumi-language-nodejs
HOST_SOURCE="$HOST-v$PULUMI_VERSION"

install_launcher() {
  local dir="$1" src="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -x "$dir/pulumi-resource-pulumi-nodejs" ] || command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
    return 0
  fi
  if [ ! -f "$src" ]; then
    log "cannot find $src: run 'npm ci' first"; exit 1
  fi
  cp "$src" "$dir/pulumi-resource-pulumi-nodejs"
  chmod 0755 "$dir/pulumi-resource-pulumi-nodejs"
}

# shellcheck source=scripts/vendor.sh
source "$REPO_ROOT/scripts/vendor.sh"

host_is_current() { [ -x "$1" ] && [ "$("$1" -version 2>/dev/null)" = "v$PULUMI_VERSION" ]; }

build_language_host() {
  local source="$1" work start
  start=$(date +%s)
  log "building $HOST v$PULUMI_VERSION from $source into $BIN (first run only; takes minutes cold)"
  work="$(mktemp -d)"
  cp -r "$source" "$work/src"
  chmod -R u+w "$work/src"
  mkdir -p "$BIN"
  if (
    cd "$work/src"
    CGO_ENABLED=0 go build -mod=readonly \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$BIN/$HOST.tmp" . >&2
  ); then
    mv "$BIN/$HOST.tmp" "$BIN/$HOST"
    log "built $HOST in $(( $(date +%s) - start ))s"
  else
    log "building $HOST failed (see above)"
  fi
  rm -rf "$work"
}

# Makes sure the CLI in folder $1 finds a language host (beside it or on PATH); warns when none can be had.
ensure_language_host() {
  local dir="$1" source
  if [ -x "$dir/$HOST" ] || command -v "$HOST" >/dev/null 2>&1; then return 0; fi
  if ! host_is_current "$BIN/$HOST"; then
    if source="$(vendor_source "$HOST_SOURCE")" && command -v go >/dev/null 2>&1; then
      build_language_host "$source"
    fi
  fi
  if host_is_current "$BIN/$HOST" && [ "$dir" != "$BIN" ] && [ -w "$dir" ]; then cp "$BIN/$HOST" "$dir/$HOST"; fi
  if [ ! -x "$dir/$HOST" ]; then
    log "no $HOST beside $dir/pulumi or on PATH, nor Pulumi's source in ../shared/vendor/$HOST_SOURCE and Go >= 1.25 to build it: install the Pulumi CLI with its language hosts (https://www.pulumi.com/docs/install/) to run the projects"
  fi
}

if [ -z "${KEYLINK_PULUMI_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1 && pulumi version >/dev/null 2>&1; then
  dir="$(dirname "$(command -v pulumi)")"
  if [ -w "$dir" ]; then install_launcher "$dir"; fi
  ensure_language_host "$dir"
  echo "$dir"
  exit 0
fi

if [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  install_launcher "$BIN"
  ensure_language_host "$BIN"
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no 'pulumi' on PATH and no Go toolchain to build it."
  log "Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go >= 1.25, then run again."
  exit 1
fi

log "building Pulumi CLI v$PULUMI_VERSION with $(go version) into $BIN (first run only; takes several minutes)"
start=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$BIN"
(
  cd "$work"
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  go mod init keylink.local/pulumi-cli-build >/dev/null 2>&1
  # Mirrors upstream's own replace (a Windows-only fix); harmless here.
  go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
  # A wrapper module is needed: `go install pkg@version` refuses pulumi's modules because of their replace directives.
  go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
) || { log "building the Pulumi CLI failed (see above). Install the Pulumi CLI on PATH and run again."; exit 1; }
mv "$BIN/pulumi.tmp" "$BIN/pulumi"
log "built $("$BIN/pulumi" version) in $(( $(date +%s) - start ))s"
install_launcher "$BIN"
ensure_language_host "$BIN"
echo "$BIN"
