# Release builds. `make release` writes stamped, stripped binaries for
# every supported platform and their SHA-256 checksums to dist/.
#
#   make release VERSION=v1.2.3     (default: git describe)
#   make build                      this platform only, into dist/
#   make clean

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64

.PHONY: release build clean
release:
	VERSION=$(VERSION) COMMIT=$(COMMIT) scripts/release.sh $(PLATFORMS)

build:
	VERSION=$(VERSION) COMMIT=$(COMMIT) scripts/release.sh $$(go env GOOS)/$$(go env GOARCH)

clean:
	rm -rf dist
