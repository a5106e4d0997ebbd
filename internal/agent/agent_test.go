package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type rig struct {
	srv  *emulator.Server
	dir  string
	sess *agent.Session
}

// newRig is a session against an in-process emulator, in a scratch
// project, with every permission granted and a transcript store.
func newRig(t *testing.T, sc *emulator.Scenario, faults emulator.Faults, mutate func(*provider.Config, *agent.Options)) *rig {
	t.Helper()
	emu := emulatortest.New(t, emulator.Options{Scenario: sc, Faults: faults})
	dir := t.TempDir()
	env := emulatortest.Env(t)
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIATEST", "s"
	auth, err := awsauth.New(t.Context(), awsauth.Options{Env: env, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	pc := provider.Config{Provider: provider.Bedrock, Region: "us-east-1", BaseURL: emu.URL, Auth: auth,
		MaxRetries: 5, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond}
	ts, err := tool.NewSession(tool.SessionOptions{WorkDir: dir, Env: []string{"PATH=" + os.Getenv("PATH")}})
	if err != nil {
		t.Fatal(err)
	}
	checker, err := permission.New(permission.Options{Mode: permission.ModeBypass, ProjectRoot: dir, Home: dir})
	if err != nil {
		t.Fatal(err)
	}
	sonnet, _ := model.Lookup("global.anthropic.claude-sonnet-4-6")
	o := agent.Options{
		Models: provider.Models{Primary: model.Resolved{ID: "global.anthropic.claude-sonnet-4-6", Model: sonnet}},
		Tools:  tool.All(), ToolSession: ts, Permissions: checker,
		Store:   session.NewStore(filepath.Join(dir, "state"), dir),
		WorkDir: dir, ProjectRoot: dir,
	}
	if mutate != nil {
		mutate(&pc, &o)
	}
	client, err := provider.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	o.Client = client
	s, err := agent.New(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &rig{srv: emu.Server, dir: dir, sess: s}
}

func readTurns(dir string, n int) *emulator.Scenario {
	sc := &emulator.Scenario{}
	for i := range n {
		in, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, fmt.Sprintf("f%d.txt", i))})
		sc.Turns = append(sc.Turns, emulator.Turn{Text: fmt.Sprintf("step %d", i), ToolUse: []emulator.ToolUse{{Name: "Read", Input: in}}})
	}
	sc.Turns = append(sc.Turns, emulator.Turn{Text: "all read"})
	return sc
}

// TestCacheReadsWhatWasWritten measures the caching target of DESIGN.md
// §6 on the emulator's accounting: each request reads from the cache
// everything the previous request sent.
func TestCacheReadsWhatWasWritten(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), []byte(strings.Repeat(fmt.Sprintf("file %d line\n", i), 40)), 0o644)
	}
	r := newRig(t, readTurns(dir, 10), emulator.Faults{}, nil)
	res, err := r.sess.Run(t.Context(), "read the ten files", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "all read" || res.Requests != 11 {
		t.Fatalf("result %+v", res)
	}
	recs := r.srv.Records()
	var read, ideal int
	for i := 1; i < len(recs); i++ {
		prev := recs[i-1]
		read += recs[i].CacheReadInputTokens
		ideal += prev.InputTokens + prev.CacheCreationInputTokens + prev.CacheReadInputTokens
	}
	ratio := float64(read) / float64(ideal)
	t.Logf("cache reads %d of an ideal %d: %.4f", read, ideal, ratio)
	if ratio < 0.99 {
		t.Errorf("read %.2f%% of what earlier requests sent, want ≥ 99%%", 100*ratio)
	}
}

