#!/usr/bin/env bash
# Builds stamped release binaries of basalt for the platforms given as
# GOOS/GOARCH arguments (default: all supported ones) into dist/, with a
# SHA256SUMS file. Needs only Go and sha256sum (or shasum).
#
#   VERSION  the version to stamp (default: git describe)
#   COMMIT   the commit to stamp (default: git rev-parse)
#   DIST     output folder (default: dist)
#
# Binaries are static (CGO_ENABLED=0), -trimpath, stripped (-s -w), and
# named basalt_VERSION_GOOS_GOARCH[.exe].
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
DIST=${DIST:-dist}
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64)

pkg=github.com/basalt-dev/basalt/internal/cli
ldflags="-s -w -X $pkg.Version=$VERSION -X $pkg.Commit=$COMMIT"
mkdir -p "$DIST"
built=()
for p in "${platforms[@]}"; do
  goos=${p%/*} goarch=${p#*/}
  out="basalt_${VERSION}_${goos}_${goarch}"
  [ "$goos" = windows ] && out="$out.exe"
  echo "build $p -> $DIST/$out" >&2
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags "$ldflags" -o "$DIST/$out" ./cmd/basalt
  built+=("$out")
done

cd "$DIST"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "${built[@]}" > SHA256SUMS
else
  shasum -a 256 "${built[@]}" > SHA256SUMS
fi
cat SHA256SUMS
ls -l "${built[@]}" >&2
