package emulator

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
)

// BenchmarkStreamTurn measures a streamed five-block turn (thinking, text,
// three tool calls: 24 event-stream frames) through a real loopback
// listener, the way every test and the demo use the emulator. It reports
// requests per second: the emulator must never be the bottleneck of our
// own benchmarks.
//
//	go test ./internal/emulator/ -run '^$' -bench BenchmarkStreamTurn -benchtime 3s
func BenchmarkStreamTurn(b *testing.B) {
	s, err := Start(context.Background(), "", Options{Scenario: scenarioFrom(b, fiveBlocks), AllowUnsigned: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := s.Stop(); err != nil {
			b.Error(err)
		}
	})
	url := s.URL + "/model/" + sonnet46 + "/invoke-with-response-stream"
	body := thinkingBody(map[string]any{"messages": convo(1), "system": "You are a coding agent."})

	turn := func(client *http.Client) {
		resp, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || n == 0 {
			b.Fatalf("status %d, %d bytes, %v", resp.StatusCode, n, err)
		}
	}

	b.Run("sequential", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		b.ReportAllocs()
		for b.Loop() {
			turn(client)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
	b.Run("parallel", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				turn(client)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
}
