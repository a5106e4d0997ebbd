package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
)

// BenchmarkStream10kLines streams an answer of 1,000 and of 10,000 lines
// in 40-byte chunks and draws a frame after each, as the program does
// when the model streams faster than the screen refreshes (the worst
// case: one frame per chunk). The answer mixes prose, inline code, bold
// and a fenced Go block every 100 lines; "after200turns" streams the
// 1,000 lines at the end of a conversation of 200 earlier exchanges.
//
// Besides ns/op (one whole answer), it reports:
//
//	frames/op           frames drawn (one per chunk)
//	frames/s            frames per second of wall time
//	cpu-ms/op           process CPU time (user+system, GC included) per answer
//	us/frame-first10%   mean cost of a chunk and its frame in the first tenth of the answer
//	us/frame-last10%    the same in the last tenth
//
// The cost per new chunk does not grow with the length of the answer or
// of the conversation when the last two stay close to each other and to
// those of the shorter runs.
//
//	go test ./internal/tui -run '^$' -bench Stream10kLines -benchtime 3x
func BenchmarkStream10kLines(b *testing.B) {
	for _, bc := range []struct {
		name         string
		lines, turns int
	}{{"lines=1000", 1_000, 0}, {"lines=10000", 10_000, 0}, {"lines=1000/after200turns", 1_000, 200}} {
		b.Run(bc.name, func(b *testing.B) { benchStream(b, bc.lines, bc.turns) })
	}
}

// streamedAnswer is a Markdown answer of n lines.
func streamedAnswer(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		switch {
		case i%100 == 40:
			sb.WriteString("```go\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn x * 2\n\t}\n\treturn 0\n}\n```\n")
			i += 7
		case i%10 == 9:
			sb.WriteString("\n")
		default:
			fmt.Fprintf(&sb, "Line %d of the answer, with `code` and **bold** text.\n", i)
		}
	}
	return sb.String()
}

func benchStream(b *testing.B, lines, turns int) {
	text := streamedAnswer(lines)
	var chunks []string
	for i := 0; i < len(text); i += 40 {
		chunks = append(chunks, text[i:min(i+40, len(text))])
	}
	tenth := max(len(chunks)/10, 1)
	var frames int
	var first, last, wall time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		b.StopTimer()
		m := New(Options{Backend: &fakeBackend{}, NoColor: true})
		m.width, m.height = 120, 40
		for t := 0; t < turns; t++ {
			m.push(&userEntry{text: fmt.Sprintf("question %d", t)})
			a := &assistantEntry{}
			a.md.append(fmt.Sprintf("Answer %d, with `code`.\n\nAnd a second paragraph.\n", t))
			m.push(a)
		}
		m.busy = true
		b.StartTimer()
		start := time.Now()
		for i, c := range chunks {
			t0 := time.Now()
			m.event(agent.Event{Kind: agent.EventText, Text: c})
			_ = m.Frame()
			d := time.Since(t0)
			switch {
			case i < tenth:
				first += d
			case i >= len(chunks)-tenth:
				last += d
			}
		}
		wall += time.Since(start)
		frames += len(chunks)
	}
	cpu := cpuTime() - cpu0
	n := float64(b.N)
	b.ReportMetric(float64(len(chunks)), "frames/op")
	b.ReportMetric(float64(frames)/wall.Seconds(), "frames/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms/op")
	}
	b.ReportMetric(float64(first.Microseconds())/n/float64(tenth), "us/frame-first10%")
	b.ReportMetric(float64(last.Microseconds())/n/float64(tenth), "us/frame-last10%")
}
