package permission

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config"
)

func TestParseMode(t *testing.T) {
	t.Parallel()
	// Claude Code's manual and auto run as default (basalt has no
	// classifier to approve calls on its own).
	mapped := map[string]Mode{"manual": ModeDefault, "auto": ModeDefault}
	for _, name := range config.PermissionModes {
		want, ok := mapped[name]
		if !ok {
			want = Mode(name)
		}
		if m, err := ParseMode(name); err != nil || m != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", name, m, err, want)
		}
	}
	if m, err := ParseMode(""); err != nil || m != ModeDefault {
		t.Errorf("ParseMode(\"\") = %q, %v; want default", m, err)
	}
	if _, err := ParseMode("yolo"); err == nil {
		t.Error("ParseMode(\"yolo\") succeeded")
	}
}

// TestModes covers every mode against every tool class with no rules.
func TestModes(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	inside := filepath.Join(tr.root, "src/main.go")
	outside := filepath.Join(tr.outside, "secret.txt")
	calls := []struct {
		name string
		req  Request
		want map[Mode]Behavior
	}{
		{"read inside", toolReq("Read", "file_path", inside), all(Allow)},
		{"read in additional dir", toolReq("Read", "file_path", filepath.Join(tr.extra, "notes.txt")), all(Allow)},
		{"read outside", toolReq("Read", "file_path", outside), modes(Ask, Ask, Ask, Allow)},
		{"grep inside", toolReq("Grep", "pattern", "x"), all(Allow)},
		{"grep outside", toolReq("Grep", "pattern", "x", "path", tr.outside), modes(Ask, Ask, Ask, Allow)},
		{"glob escaping by pattern", toolReq("Glob", "pattern", "../outside/*"), modes(Ask, Ask, Ask, Allow)},
		{"glob inside", toolReq("Glob", "pattern", "src/**/*.go"), all(Allow)},
		{"ls inside", toolReq("LS", "path", tr.root), all(Allow)},
		{"edit inside", toolReq("Edit", "file_path", inside), modes(Ask, Allow, Deny, Allow)},
		{"write new file inside", toolReq("Write", "file_path", "src/new.go"), modes(Ask, Allow, Deny, Allow)},
		{"multiedit in additional dir", toolReq("MultiEdit", "file_path", filepath.Join(tr.extra, "notes.txt")), modes(Ask, Allow, Deny, Allow)},
		{"edit outside", toolReq("Edit", "file_path", outside), modes(Ask, Ask, Deny, Allow)},
		{"bash", bashReq("go build ./..."), modes(Ask, Ask, Deny, Allow)},
		{"bash harmless", bashReq("echo hello"), modes(Allow, Allow, Deny, Allow)},
		{"todo", toolReq("TodoWrite"), all(Allow)},
		{"tool search", toolReq("ToolSearch"), all(Allow)},
		{"bash output", toolReq("BashOutput", "bash_id", "1"), all(Allow)},
		{"kill bash", toolReq("KillBash", "shell_id", "1"), all(Allow)},
		{"unknown tool", toolReq("SomeFutureTool", "url", "https://example.com"), modes(Ask, Ask, Deny, Allow)},
		// Fetching only reads: plan mode asks as default does.
		{"web fetch", toolReq("WebFetch", "url", "https://example.com"), modes(Ask, Ask, Ask, Allow)},
	}
	for _, call := range calls {
		for _, mode := range []Mode{ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass} {
			t.Run(call.name+"/"+string(mode), func(t *testing.T) {
				t.Parallel()
				d := tr.checker(t, mode, ruleLists{}).Decide(call.req)
				if d.Behavior != call.want[mode] {
					t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, call.want[mode])
				}
				if d.Behavior != Allow && d.Reason == "" {
					t.Error("no reason")
				}
			})
		}
	}
}

func all(b Behavior) map[Mode]Behavior { return modes(b, b, b, b) }

func modes(def, accept, plan, bypass Behavior) map[Mode]Behavior {
	return map[Mode]Behavior{ModeDefault: def, ModeAcceptEdits: accept, ModePlan: plan, ModeBypass: bypass}
}

func TestPlanModeReason(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModePlan, ruleLists{allow: []string{"Bash(go test:*)", "Edit"}})
	for _, req := range []Request{bashReq("go test ./..."), toolReq("Edit", "file_path", "src/main.go")} {
		d := c.Decide(req)
		if d.Behavior != Deny || !strings.Contains(d.Reason, "plan mode") {
			t.Errorf("%s: got %s %q, want a plan-mode deny", req.Tool, d.Behavior, d.Reason)
		}
	}
}

