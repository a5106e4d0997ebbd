package tui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
)

// TestWebFetchQuestion: the permission question for a fetch names the
// URL and offers to remember the host's domain rule.
func TestWebFetchQuestion(t *testing.T) {
	call := &agent.ToolCall{ID: "w1", Name: "WebFetch", Input: json.RawMessage(`{"url":"https://pkg.go.dev/net/http","prompt":"what does Client.Do return?"}`)}
	m, _ := newTestModel(t, 80, 24)
	startTurn(m, "how does Client.Do fail?")
	m.Update(askFor(call, "WebFetch(domain:pkg.go.dev)"))
	golden(t, "ask_webfetch_80x24", m)
	frame := ansi.Strip(m.View().Content)
	for _, want := range []string{"WebFetch wants to fetch a web page", "https://pkg.go.dev/net/http", "WebFetch(domain:pkg.go.dev)"} {
		if !strings.Contains(frame, want) {
			t.Errorf("the question lacks %q:\n%s", want, frame)
		}
	}
}
