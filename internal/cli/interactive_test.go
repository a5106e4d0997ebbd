package cli

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/telemetry"
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

// interactiveEnv starts an emulator playing sc and returns an app whose
// environment points at it, in a fresh project with a notes.txt, plus
// extra variables.
func interactiveEnv(t *testing.T, sc *emulator.Scenario, extra map[string]string) (*App, *emulator.Server, *bytes.Buffer) {
	t.Helper()
	emu := emulatortest.New(t, emulator.Options{Region: "us-east-1", Scenario: sc})

	dir := t.TempDir()
	work := filepath.Join(dir, "project")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "notes.txt"), []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	app, _, errOut := testApp()
	app.WorkDir = work
	app.Env = emulatortest.ClientEnv(t, emu.URL)
	for k, v := range extra {
		app.Env[k] = v
	}
	return app, emu.Server, errOut
}

// TestInteractiveTelemetry drives the interactive session against the
// emulator with telemetry on, as runInteractive wires it: the
// observer sees each turn's events (tokens, tool decisions), the session
// is counted, and /clear and /resume count the session they open, whose
// requests carry its ID. The metrics are flushed when the session ends.
func TestInteractiveTelemetry(t *testing.T) {
	const model = "global.anthropic.claude-sonnet-4-6"
	sc := &emulator.Scenario{Turns: []emulator.Turn{
		{Text: "Reading.", ToolUse: []emulator.ToolUse{{Name: "Read", Input: []byte(`{"file_path":"notes.txt"}`)}}},
		{Text: "Done."},
	}}
	col := &otlpCollector{}
	srv := httptest.NewServer(col)
	t.Cleanup(srv.Close)
	app, _, errOut := interactiveEnv(t, sc, map[string]string{
		"CLAUDE_CODE_ENABLE_TELEMETRY": "1",
		"OTEL_METRICS_EXPORTER":        "otlp",
		"OTEL_EXPORTER_OTLP_PROTOCOL":  "http/protobuf",
		"OTEL_EXPORTER_OTLP_ENDPOINT":  srv.URL,
		"OTEL_METRIC_EXPORT_INTERVAL":  "60000",
	})

	tel := app.startTelemetry(t.Context(), logLines{app.Log})
	if tel == nil {
		t.Fatalf("telemetry is off; stderr:\n%s", errOut)
	}
	b, _, err := app.openSession(t.Context(), &rootOptions{}, harness.Options{Telemetry: tel})
	if err != nil {
		t.Fatal(err)
	}
	first := b.Info().SessionID
	var kinds []agent.EventKind
	on := func(ev agent.Event) { kinds = append(kinds, ev.Kind) }
	if _, err := b.Run(t.Context(), "look at notes.txt", on); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(kinds, agent.EventToolEnd) || !slices.Contains(kinds, agent.EventUsage) {
		t.Errorf("the program did not get the turn's events through the observer: %v", kinds)
	}
	info, err := b.Reset(t.Context(), "") // /clear
	if err != nil {
		t.Fatal(err)
	}
	second := info.SessionID
	if second == first {
		t.Fatalf("/clear kept session %s", first)
	}
	// The emulator plays the scenario from its start for each
	// conversation.
	if _, err := b.Run(t.Context(), "look again", func(agent.Event) {}); err != nil {
		t.Fatal(err)
	}
	if info, err := b.Reset(t.Context(), first); err != nil || info.SessionID != first { // /resume
		t.Fatalf("/resume %s: %s, %v", first, info.SessionID, err)
	}
	b.Close()
	app.stopTelemetry(t.Context(), tel)

	points, _, _ := col.points()
	type key struct{ Metric, Session, Tool string }
	got := map[key]float64{}
	for _, p := range points {
		switch p.Metric {
		case telemetry.MetricSessions, telemetry.MetricRequests, telemetry.MetricToolDecision:
			got[key{p.Metric, p.Attrs["session.id"], p.Attrs["tool_name"]}] += p.Value
		case telemetry.MetricTokens:
			if p.Attrs["model"] != model {
				t.Errorf("tokens of model %q, want %s", p.Attrs["model"], model)
			}
		}
	}
	want := map[key]float64{
		{Metric: telemetry.MetricSessions, Session: first}:                    2, // started, then resumed
		{Metric: telemetry.MetricSessions, Session: second}:                   1,
		{Metric: telemetry.MetricRequests, Session: first}:                    2,
		{Metric: telemetry.MetricRequests, Session: second}:                   2,
		{Metric: telemetry.MetricToolDecision, Session: first, Tool: "Read"}:  1,
		{Metric: telemetry.MetricToolDecision, Session: second, Tool: "Read"}: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics mismatch (-want +got):\n%s", diff)
	}
}

// TestInSessionReportsReadSettingsNow: /doctor and /status inside a
// session read the settings files as they are now, not as they were when
// the session started: a local file written since is seen.
func TestInSessionReportsReadSettingsNow(t *testing.T) {
	app, _, _ := interactiveEnv(t, &emulator.Scenario{Turns: []emulator.Turn{{Text: "hi"}}}, nil)
	if _, err := app.loadConfig(t.Context()); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(app.WorkDir, ".basalt", "settings.local.json")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte("{\"awsAuthRefesh\": \"x\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if report := app.doctorReport(t.Context()); !strings.Contains(report, "awsAuthRefesh") {
		t.Errorf("/doctor does not see the local file written during the session:\n%s", report)
	}
	cfg, err := app.freshConfig(t.Context())
	if err != nil && cfg == nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range cfg.Files {
		found = found || f.Path == local && f.Status == config.StatusLoaded
	}
	if !found {
		t.Errorf("the fresh configuration (/status) lacks %s", local)
	}
}
