#!/usr/bin/env bash
# Builds the plugin archive for `pulumi plugin install resource keylink <version> --file <archive>`: the launcher
# pulumi-resource-keylink at the top, beside node_modules holding this package (as `npm pack` ships it, so run
# `npm run build` first) and its production dependencies, @pulumi/pulumi included. Needs Node.js on PATH where it
# runs; nothing is native, so one archive serves every platform. Prints the archive's path.
#   scripts/plugin-archive.sh [out-dir]     (default: .cache/plugin)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$REPO_ROOT/.cache/plugin}"
VERSION="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/package.json")"
PULUMI_SDK="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$REPO_ROOT/package.json")"
[ -f "$REPO_ROOT/dist/plugin/main.js" ] || { echo "plugin-archive: dist/ is missing: run 'npm run build' first" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
tarball="$(cd "$REPO_ROOT" && npm pack --silent --pack-destination "$stage" | tail -1)"
mkdir -p "$stage/plugin"
echo '{ "private": true }' > "$stage/plugin/package.json"
(
  cd "$stage/plugin"
  npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error \
    "$stage/$tarball" "@pulumi/pulumi@$PULUMI_SDK" >&2
)
rm "$stage/plugin/package.json"
cat > "$stage/plugin/pulumi-resource-keylink" <<'LAUNCHER'
#!/bin/sh
exec node "$(dirname "$0")/node_modules/pulumi-keylink/dist/plugin/main.js" "$@"
LAUNCHER
chmod 0755 "$stage/plugin/pulumi-resource-keylink"
mkdir -p "$OUT"
archive="$OUT/pulumi-resource-keylink-v$VERSION.tar.gz"
tar -czf "$archive" -C "$stage/plugin" .
echo "$archive"
