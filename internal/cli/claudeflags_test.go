package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config"
)

func TestExpandVariadic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"one value", []string{"-p", "hi", "--allowedTools", "Read"}, []string{"-p", "hi", "--allowedTools", "Read"}},
		{"several values", []string{"--allowedTools", "Read", "Bash(git diff:*)", "-p", "hi"},
			[]string{"--allowedTools", "Read", "--allowedTools", "Bash(git diff:*)", "-p", "hi"}},
		{"add-dir", []string{"--add-dir", "a", "b"}, []string{"--add-dir", "a", "--add-dir", "b"}},
		{"equals form untouched", []string{"--add-dir=a", "b"}, []string{"--add-dir=a", "b"}},
		{"other flags untouched", []string{"--model", "opus", "hi"}, []string{"--model", "opus", "hi"}},
		{"after --", []string{"--", "--add-dir", "a", "b"}, []string{"--", "--add-dir", "a", "b"}},
		{"flag last", []string{"--mcp-config"}, []string{"--mcp-config"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, expandVariadic(tt.args)); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestClaudeFlagErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantErr  string
		wantHint string
	}{
		{"claude flag with equivalent", []string{"--setting-sources", "user"}, "--setting-sources is a Claude Code flag basalt does not have", "--settings FILE"},
		{"claude shorthand", []string{"-w"}, "-w is a Claude Code flag basalt does not have", "nothing like it"},
		{"claude flag with =", []string{"--effort=high"}, "--effort is a Claude Code flag", "nothing like it"},
		{"not claude's", []string{"--frobnicate"}, "unknown flag: --frobnicate", "basalt --help"},
		{"bad session id", []string{"-p", "x", "--session-id", "abc"}, `--session-id "abc": not a valid UUID`, "uuidgen"},
		{"session id with resume", []string{"-r", "x", "--session-id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, "needs --fork-session", "--fork-session"},
		{"no persistence interactive", []string{"--no-session-persistence"}, "only applies to headless runs", "-p"},
		{"both system prompts", []string{"-p", "x", "--system-prompt", "a", "--system-prompt-file", "f"}, "are alternatives", ""},
		{"empty system prompt", []string{"-p", "x", "--system-prompt", " "}, "--system-prompt: empty text", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, _, _ := testApp()
			cmd := newRootCmd(app, func(context.Context, *App, *rootOptions) error { return nil })
			cmd.SetArgs(tt.args)
			err := cmd.Execute()
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a *UsageError", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantErr)
			}
			if !strings.Contains(ue.Hint, tt.wantHint) {
				t.Errorf("hint = %q, want it to contain %q", ue.Hint, tt.wantHint)
			}
		})
	}
}

func TestClaudeFlagsParse(t *testing.T) {
	t.Parallel()
	app, out, _ := testApp()
	var got *rootOptions
	cmd := newRootCmd(app, func(_ context.Context, _ *App, o *rootOptions) error { got = o; return nil })
	cmd.SetArgs(expandVariadic([]string{"-p", "hi", "--allowedTools", "Read", "Edit", "--disallowed-tools", "Bash",
		"--dangerously-skip-permissions", "--add-dir", "a", "b", "--mcp-config", "m.json", "--strict-mcp-config",
		"--session-id", "0F8FAD5B-D9CB-469F-A165-70867728950E", "--no-session-persistence",
		"--system-prompt", "S", "--append-system-prompt", "A"}))
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	wantFlags := config.Flags{AllowedTools: []string{"Read", "Edit"}, DisallowedTools: []string{"Bash"}, DangerouslySkipPermissions: true,
		AddDirs: []string{"a", "b"}, MCPConfigs: []string{"m.json"}, StrictMCPConfig: true}
	if diff := cmp.Diff(wantFlags, app.Flags); diff != "" {
		t.Errorf("flags mismatch (-want +got):\n%s", diff)
	}
	if got.SessionID != "0f8fad5b-d9cb-469f-a165-70867728950e" || !got.NoSessionPersistence || got.SystemPrompt != "S" || got.AppendSystemPrompt != "A" {
		t.Errorf("options = %+v", got)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out)
	}
}

func TestJSONArrayWriter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"nothing", nil, ""},
		{"one", []string{"{\"a\":1}\n"}, "[{\"a\":1}]\n"},
		{"split and joined writes", []string{"{\"a\"", ":1}\n{\"b\":2}\n", "\n{\"c\":3}\n"}, "[{\"a\":1},{\"b\":2},{\"c\":3}]\n"},
	}
	for _, tt := range tests {
		var buf strings.Builder
		w := newJSONArrayWriter(&buf)
		for _, s := range tt.writes {
			if _, err := w.Write([]byte(s)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, buf.String(), tt.want)
		}
	}
}
