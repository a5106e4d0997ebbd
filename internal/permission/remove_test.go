package permission

import (
	"strings"
	"sync"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestRemoveRule: a removed rule stops deciding at once; a missing rule
// and a rule of the managed policy are refused, leaving the rules as they
// were.
func TestRemoveRule(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	local := config.Source{Kind: config.SourceLocal, Name: "/p/.basalt/settings.local.json"}
	project := config.Source{Kind: config.SourceProject, Name: "/p/.basalt/settings.json"}
	managed := config.Source{Kind: config.SourceManaged, Name: "/etc/basalt/managed-settings.json"}
	rule := func(s string, src config.Source) config.Rule {
		r := parseRules(t, s)[0]
		r.Source = src
		return r
	}
	goTest := bashReq("go test ./...")
	tests := []struct {
		name    string
		have    map[Behavior][]config.Rule
		kind    Behavior
		remove  config.Rule
		wantErr string // "" for success
		want    Behavior
	}{
		{
			name: "allow rule", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local)}},
			kind: Allow, remove: rule("Bash(go test:*)", config.Source{}), want: Ask,
		},
		{
			name: "deny rule", have: map[Behavior][]config.Rule{Deny: {rule("Bash(go test:*)", local)}},
			kind: Deny, remove: rule("Bash(go test:*)", config.Source{}), want: Ask,
		},
		{
			name: "ask rule under an allow", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local)}, Ask: {rule("Bash", local)}},
			kind: Ask, remove: rule("Bash", config.Source{}), want: Allow,
		},
		{
			name: "every copy", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local), rule("Bash(go test:*)", project)}},
			kind: Allow, remove: rule("Bash(go test:*)", config.Source{}), want: Ask,
		},
		{
			name: "only the named source", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local), rule("Bash(go test:*)", project)}},
			kind: Allow, remove: rule("Bash(go test:*)", local), want: Allow,
		},
		{
			name: "missing rule", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local)}},
			kind: Allow, remove: rule("Bash(go vet:*)", config.Source{}), wantErr: "Bash(go vet:*)", want: Allow,
		},
		{
			name: "other kind", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local)}},
			kind: Deny, remove: rule("Bash(go test:*)", config.Source{}), wantErr: "no such rule", want: Allow,
		},
		{
			name: "other source", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", project)}},
			kind: Allow, remove: rule("Bash(go test:*)", local), wantErr: "no such rule", want: Allow,
		},
		{
			name: "managed", have: map[Behavior][]config.Rule{Deny: {rule("Bash(go test:*)", managed)}},
			kind: Deny, remove: rule("Bash(go test:*)", config.Source{}), wantErr: "managed policy", want: Deny,
		},
		{
			name: "managed copy keeps the local one", have: map[Behavior][]config.Rule{Deny: {rule("Bash(go test:*)", local), rule("Bash(go test:*)", managed)}},
			kind: Deny, remove: rule("Bash(go test:*)", config.Source{}), wantErr: "managed policy", want: Deny,
		},
		{
			name: "unknown kind", have: map[Behavior][]config.Rule{Allow: {rule("Bash(go test:*)", local)}},
			kind: "maybe", remove: rule("Bash(go test:*)", config.Source{}), wantErr: "unknown kind", want: Allow,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Options{Mode: ModeDefault, Allow: tt.have[Allow], Ask: tt.have[Ask], Deny: tt.have[Deny], ProjectRoot: tr.root, Home: tr.home})
			if err != nil {
				t.Fatal(err)
			}
			err = c.RemoveRule(tt.kind, tt.remove)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("RemoveRule: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("RemoveRule succeeded, want an error mentioning %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("RemoveRule error %q does not mention %q", err, tt.wantErr)
			}
			if d := c.Decide(goTest); d.Behavior != tt.want {
				t.Errorf("go test after the removal: got %s (%s), want %s", d.Behavior, d.Reason, tt.want)
			}
		})
	}
}

// TestRemoveRuleConcurrent: the UI removes and adds rules while the agent
// decides (run with -race).
func TestRemoveRuleConcurrent(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{})
	r := parseRules(t, "Bash(git status)")[0]
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 50 {
				c.Decide(bashReq("git status && go test ./..."))
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				_ = c.AddRule(Allow, r)
				_ = c.RemoveRule(Allow, r)
			}
		}()
	}
	wg.Wait()
}
