#!/usr/bin/env bash
# Regenerates the Python SDK (sdk/python) from schema.json with the Pulumi CLI's own code generator.
# test/plugin/python-sdk.test.ts fails when the checked-in SDK differs from a fresh generation.
#   scripts/python-sdk.sh [out-dir]     (default: sdk/python)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$REPO_ROOT/sdk/python}"
BIN="$(bash "$REPO_ROOT/scripts/pulumi-cli.sh")"
# gen-sdk runs the Python language host's code generator.
HOST_BIN="$(bash "$REPO_ROOT/scripts/language-hosts.sh" python)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PATH="$BIN:$HOST_BIN:$PATH" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$work/home" \
  "$BIN/pulumi" package gen-sdk "$REPO_ROOT/schema.json" --language python --out "$work/sdk" >&2
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$work/sdk/python" "$OUT"
echo "$OUT"
