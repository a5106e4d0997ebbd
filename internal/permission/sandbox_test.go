package permission

import (
	"encoding/json"
	"testing"
)

func bashInput(t *testing.T, command string, disable bool) json.RawMessage {
	t.Helper()
	in := map[string]any{"command": command}
	if disable {
		in["dangerouslyDisableSandbox"] = true
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSandboxDecisions(t *testing.T) {
	t.Parallel()
	on := Sandbox{On: true, AutoAllow: true, AllowUnsandboxed: true, Excluded: []string{"docker:*"}}
	tests := []struct {
		name     string
		mode     Mode
		headless bool
		deny     []string
		ask      []string
		sandbox  Sandbox
		command  string
		disable  bool
		want     Behavior
		source   string
	}{
		{name: "no sandbox asks", command: "touch out.txt", want: Ask},
		{name: "sandboxed runs unasked", sandbox: on, command: "touch out.txt", want: Allow, source: SourceSandbox},
		{name: "outside the project, sandboxed", sandbox: on, command: "touch ../elsewhere", want: Allow, source: SourceSandbox},
		{name: "unparseable, sandboxed", sandbox: on, command: "echo $((", want: Allow, source: SourceSandbox},
		{name: "headless sandboxed runs", headless: true, sandbox: on, command: "touch out.txt", want: Allow, source: SourceSandbox},
		{name: "auto-allow off keeps asking", sandbox: Sandbox{On: true, AllowUnsandboxed: true}, command: "touch out.txt", want: Ask},
		{name: "sandbox off for the session", sandbox: Sandbox{AutoAllow: true, AllowUnsandboxed: true}, command: "touch out.txt", want: Ask},
		{name: "deny rule still denies", sandbox: on, deny: []string{"Bash(rm:*)"}, command: "rm -rf build", want: Deny},
		{name: "ask rule still asks", sandbox: on, ask: []string{"Bash(git push:*)"}, command: "git push origin", want: Ask},
		{name: "unsure about a deny rule asks", sandbox: on, deny: []string{"Bash(curl:*)"}, command: "$CMD x", want: Ask},
		{name: "path rule still asks", sandbox: on, deny: []string{"Read(./.env)"}, command: "python3 x.py $F", want: Ask},
		{name: "protected place still asks", sandbox: on, command: "echo x > .git/hooks/pre-commit", want: Ask},
		{name: "excluded command: the usual question", sandbox: on, command: "docker ps", want: Ask},
		{name: "excluded beside another command stays inside", sandbox: on, command: "touch ~/x; docker ps", want: Allow, source: SourceSandbox},
		{name: "unsandboxed asks", sandbox: on, command: "ls", disable: true, want: Ask},
		{name: "unsandboxed asks in bypass", mode: ModeBypass, sandbox: on, command: "ls", disable: true, want: Ask},
		{name: "unsandboxed headless is refused", headless: true, sandbox: on, command: "ls", disable: true, want: Deny},
		{name: "unsandboxed forbidden", sandbox: Sandbox{On: true, AutoAllow: true}, command: "ls", disable: true, want: Deny},
		{name: "unsandboxed without a sandbox: as usual", command: "echo hi", disable: true, want: Allow},
		{name: "sandbox required but missing", sandbox: Sandbox{On: true, Refusal: "the sandbox is required"}, command: "ls", want: Deny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := newTree(t)
			mode := tt.mode
			if mode == "" {
				mode = ModeDefault
			}
			c, err := New(Options{Mode: mode, ProjectRoot: tr.root, Home: tr.home, Headless: tt.headless,
				Deny: parseRules(t, tt.deny...), Ask: parseRules(t, tt.ask...)})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.SetSandbox(tt.sandbox); err != nil {
				t.Fatal(err)
			}
			d := c.Decide(Request{Tool: "Bash", Input: bashInput(t, tt.command, tt.disable)})
			if d.Behavior != tt.want || d.Source != tt.source {
				t.Errorf("%q: got %s (source %q): %s; want %s (source %q)", tt.command, d.Behavior, d.Source, d.Reason, tt.want, tt.source)
			}
		})
	}
}

func TestSandboxRoute(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c, err := New(Options{Mode: ModeDefault, ProjectRoot: tr.root, Home: tr.home})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SandboxRoute("ls", false, tr.root); got != RouteDirect {
		t.Errorf("no sandbox: route %v, want direct", got)
	}
	if err := c.SetSandbox(Sandbox{On: true, AllowUnsandboxed: true, Excluded: []string{"docker:*", "git push"}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		command string
		disable bool
		want    Route
	}{
		{"ls", false, RouteSandbox},
		{"ls", true, RouteDirect},
		{"docker ps", false, RouteDirect},
		{"docker ps && docker images", false, RouteDirect},
		{"git push", false, RouteDirect},
		{"git push --force", false, RouteSandbox},
		{"touch ~/x; docker ps", false, RouteSandbox},
		{"docker ps > ~/out", false, RouteSandbox},
		{"docker $(touch ~/x)", false, RouteSandbox},
		{"sudo docker ps", false, RouteSandbox},
	} {
		if got := c.SandboxRoute(tt.command, tt.disable, tr.root); got != tt.want {
			t.Errorf("SandboxRoute(%q, %v) = %v, want %v", tt.command, tt.disable, got, tt.want)
		}
	}
	if err := c.SetSandbox(Sandbox{On: true, Excluded: []string{"docker:*"}}); err != nil {
		t.Fatal(err)
	}
	if got := c.SandboxRoute("docker ps", false, tr.root); got != RouteSandbox {
		t.Errorf("excluded with allowUnsandboxedCommands false: %v, want sandbox", got)
	}
	if got := c.SandboxRoute("ls", true, tr.root); got != RouteRefused {
		t.Errorf("disable with allowUnsandboxedCommands false: %v, want refused", got)
	}
}

// A pattern that does not compile is left out and named; the rest apply.
func TestSandboxBadExcludedPattern(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c, err := New(Options{Mode: ModeDefault, ProjectRoot: tr.root, Home: tr.home})
	if err != nil {
		t.Fatal(err)
	}
	err = c.SetSandbox(Sandbox{On: true, AllowUnsandboxed: true, Excluded: []string{"docker:*", ""}})
	if err == nil {
		t.Error("no error for an empty pattern")
	}
	if got := c.SandboxRoute("docker ps", false, tr.root); got != RouteDirect {
		t.Errorf("the good pattern was lost: %v", got)
	}
	if !c.Sandboxing().On {
		t.Error("the sandbox was not set")
	}
}
