// Package bench holds benchmarks that measure basalt against other tools
// on real inputs; run them with go test -bench . ./bench.
package bench
