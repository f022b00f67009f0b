# Sourced by the scripts that build Pulumi's language hosts. `vendor_source NAME` prints the folder holding
# Pulumi's source of NAME (e.g. pulumi-language-nodejs-v3.259.0): in $KEYLINK_VENDOR_DIR, in ../shared/vendor
# beside this repository (read-only in CI), or beside the main worktree of a `git worktree` checkout.
vendor_source() {
  local name="$1" root dir common
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  for dir in "${KEYLINK_VENDOR_DIR:-}" "$root/../shared/vendor"; do
    if [ -n "$dir" ] && [ -f "$dir/$name/go.mod" ]; then echo "$(cd "$dir/$name" && pwd)"; return 0; fi
  done
  common="$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  if [ -n "$common" ] && [ -f "$common/../../shared/vendor/$name/go.mod" ]; then
    echo "$(cd "$common/../../shared/vendor/$name" && pwd)"; return 0
  fi
  return 1
}