func TestTruncatedToolCallIsRetried(t *testing.T) {
	big := strings.Repeat("x", 3000)
	in, _ := json.Marshal(map[string]string{"file_path": "/tmp/nowhere", "content": big})
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "writing", ToolUse: []emulator.ToolUse{{Name: "Write", Input: in}}}, {Text: "written"}}}
	r := newRig(t, sc, emulator.Faults{}, func(pc *provider.Config, o *agent.Options) {
		pc.MaxOutputTokens = 100
		o.Permissions, _ = permission.New(permission.Options{Mode: permission.ModeBypass, ProjectRoot: "/", Home: "/"})
	})
	var notices []string
	res, err := r.sess.Run(t.Context(), "write it", func(ev agent.Event) {
		if ev.Kind == agent.EventNotice {
			notices = append(notices, ev.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "cut off inside a tool call") {
		t.Errorf("notices %q", notices)
	}
	recs := r.srv.Records()
	if recs[0].MaxTokens != 100 || recs[1].MaxTokens <= 100 {
		t.Errorf("max_tokens %d then %d", recs[0].MaxTokens, recs[1].MaxTokens)
	}
	if res.Text != "written" {
		t.Errorf("result %q", res.Text)
	}
}

func TestInterruptKeepsConversationValid(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "sleeping", ToolUse: []emulator.ToolUse{{Name: "Bash", Input: []byte(`{"command":"sleep 30"}`)}}},
		{Text: "after the interruption"},
	}}
	r := newRig(t, sc, emulator.Faults{}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	start := time.Now()
	_, err := r.sess.Run(ctx, "sleep", func(ev agent.Event) {
		if ev.Kind == agent.EventToolStart {
			go func() { time.Sleep(100 * time.Millisecond); cancel() }()
		}
	})
	if !errors.Is(err, agent.ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("interruption took %s", d)
	}
	// The next prompt works: the tool call got an "interrupted" result.
	res, err := r.sess.Run(t.Context(), "go on", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "after the interruption" {
		t.Errorf("result %q", res.Text)
	}
}

func TestReadOnlyCallsRunTogether(t *testing.T) {
	dir := t.TempDir()
	var calls []emulator.ToolUse
	for i := range 4 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.txt", i)), []byte("x"), 0o644)
		in, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, fmt.Sprintf("%d.txt", i))})
		calls = append(calls, emulator.ToolUse{Name: "Read", Input: in})
	}
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "reading", ToolUse: calls}, {Text: "done"}}}
	r := newRig(t, sc, emulator.Faults{}, nil)
	var order []string
	_, err := r.sess.Run(t.Context(), "read", func(ev agent.Event) {
		switch ev.Kind {
		case agent.EventToolStart:
			order = append(order, "start")
		case agent.EventToolEnd:
			order = append(order, "end")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "start start start start end end end end" {
		t.Errorf("events %s, want the four reads started together", got)
	}
}

// TestCutOffToolCallKeepsConversationValid: a call still cut off at the
// model's maximum output is not run; the model gets an error result that
// says how to split the work, and the loop goes on.
func TestCutOffToolCallKeepsConversationValid(t *testing.T) {
	big := strings.Repeat("y", 600000) // ~150K tokens: more than Sonnet 4.6's 128K
	in, _ := json.Marshal(map[string]string{"file_path": "/tmp/nowhere", "content": big})
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "writing", ToolUse: []emulator.ToolUse{{Name: "Write", Input: in}}}, {Text: "next"}}}
	r := newRig(t, sc, emulator.Faults{}, func(pc *provider.Config, o *agent.Options) { pc.MaxOutputTokens = 100 })
	var notices []string
	res, err := r.sess.Run(t.Context(), "write it", func(ev agent.Event) {
		if ev.Kind == agent.EventNotice {
			notices = append(notices, ev.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 || !strings.Contains(notices[1], "split the work") {
		t.Errorf("notices %q", notices)
	}
	if res.Text != "next" {
		t.Errorf("result %q, want the loop to go on to the next answer", res.Text)
	}
	recs := r.srv.Records()
	if len(recs) != 3 || recs[1].MaxTokens != 128000 {
		t.Errorf("%d requests, the retry's max_tokens %d; want 3 and 128000 (the catalog's maximum)", len(recs), recs[1].MaxTokens)
	}
	tr, err := session.NewStore(filepath.Join(r.dir, "state"), r.dir).Load(r.sess.ID())
	if err != nil {
		t.Fatal(err)
	}
	// Stored: the prompt, the cut-off answer, the results closing its
	// calls (why, and how to split a Write), the next answer.
	msgs := tr.Messages()
	if len(msgs) != 4 || !strings.Contains(string(msgs[2]), "then append each further part with Edit") {
		t.Errorf("stored conversation %d messages, third %.300s", len(msgs), msgs[min(2, len(msgs)-1)])
	}
	// Every request is paid for, the retried one too.
	var ledger int
	for _, rec := range recs {
		ledger += rec.OutputTokens
	}
	if u, _ := r.sess.Usage(); u.OutputTokens != ledger || tr.Usage().OutputTokens != ledger {
		t.Errorf("output tokens: session %d, transcript %d, ledger %d", u.OutputTokens, tr.Usage().OutputTokens, ledger)
	}
}

// TestLongContextBeta: a model resolved with [1m] sends the 1M-context beta
// in the body, where Bedrock reads it.
func TestLongContextBeta(t *testing.T) {
	res, err := model.Resolve(model.Request{Provider: model.ProviderBedrock, Region: "us-east-1", Value: "sonnet[1m]"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.LongContext || res.Model == nil || res.Model.LongContextBeta == "" {
		t.Fatalf("resolved %+v", res)
	}
	r := newRig(t, nil, emulator.Faults{}, func(_ *provider.Config, o *agent.Options) { o.Models.Primary = res })
	if _, err := r.sess.Run(t.Context(), "hi", nil); err != nil {
		t.Fatal(err)
	}
	recs := r.srv.Records()
	if len(recs) != 1 || !slices.Contains(recs[0].AnthropicBeta, res.Model.LongContextBeta) || recs[0].Model != res.ID {
		t.Errorf("sent %v to %s, want %s to %s", recs[0].AnthropicBeta, recs[0].Model, res.Model.LongContextBeta, res.ID)
	}
}