// TestPrecedence checks every pair of rule kinds on every kind of tool:
// deny beats ask beats allow, whatever the order and the mode.
func TestPrecedence(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		tool string
		req  Request
		rule string
	}{
		{"Bash", bashReq("go test ./..."), "Bash(go test:*)"},
		{"Edit", toolReq("Edit", "file_path", "src/main.go"), "Edit(src/**)"},
		{"Read", toolReq("Read", "file_path", "src/main.go"), "Read(src/**)"},
		{"bare", toolReq("Write", "file_path", "src/x.go"), "Write"},
	}
	pairs := []struct {
		name string
		rl   func(string) ruleLists
		want map[Mode]Behavior
	}{
		{"deny+allow", func(r string) ruleLists { return ruleLists{allow: []string{r}, deny: []string{r}} }, all(Deny)},
		{"ask+allow", func(r string) ruleLists { return ruleLists{allow: []string{r}, ask: []string{r}} }, modes(Ask, Ask, Ask, Allow)},
		{"deny+ask", func(r string) ruleLists { return ruleLists{ask: []string{r}, deny: []string{r}} }, all(Deny)},
		{"allow", func(r string) ruleLists { return ruleLists{allow: []string{r}} }, modes(Allow, Allow, Allow, Allow)},
	}
	for _, c := range cases {
		for _, p := range pairs {
			for _, mode := range []Mode{ModeDefault, ModeAcceptEdits, ModePlan, ModeBypass} {
				t.Run(c.tool+"/"+p.name+"/"+string(mode), func(t *testing.T) {
					t.Parallel()
					want := p.want[mode]
					if mode == ModePlan && c.tool != "Read" && want != Deny {
						want = Deny // plan mode runs read-only tools only
					}
					d := tr.checker(t, mode, p.rl(c.rule)).Decide(c.req)
					if d.Behavior != want {
						t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, want)
					}
					if want == Deny && mode != ModePlan && d.Rule.String() != c.rule {
						t.Errorf("deciding rule %s, want %s", d.Rule, c.rule)
					}
				})
			}
		}
	}
}

// TestRuleScope checks which tools a rule covers.
func TestRuleScope(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		name string
		deny string
		req  Request
		want Behavior
	}{
		{"bare Read covers Grep", "Read", toolReq("Grep", "pattern", "x"), Deny},
		{"bare Read covers LS", "Read", toolReq("LS", "path", "."), Deny},
		{"bare Grep covers only Grep", "Grep", toolReq("Read", "file_path", "README.md"), Allow},
		{"bare Edit covers Write", "Edit", toolReq("Write", "file_path", "x"), Deny},
		{"bare Write covers only Write", "Write", toolReq("Edit", "file_path", "x"), Ask},
		{"Edit path covers MultiEdit", "Edit(src/**)", toolReq("MultiEdit", "file_path", "src/main.go"), Deny},
		{"Write path covers Edit", "Write(.env)", toolReq("Edit", "file_path", ".env"), Deny},
		{"Read path covers Glob", "Read(//" + strings.TrimPrefix(tr.root, "/") + "/src)", toolReq("Glob", "pattern", "*.go", "path", "src"), Deny},
		{"Read path does not cover Edit", "Read(.env)", toolReq("Edit", "file_path", ".env"), Ask},
		{"Bash rule does not cover Read", "Bash(cat:*)", toolReq("Read", "file_path", "README.md"), Allow},
		{"bare TodoWrite", "TodoWrite", toolReq("TodoWrite"), Deny},
		{"unknown tool with specifier denies every call", "SomeFutureTool(domain:example.com)", toolReq("SomeFutureTool", "url", "https://other.org"), Deny},
		{"WebFetch domain rule denies its host", "WebFetch(domain:example.com)", toolReq("WebFetch", "url", "https://EXAMPLE.com./x"), Deny},
		{"WebFetch domain rule leaves other hosts", "WebFetch(domain:example.com)", toolReq("WebFetch", "url", "https://other.org"), Ask},
		{"WebFetch domain rule leaves subdomains", "WebFetch(domain:example.com)", toolReq("WebFetch", "url", "https://www.example.com"), Ask},
		{"WebFetch subdomain rule", "WebFetch(domain:*.example.com)", toolReq("WebFetch", "url", "https://docs.example.com"), Deny},
		{"bare WebFetch denies every fetch", "WebFetch", toolReq("WebFetch", "url", "https://other.org"), Deny},
		{"unreadable WebFetch rule denies every fetch", "WebFetch(example.com)", toolReq("WebFetch", "url", "https://other.org"), Deny},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := tr.checker(t, ModeDefault, ruleLists{deny: []string{c.deny}}).Decide(c.req)
			if d.Behavior != c.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, c.want)
			}
		})
	}
}

