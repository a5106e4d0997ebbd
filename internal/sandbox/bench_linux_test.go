package sandbox

import (
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// BenchmarkTrivialCommand measures what the sandbox adds to one command:
// `true` run by sh directly, inside bwrap, inside bwrap with a proxy for
// one domain (the shared network namespace), and the same with the
// fallback of a namespace and bridge per command. It reports the median of the
// runs (median-ms) and their CPU time (median-cpu-ms), the figures
// bench/sandbox.md quotes; run it with -benchtime=200x.
func BenchmarkTrivialCommand(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	runMedian := func(b *testing.B, mk func() *exec.Cmd) {
		var times, cpu []time.Duration
		for b.Loop() {
			start := time.Now()
			cmd := mk()
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
			cpu = append(cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
		median := func(d []time.Duration) float64 {
			slices.Sort(d)
			return float64(d[len(d)/2].Microseconds()) / 1000
		}
		// Wall time is what a user waits; CPU time (the command and every
		// process it waited for) does not grow with the machine's load.
		b.ReportMetric(median(times), "median-ms")
		b.ReportMetric(median(cpu), "median-cpu-ms")
	}
	b.Run("direct", func(b *testing.B) {
		runMedian(b, func() *exec.Cmd {
			cmd := exec.CommandContext(ctx, "/bin/sh", "-c", "true")
			cmd.Dir = dir
			return cmd
		})
	})
	net := Policy{Writable: []string{dir}, AllowedDomains: []string{"example.com"}}
	for _, bc := range []struct {
		name string
		p    Policy
		o    Options
	}{
		{"sandbox", Policy{Writable: []string{dir}}, Options{}},
		{"sandbox+proxy", net, Options{}},
		{"sandbox+proxy-bridge-per-command", net, Options{bridgePerCommand: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := startSandbox(b, bc.p, bc.o)
			runMedian(b, func() *exec.Cmd {
				cmd, err := s.Command(ctx, "/bin/sh", "true", dir, nil)
				if err != nil {
					b.Fatal(err)
				}
				return cmd
			})
		})
	}
}
