package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
)

// TestStatusRedactsSecrets: /status passes what the backend reports
// through the redaction rule before it reaches the screen, so a secret of
// the shared fixture never shows, whatever the backend forgot.
func TestStatusRedactsSecrets(t *testing.T) {
	m, fb := newTestModel(t, 400, 120)
	for _, s := range secrettest.Fixture() {
		if s.Value != "" {
			fb.status = append(fb.status, Field{Label: "env", Value: s.Name + "=" + s.Value})
		}
	}
	slash(m, "/status")
	frame := ansi.Strip(m.Frame())
	if !strings.Contains(frame, "DATABASE_URL=postgres://app:****@db.internal:5432/app") {
		t.Fatalf("the frame does not show the status report:\n%s", frame)
	}
	if got := secrettest.Find(frame); len(got) > 0 {
		t.Errorf("/status shows %v:\n%s", got, frame)
	}
}
