package agent

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/model"
)

// TestWindow: the session plans compaction for the window the model has,
// and for 1M when the user asked for [1m] on a model the catalog lacks
// (claude-fable-5[1m]): a 200K guess would compact at 160K on a 1M model.
func TestWindow(t *testing.T) {
	t.Parallel()
	sonnet, ok := model.Lookup("anthropic.claude-sonnet-4-6")
	if !ok {
		t.Fatal("catalog lacks Sonnet 4.6")
	}
	tests := []struct {
		name string
		s    Session
		want int
	}{
		{"unknown model", Session{model: model.Resolved{ID: "claude-fable-5"}}, 200_000},
		{"unknown model with [1m]", Session{model: model.Resolved{ID: "claude-fable-5", LongContext: true}}, model.LongContextTokens},
		{"known model", Session{model: model.Resolved{Model: sonnet}}, sonnet.ContextWindow},
		{"known model with [1m]", Session{model: model.Resolved{Model: sonnet, LongContext: true}}, sonnet.LongContext},
		{"CLAUDE_CODE_MAX_CONTEXT_TOKENS wins", Session{o: Options{ContextWindow: 50_000}, model: model.Resolved{LongContext: true}}, 50_000},
	}
	for _, tt := range tests {
		if got := tt.s.window(); got != tt.want {
			t.Errorf("%s: window = %d, want %d", tt.name, got, tt.want)
		}
	}
}
