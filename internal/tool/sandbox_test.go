package tool

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeSandbox stands in for the harness's runner: it "sandboxes" a
// command by running it through env with a marker variable, so the test
// can see which way it went.
type fakeSandbox struct {
	refusal string
	direct  bool
	got     []SandboxRequest
}

func (f *fakeSandbox) Prepare(ctx context.Context, req SandboxRequest) (SandboxedCommand, error) {
	f.got = append(f.got, req)
	switch {
	case f.refusal != "":
		return SandboxedCommand{Refusal: f.refusal}, nil
	case f.direct || req.Unsandboxed:
		return SandboxedCommand{}, nil
	}
	cmd := exec.CommandContext(ctx, "env", "IN_FAKE_SANDBOX=1", req.Shell, "-c", req.Script)
	cmd.Dir = req.Dir
	cmd.Env = req.Env
	return SandboxedCommand{Cmd: cmd, Explain: func(code int, out string) string {
		if strings.Contains(out, "Read-only") {
			return "the sandbox made /etc read-only"
		}
		return ""
	}}, nil
}

func TestBashSandbox(t *testing.T) {
	t.Parallel()
	fake := &fakeSandbox{}
	s := newSession(t, "", func(o *SessionOptions) { o.Sandbox = fake; o.TempDir = t.TempDir() })

	res := call(t, s, Bash{}, map[string]any{"command": "echo in=$IN_FAKE_SANDBOX"})
	if res.IsError || !strings.Contains(res.Content, "in=1") || !res.Display.(*BashDisplay).Sandboxed {
		t.Errorf("sandboxed run: %+v", res)
	}
	if got := fake.got[0]; got.Command != "echo in=$IN_FAKE_SANDBOX" || !strings.Contains(got.Script, got.Command) || got.Unsandboxed {
		t.Errorf("request = %+v", got)
	}

	res = call(t, s, Bash{}, map[string]any{"command": "echo Read-only file system >&2; exit 1"})
	if !res.IsError || !strings.Contains(res.Content, "[sandbox] the sandbox made /etc read-only") {
		t.Errorf("a violation is not explained: %q", res.Content)
	}
	res = call(t, s, Bash{}, map[string]any{"command": "exit 2"})
	if strings.Contains(res.Content, "[sandbox]") {
		t.Errorf("a plain failure is blamed on the sandbox: %q", res.Content)
	}

	res = call(t, s, Bash{}, map[string]any{"command": "echo in=$IN_FAKE_SANDBOX", "dangerouslyDisableSandbox": true})
	if res.IsError || strings.Contains(res.Content, "in=1") || res.Display.(*BashDisplay).Sandboxed {
		t.Errorf("unsandboxed run went through the sandbox: %+v", res)
	}
	if !fake.got[len(fake.got)-1].Unsandboxed {
		t.Error("dangerouslyDisableSandbox not passed on")
	}

	// A background command is placed the same way.
	res = call(t, s, Bash{}, map[string]any{"command": "echo bg=$IN_FAKE_SANDBOX", "run_in_background": true})
	if res.IsError || !res.Display.(*BashDisplay).Sandboxed {
		t.Errorf("background run not sandboxed: %+v", res)
	}
}

func TestBashSandboxRefusal(t *testing.T) {
	t.Parallel()
	s := newSession(t, "", func(o *SessionOptions) { o.Sandbox = &fakeSandbox{refusal: "the sandbox is required and cannot run"} })
	for _, bg := range []bool{false, true} {
		res := call(t, s, Bash{}, map[string]any{"command": "echo hi", "run_in_background": bg})
		if !res.IsError || res.Content != "the sandbox is required and cannot run" {
			t.Errorf("background %v: %+v, want the refusal", bg, res)
		}
	}
}

// The field the model was trained on, spelt and described as Claude
// Code's Bash tool has it.
func TestBashSandboxPropertyMatchesClaudeCode(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/claude-code/bash-sandbox-property.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Property string          `json:"property"`
		Schema   json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	var ours struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(Bash{}.InputSchema(), &ours); err != nil {
		t.Fatal(err)
	}
	var want, got any
	_ = json.Unmarshal(golden.Schema, &want)
	_ = json.Unmarshal(ours.Properties[golden.Property], &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s mismatch (-claude code +basalt):\n%s", golden.Property, diff)
	}
}