// TestNewKeepsUncompilableRules: a rule basalt cannot compile does not stop
// the session (config show has already warned about it); New lists it in
// Problems, naming the rule. A bad mode or no project root still fails.
func TestNewKeepsUncompilableRules(t *testing.T) {
	t.Parallel()
	c, err := New(Options{
		ProjectRoot: t.TempDir(),
		Allow:       parseRules(t, "Bash(git status && rm x)", "Edit(!src/**)", "Bash(npm:*:x)"),
		Deny:        parseRules(t, "Read(~bob/x)", "TodoWrite(x)", "Edit(a/../b)", "Bash(echo $(id))"),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var all []string
	for _, p := range c.Problems() {
		all = append(all, p.Error())
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"git status && rm x", "!src/**", "npm:*:x", "~bob/x", "TodoWrite(x)", "a/../b", "echo $(id)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems do not mention %q:\n%v", want, joined)
		}
	}
	if _, err := New(Options{Mode: "sometimes", ProjectRoot: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("New with mode sometimes: %v", err)
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without a project root succeeded")
	}
}

func TestMalformedInput(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeBypass, ruleLists{})
	for _, req := range []Request{
		{Tool: "Read", Input: []byte(`{"file_path": 3}`)},
		{Tool: "Edit", Input: []byte(`{}`)},
		{Tool: "Bash", Input: []byte(`{"command": "  "}`)},
		{Tool: "Bash", Input: []byte(`not json`)},
	} {
		if d := c.Decide(req); d.Behavior != Deny {
			t.Errorf("%s %s: got %s, want deny", req.Tool, req.Input, d.Behavior)
		}
	}
}

// TestSuggestions checks the rule an ask offers and that adding it turns
// the same call into an allow.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	cases := []struct {
		name string
		req  Request
		want []string
	}{
		{"prefix of command and subcommand", bashReq("go test ./internal/..."), []string{"Bash(go test:*)"}},
		{"exact for two words", bashReq("git status"), []string{"Bash(git status)"}},
		{"exact when the second word is an option", bashReq("rm -rf build"), []string{"Bash(rm -rf build)"}},
		{"quoted words", bashReq(`git commit -m "fix: x"`), []string{"Bash(git commit:*)"}},
		{"inside timeout", bashReq("timeout 30 npm run test"), []string{"Bash(npm run:*)"}},
		{"only the command name is static", bashReq("cat $F"), []string{"Bash(cat:*)"}},
		{"sudo is exact only", bashReq("sudo apt-get update"), []string{"Bash(sudo apt-get update)"}},
		{"every part", bashReq("go vet ./... && golangci-lint run"), []string{"Bash(go vet:*)", "Bash(golangci-lint run)"}},
		{"command and redirection", bashReq("go test ./... > test.log"), []string{"Bash(go test:*)", "Edit(./test.log)"}},
		{"edit in the project", toolReq("Edit", "file_path", "src/main.go"), []string{"Edit(src/main.go)"}},
		{"edit at the root", toolReq("Write", "file_path", "README.md"), []string{"Edit(./README.md)"}},
		{"edit with glob characters", toolReq("Write", "file_path", "src/[id].go"), []string{`Edit(src/\[id\].go)`}},
		{"edit outside", toolReq("Edit", "file_path", filepath.Join(tr.outside, "secret.txt")), []string{"Edit(/" + tr.outside + "/secret.txt)"}},
		{"read outside", toolReq("Read", "file_path", filepath.Join(tr.home, ".ssh/id_rsa")), []string{"Read(/" + tr.home + "/.ssh/id_rsa)"}},
		{"edit through a link out", toolReq("Edit", "file_path", "linkout/secret.txt"), []string{"Edit(linkout/secret.txt)", "Edit(/" + tr.outside + "/secret.txt)"}},
		{"unknown tool", toolReq("SomeFutureTool"), []string{"SomeFutureTool"}},
		{"web fetch names the host", toolReq("WebFetch", "url", "https://Docs.Example.com/x?y"), []string{"WebFetch(domain:docs.example.com)"}},
		{"web fetch of an IPv6 host", toolReq("WebFetch", "url", "http://[::1]:8080/"), []string{"WebFetch(domain:[::1])"}},
		{"eval has none", bashReq("eval ls"), nil},
		{"computed name has none", bashReq("$CMD x"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ch := tr.checker(t, ModeDefault, ruleLists{})
			d := ch.Decide(c.req)
			if d.Behavior != Ask {
				t.Fatalf("got %s (%s), want ask", d.Behavior, d.Reason)
			}
			var got []string
			for _, r := range d.Suggestions {
				got = append(got, r.String())
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("suggestions mismatch (-want +got):\n%s", diff)
			}
			if len(c.want) == 0 {
				return
			}
			if d.Rule.String() != c.want[0] {
				t.Errorf("Rule = %s, want %s", d.Rule, c.want[0])
			}
			for _, r := range d.Suggestions {
				if err := ch.AddRule(Allow, r); err != nil {
					t.Fatalf("add %s: %v", r, err)
				}
			}
			if d := ch.Decide(c.req); d.Behavior != Allow {
				t.Errorf("after adding the suggestions: got %s (%s), want allow", d.Behavior, d.Reason)
			}
		})
	}
}

