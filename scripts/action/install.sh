#!/usr/bin/env bash
# Installs a released basalt for the GitHub Action (action.yml): downloads
# the binary for this runner's platform and the release's SHA256SUMS,
# refuses a binary whose checksum does not match, and puts it on PATH.
#
#   BASALT_VERSION       a release tag (v1.2.3) or "latest" (default)
#   BASALT_REPOSITORY    owner/name of the releases (default: the action's)
#   BASALT_RELEASE_URL   base of the download URLs (default:
#                        https://github.com/$BASALT_REPOSITORY/releases/download)
#   BASALT_API_URL       GitHub API base for "latest" (default: $GITHUB_API_URL
#                        or https://api.github.com)
#   BASALT_INSTALL_DIR   where the binary goes (default: $RUNNER_TEMP/basalt-bin)
#   GITHUB_PATH          the runner's PATH file; the install dir is added to it
set -euo pipefail

repo=${BASALT_REPOSITORY:-basalt-dev/basalt}
version=${BASALT_VERSION:-latest}
base=${BASALT_RELEASE_URL:-https://github.com/$repo/releases/download}
api=${BASALT_API_URL:-${GITHUB_API_URL:-https://api.github.com}}
dir=${BASALT_INSTALL_DIR:-${RUNNER_TEMP:-/tmp}/basalt-bin}

fail() { echo "::error title=basalt install::$*" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) fail "unsupported runner OS $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "unsupported runner architecture $(uname -m)" ;;
esac

auth=()
[ -n "${GITHUB_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
if [ "$version" = latest ]; then
  version=$(curl -fsSL "${auth[@]}" "$api/repos/$repo/releases/latest" | sed -n 's/^ *"tag_name": *"\([^"]*\)".*/\1/p' | head -1) ||
    fail "could not look up the latest release of $repo"
  [ -n "$version" ] || fail "$repo has no release yet: set basalt-version"
fi

asset="basalt_${version}_${os}_${arch}"
[ "$os" = windows ] && asset="$asset.exe"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$version/$asset" || fail "download $base/$version/$asset failed"
curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$base/$version/SHA256SUMS" || fail "download $base/$version/SHA256SUMS failed"

want=$(awk -v a="$asset" '$2 == a || $2 == "*"a {print $1}' "$tmp/SHA256SUMS")
[ -n "$want" ] || fail "SHA256SUMS of $version does not list $asset"
if command -v sha256sum >/dev/null 2>&1; then
  got=$(sha256sum "$tmp/$asset" | awk '{print $1}')
else
  got=$(shasum -a 256 "$tmp/$asset" | awk '{print $1}')
fi
[ "$got" = "$want" ] || fail "checksum mismatch for $asset: got $got, SHA256SUMS says $want"

mkdir -p "$dir"
name=basalt
[ "$os" = windows ] && name=basalt.exe
install -m 0755 "$tmp/$asset" "$dir/$name"
[ -n "${GITHUB_PATH:-}" ] && echo "$dir" >> "$GITHUB_PATH"
"$dir/$name" version
