package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/config/secrettest"
	"github.com/basalt-dev/basalt/internal/emulator"
)

// TestStatusRedacted: /status of a session configured with the shared
// fixture of secrets (custom headers with a Cookie and a gateway secret,
// an endpoint with a password) shows none of them, and hides a
// secret-shaped header value exactly as config.Redact does.
func TestStatusRedacted(t *testing.T) {
	const gatewayKey = "gw-live-8f3kQ9zT2mX7pL4v"
	extra := secrettest.ProcessEnv()
	r := newRig(t, countingScenario, extra)
	u, err := url.Parse(r.env["ANTHROPIC_BEDROCK_BASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("gw", "Pg-Pa55w0rd-Zq81") // the fixture's DATABASE_URL password
	r.env["ANTHROPIC_BEDROCK_BASE_URL"] = u.String()
	settings := filepath.Join(r.env["XDG_CONFIG_HOME"], "basalt", "settings.json")
	if err := os.MkdirAll(filepath.Dir(settings), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, []byte(secrettest.SettingsJSON()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := r.config(t)
	// The fixture's headers, and one whose value only its name marks as
	// a secret.
	cfg.CustomHeaders.Value = append(cfg.CustomHeaders.Value, config.Header{Name: "X-Gateway-Key", Value: gatewayKey})
	s, _, err := Open(t.Context(), Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var report strings.Builder
	fields := map[string]string{}
	for _, f := range s.Status(t.Context()) {
		fmt.Fprintf(&report, "%s: %s\n", f.Label, f.Value)
		fields[f.Label] = f.Value
	}
	if !strings.Contains(report.String(), "Cookie: ****") || !strings.Contains(fields["endpoint"], "gw:****@127.0.0.1") {
		t.Fatalf("the report does not show the custom headers and the endpoint:\n%s", report.String())
	}
	if want := "X-Gateway-Key: " + config.Redact(gatewayKey); !strings.Contains(fields["custom headers"], want) {
		t.Errorf("custom headers = %q, want %q as config.Redact hides it", fields["custom headers"], want)
	}
	if got := secrettest.Find(report.String()); len(got) > 0 || strings.Contains(report.String(), gatewayKey) {
		t.Errorf("/status shows %v:\n%s", got, report.String())
	}
}

// TestSummary: the result summary names the run's outcome and carries
// its error through config's redaction rule (the result object is pasted
// into CI logs).
func TestSummary(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	s, _ := r.open(t, Options{})
	start := time.Now()
	res, err := s.Run(t.Context(), "hello", func(agent.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	sum := s.Summary(start, res, nil)
	if sum.Subtype != Success || sum.Result != "First answer." || sum.SessionID != s.ID() || sum.Turns != 1 || sum.Error != "" || !sum.Cost.Known {
		t.Errorf("summary of a good run: %+v", sum)
	}
	secret := "https://gw:Pg-Pa55w0rd-Zq81@gateway.example/model"
	sum = s.Summary(start, nil, errors.New("post "+secret+": connection refused"))
	if sum.Subtype != ErrorDuringExecution || strings.Contains(sum.Error, "Pg-Pa55w0rd-Zq81") || sum.Error != config.RedactText("post "+secret+": connection refused") {
		t.Errorf("summary of a failed run: %q %q", sum.Subtype, sum.Error)
	}
}

// TestLimits: the turn and budget limits of Options stop a run with the
// result subtypes of DESIGN.md §3.
func TestLimits(t *testing.T) {
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "Reading.", ToolUse: []emulator.ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}}},
		{Text: "Reading again.", ToolUse: []emulator.ToolUse{{Name: "Read", Input: json.RawMessage(`{"file_path":"notes.txt"}`)}}},
		{Text: "Done."},
	}}
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"turns", Options{MaxTurns: 1}, ErrorMaxTurns},
		{"budget", Options{MaxBudgetUSD: 1e-9}, ErrorMaxBudget},
		{"none", Options{}, Success},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, sc, nil)
			s, _ := r.open(t, tt.o)
			start := time.Now()
			res, err := s.Run(t.Context(), "read the notes", func(agent.Event) {})
			if sum := s.Summary(start, res, err); sum.Subtype != tt.want {
				t.Errorf("subtype %s (err %v), want %s", sum.Subtype, err, tt.want)
			}
		})
	}
}
