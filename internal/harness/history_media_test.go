package harness

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/session"
)

// TestHistoryOfMedia: on resume, a Read of an image shows as an image in
// its tool line, and the blocks that followed the tool results (the note
// on the scaled image, a PDF's document) are not shown as prompts.
func TestHistoryOfMedia(t *testing.T) {
	t.Parallel()
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	img := map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": "iVBO"}}
	tr := &session.Transcript{Entries: []session.Entry{
		{Type: session.TypeUser, Message: raw(map[string]any{"role": "user", "content": []any{img, map[string]any{"type": "text", "text": "what is [Image #1]?"}}})},
		{Type: session.TypeAssistant, Message: raw(map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "t1", "name": "Read", "input": map[string]any{"file_path": "/x/big.png"}}}})},
		{Type: session.TypeUser, Message: raw(map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "tool_result", "tool_use_id": "t1", "content": []any{img}},
			map[string]any{"type": "text", "text": "[Image scaled: the file is 3000x2000 pixels, shown scaled to 1313x875.]"},
		}})},
		{Type: session.TypeAssistant, Message: raw(map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "A dialog."}}})},
	}}
	var got []string
	for _, h := range historyOf(tr) {
		line := string(h.Kind) + " " + h.Text
		if h.Result != nil {
			line += " → " + h.Result.Content
		}
		got = append(got, line)
	}
	want := []string{"prompt what is [Image #1]?", "tool  → [image]", "answer A dialog."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
}
