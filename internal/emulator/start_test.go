package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStart(t *testing.T) {
	t.Parallel()
	r, err := Start(t.Context(), "", Options{AllowUnsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.URL, "http://127.0.0.1:") {
		t.Errorf("URL %q, want loopback", r.URL)
	}
	resp, err := http.Get(r.URL + "/inference-profiles")
	if err != nil {
		t.Fatalf("not serving: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	if err := r.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := r.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if _, err := http.Get(r.URL + "/inference-profiles"); err == nil {
		t.Error("still serving after Stop")
	}
}

func TestStartStopsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	r, err := Start(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan error, 1)
	go func() { done <- r.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Wait: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still serving 10s after its context ended")
	}
}

// TestStartErrors: a command tells a bad address from bad options by type.
func TestStartErrors(t *testing.T) {
	t.Parallel()
	_, err := Start(t.Context(), "not an address", Options{})
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("bad address: %v (%T), want a *net.OpError", err, err)
	}
	_, err = Start(t.Context(), "", Options{Region: "mars"})
	if err == nil || errors.As(err, &op) || !strings.Contains(err.Error(), `region "mars"`) {
		t.Errorf("bad options: %v, want the region named and no *net.OpError", err)
	}
}
