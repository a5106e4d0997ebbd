package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/agent"
)

// BenchmarkStream10kLines streams a 1,000- and a 10,000-line answer in 40-byte chunks
// and draws a frame after each, as the program does. ns/op is one whole
// answer; the per-frame cost must stay flat as the answer grows.
func BenchmarkStream10kLines(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchStream(b, n) })
	}
}

func benchStream(b *testing.B, lines int) {
	var sb strings.Builder
	for i := 0; i < lines; i++ {
		if i%10 == 9 {
			sb.WriteString("\n")
			continue
		}
		fmt.Fprintf(&sb, "Line %d of the answer, with `code` and **bold** text.\n", i)
	}
	text := sb.String()
	for b.Loop() {
		m := New(Options{Backend: &fakeBackend{}, NoColor: true})
		m.width, m.height = 120, 40
		m.busy = true
		frames := 0
		for i := 0; i < len(text); i += 40 {
			m.event(agent.Event{Kind: agent.EventText, Text: text[i:min(i+40, len(text))]})
			_ = m.Frame()
			frames++
		}
		b.ReportMetric(float64(frames), "frames/op")
	}
}
