package cli

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/basalt-dev/basalt/internal/tool"
)

// TestInteractiveNeedsTerminal: without a terminal, basalt with no prompt
// exits 2 and points to -p instead of drawing on a pipe.
func TestInteractiveNeedsTerminal(t *testing.T) {
	app, _, errOut := testApp()
	app.Env = map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "HOME": t.TempDir(), "XDG_STATE_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	app.WorkDir = t.TempDir()
	code := run(t.Context(), app, nil)
	if code != ExitUsage {
		t.Errorf("exit code = %d, want %d; stderr:\n%s", code, ExitUsage, errOut)
	}
	if !bytes.Contains(errOut.Bytes(), []byte("basalt -p")) {
		t.Errorf("stderr does not suggest basalt -p:\n%s", errOut)
	}
}

// TestDisplaysRoundTrip: the wrapped tools keep a result's Display for
// the event that ends the call, once.
func TestDisplaysRoundTrip(t *testing.T) {
	t.Parallel()
	d := &displays{m: map[string]any{}}
	var todo tool.Tool
	for _, tl := range d.wrap(tool.All()) {
		if tl.Name() == "TodoWrite" {
			todo = tl
		}
	}
	in := json.RawMessage(`{"todos":[{"content":"write tests","status":"pending","activeForm":"Writing tests"}]}`)
	ts, err := tool.NewSession(tool.SessionOptions{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	if _, err := todo.Run(t.Context(), ts, in); err != nil {
		t.Fatal(err)
	}
	if got, ok := d.take("TodoWrite", in).([]tool.Todo); !ok || len(got) != 1 {
		t.Errorf("display = %#v, want the todo list", got)
	}
	if d.take("TodoWrite", in) != nil {
		t.Error("a display was taken twice")
	}
}