func TestAskRuleOffersNoSuggestion(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{ask: []string{"Bash(git push:*)"}, allow: []string{"Bash(git:*)"}})
	d := c.Decide(bashReq("git push origin main"))
	if d.Behavior != Ask || len(d.Suggestions) != 0 || d.Rule.String() != "Bash(git push:*)" {
		t.Errorf("got %s rule %s suggestions %v; want ask by Bash(git push:*) with no suggestion", d.Behavior, d.Rule, d.Suggestions)
	}
}

func TestHeadless(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c, err := New(Options{
		ProjectRoot: tr.root,
		Headless:    true,
		Ask:         parseRules(t, "Bash(git push:*)"),
		Allow:       parseRules(t, "Bash(git:*)"),
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		req  Request
		want []string
	}{
		{"suggestable", bashReq("go test ./..."), []string{"not granted in this non-interactive run", "--allowed-tools 'Bash(go test:*)'", "another approach"}},
		{"edit", toolReq("Edit", "file_path", "src/main.go"), []string{"edit " + filepath.Join(tr.root, "src/main.go"), "Edit(src/main.go)", "acceptEdits"}},
		{"ask rule", bashReq("git push"), []string{"Bash(git push:*) asks for approval every time", "another approach"}},
		{"uncheckable", bashReq("eval ls"), []string{"no rule can allow it as written", "another approach"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := c.Decide(tc.req)
			if d.Behavior != Deny {
				t.Fatalf("got %s, want deny", d.Behavior)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Reason, w) {
					t.Errorf("reason lacks %q:\n%s", w, d.Reason)
				}
			}
		})
	}
	if d := c.Decide(bashReq("git status")); d.Behavior != Allow {
		t.Errorf("allowed command: got %s (%s)", d.Behavior, d.Reason)
	}
}

func TestSetModeAndAddRule(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{})
	edit := toolReq("Edit", "file_path", "src/main.go")
	if d := c.Decide(edit); d.Behavior != Ask {
		t.Fatalf("default: got %s", d.Behavior)
	}
	if err := c.SetMode(ModeAcceptEdits); err != nil {
		t.Fatal(err)
	}
	if d := c.Decide(edit); d.Behavior != Allow || c.Mode() != ModeAcceptEdits {
		t.Fatalf("acceptEdits: got %s", d.Behavior)
	}
	if err := c.SetMode("nope"); err == nil {
		t.Error("SetMode(nope) succeeded")
	}
	if err := c.AddRule(Deny, parseRules(t, "Edit(src/**)")[0]); err != nil {
		t.Fatal(err)
	}
	if d := c.Decide(edit); d.Behavior != Deny {
		t.Fatalf("after deny rule: got %s", d.Behavior)
	}
	if err := c.AddRule(Allow, parseRules(t, "Bash(x && y)")[0]); err == nil {
		t.Error("AddRule accepted an invalid rule")
	}
	if err := c.AddRule("maybe", parseRules(t, "Bash")[0]); err == nil {
		t.Error("AddRule accepted an unknown kind")
	}

	// The UI switches modes and adds rules while the agent decides.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 50 {
				c.Decide(bashReq("go test ./... && git status"))
			}
		}()
		go func() {
			defer wg.Done()
			for j := range 50 {
				_ = c.SetMode([]Mode{ModeDefault, ModePlan}[(i+j)%2])
				_ = c.AddRule(Allow, parseRules(t, "Bash(git status)")[0])
			}
		}()
	}
	wg.Wait()
}

func TestReadDenied(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{deny: []string{"Read(./.env)", "Read(**/*.pem)"}})
	cases := map[string]bool{
		".env":                              true,
		"envlink":                           true,
		"src/../.env":                       true,
		"src/main.go":                       false,
		"src/certs/k.pem":                   true,
		filepath.Join(tr.root, "README.md"): false,
	}
	for p, want := range cases {
		if got := c.ReadDenied(p, ""); got != want {
			t.Errorf("ReadDenied(%q) = %v, want %v", p, got, want)
		}
	}
}
