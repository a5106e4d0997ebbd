package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// formDriver answers the wizard's forms without a terminal: it sends
// each form its script of messages through Update and runs the commands
// that come back, as a Bubble Tea program would.
type formDriver struct {
	t       *testing.T
	scripts [][]tea.Msg
	forms   int
	frames  []string // what snap captured, ANSI stripped
}

// snap in a script records the form's view.
type snap struct{}

func (d *formDriver) run(_ context.Context, f *huh.Form) error {
	d.t.Helper()
	if d.forms >= len(d.scripts) {
		d.t.Fatalf("form %d has no script; it shows:\n%s", d.forms+1, ansi.Strip(f.View()))
	}
	script := d.scripts[d.forms]
	d.forms++
	f.SubmitCmd, f.CancelCmd = tea.Quit, tea.Interrupt
	d.pump(f, f.Init())
	d.update(f, tea.WindowSizeMsg{Width: 100, Height: 40})
	for _, msg := range script {
		if f.State != huh.StateNormal {
			d.t.Fatalf("form %d ended before its script did", d.forms)
		}
		if _, ok := msg.(snap); ok {
			d.frames = append(d.frames, ansi.Strip(f.View()))
			continue
		}
		d.update(f, msg)
	}
	switch f.State {
	case huh.StateCompleted:
		return nil
	case huh.StateAborted:
		return huh.ErrUserAborted
	}
	d.t.Fatalf("form %d still open after its script:\n%s", d.forms, ansi.Strip(f.View()))
	return nil
}

func (d *formDriver) update(f *huh.Form, msg tea.Msg) {
	_, cmd := f.Update(msg)
	d.pump(f, cmd)
}

// pump runs cmd and every command that follows from it, one at a time,
// feeding their messages back to the form. Timers (the cursor's blink,
// the spinner's tick) are not run: they only animate, and each would
// cost its delay.
func (d *formDriver) pump(f *huh.Form, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil || isTimer(c) {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(10 * time.Second):
			d.t.Fatalf("a command of the form did not return: %s", funcName(c))
		}
		switch msg.(type) {
		case nil, tea.QuitMsg, tea.InterruptMsg:
			continue
		}
		// tea.Batch and tea.Sequence: a slice of commands.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			queue = append(queue, v.Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd)...)
			continue
		}
		_, next := f.Update(msg)
		queue = append(queue, next)
	}
}

func funcName(c tea.Cmd) string {
	return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
}

func isTimer(c tea.Cmd) bool {
	n := funcName(c)
	return strings.Contains(n, "bubbletea/v2.Tick.") || strings.Contains(n, "cursor.(*Model).Blink.")
}

// Keys of the scripts.
var (
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyDown  = tea.KeyPressMsg{Code: tea.KeyDown}
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyBack  = tea.KeyPressMsg{Code: tea.KeyBackspace}
	keyRight = tea.KeyPressMsg{Code: tea.KeyRight}
	keyCtrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyCtrlU = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
)

func typed(s string) []tea.Msg {
	var msgs []tea.Msg
	for _, r := range s {
		msgs = append(msgs, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return msgs
}

func script(parts ...any) []tea.Msg {
	var msgs []tea.Msg
	for _, p := range parts {
		if ms, ok := p.([]tea.Msg); ok {
			msgs = append(msgs, ms...)
		} else {
			msgs = append(msgs, p)
		}
	}
	return msgs
}

func settingsPath(app *App) string {
	return filepath.Join(app.Env["XDG_CONFIG_HOME"], "basalt", "settings.json")
}

// TestSetupForm answers every question of the wizard against the
// emulator, whose inference profiles are offered, and checks that the
// file written is byte for byte what the flags write for the same
// answers.
func TestSetupForm(t *testing.T) {
	t.Parallel()
	sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "Hello."}}}
	app, _, _ := interactiveEnv(t, sc, nil)
	app.IO.StdinIsTTY, app.IO.StdoutIsTTY = true, true
	out := &strings.Builder{}
	app.IO.Out = out
	d := &formDriver{t: t, scripts: [][]tea.Msg{
		script(
			snap{}, keyEnter, // the user file
			keyDown, keyEnter, // keys
			keyCtrlU, typed("eu-west"), keyEnter, snap{}, // not a region
			typed("-1"), keyEnter,
			snap{}, keyEnter, keyEnter, // the sonnet and haiku defaults
			keyDown, keyEnter, // 1h
			typed("abc-1"), keyEnter, snap{}, // not a guardrail ID
			keyBack, keyBack, typed("123"), keyEnter,
			typed("x"), keyEnter, snap{}, // not a version
			keyBack, typed("2"), keyEnter,
		),
		script(snap{}, keyEnter), // Write
	}}
	err := runSetupWith(t.Context(), app, &setupOptions{}, d.run, listSetupModels(app))
	if err != nil && !errors.Is(err, errReported) {
		t.Fatalf("runSetup: %v\n%s", err, out)
	}
	for i, want := range []string{
		"Which settings file?",
		"a region looks like us-east-1",
		"Anthropic inference profiles of eu-west-1",
		`"abc-1" is neither a guardrail ID (lowercase letters and digits) nor a guardrail ARN`,
		`"x" is not a guardrail version: want a published version number (1, 2, …) or DRAFT`,
		`"AWS_SECRET_ACCESS_KEY": "****`,
	} {
		if i >= len(d.frames) || !strings.Contains(d.frames[i], want) {
			t.Errorf("frame %d does not show %q:\n%s", i, want, strings.Join(d.frames, "\n----\n"))
		}
	}
	if os.Getenv("SHOW_FRAMES") != "" {
		t.Log(strings.Join(d.frames, "\n----\n"))
	}
	if strings.Contains(d.frames[5], "secret\"") {
		t.Errorf("the confirmation shows the secret:\n%s", d.frames[5])
	}
	got, err := os.ReadFile(settingsPath(app))
	if err != nil {
		t.Fatalf("nothing written: %v\n%s", err, out)
	}

	// The same answers as flags, without a terminal.
	flags, _, _ := interactiveEnv(t, sc, nil)
	var settings map[string]any
	if err := json.Unmarshal(got, &settings); err != nil {
		t.Fatal(err)
	}
	env := settings["env"].(map[string]any)
	opts := &setupOptions{Credentials: "keys", Region: "eu-west-1", Model: env["ANTHROPIC_MODEL"].(string),
		SmallFastModel: env["ANTHROPIC_SMALL_FAST_MODEL"].(string), CacheTTL: "1h", Guardrail: "abc123:2", Yes: true}
	if !strings.Contains(opts.Model, "claude-sonnet") || !strings.Contains(opts.SmallFastModel, "claude-haiku") {
		t.Errorf("models = %s, %s; want the sonnet and haiku defaults", opts.Model, opts.SmallFastModel)
	}
	if err := runSetup(t.Context(), flags, opts); err != nil && !errors.Is(err, errReported) {
		t.Fatalf("runSetup with flags: %v", err)
	}
	want, err := os.ReadFile(settingsPath(flags))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("file mismatch (-flags +wizard):\n%s", diff)
	}
}

// TestSetupFormEnds covers the ways out of the wizard that write
// nothing, and that flags skip their questions.
func TestSetupFormEnds(t *testing.T) {
	t.Parallel()
	catalog := func(_ context.Context, region, _ string) ([]string, string) {
		return catalogModels(region), "basalt's catalog"
	}
	tests := []struct {
		name     string
		opts     setupOptions
		scripts  [][]tea.Msg
		wantErr  error
		wantOut  string
		wantShow string // in the first frame
	}{
		{"esc at the first question", setupOptions{}, [][]tea.Msg{{snap{}, keyEsc}}, context.Canceled, "Setup cancelled; nothing written.", "Which settings file?"},
		{"ctrl+c at the confirmation",
			setupOptions{Scope: "user", Credentials: "sso", Profile: "team", Region: "us-west-2", CacheTTL: "5m", Guardrail: "abc:1"},
			[][]tea.Msg{{snap{}, keyEnter, keyEnter}, {keyCtrlC}}, context.Canceled, "Setup cancelled; nothing written.", "Primary model"},
		{"don't write", setupOptions{Scope: "user", Credentials: "export", ExportCommand: "creds", Region: "eu-west-1",
			Model: "m", SmallFastModel: "s", CacheTTL: "1h", Guardrail: "abc:1"},
			[][]tea.Msg{{snap{}, keyEnter}, {keyRight, keyEnter}}, nil, "Nothing written.", "refreshes them"},
		{"a secret refused at project scope", setupOptions{Scope: "project"},
			[][]tea.Msg{{keyDown, keyEnter, snap{}, keyEsc}}, context.Canceled, "", "no secrets in it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			app, _, _ := testApp()
			out := &strings.Builder{}
			app.IO.Out = out
			app.IO.StdinIsTTY, app.IO.StdoutIsTTY = true, true
			app.WorkDir = dir
			app.Env = map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"),
				"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
			d := &formDriver{t: t, scripts: tt.scripts}
			err := runSetupWith(t.Context(), app, &tt.opts, d.run, catalog)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && exitCode(err) != ExitInterrupted {
				t.Errorf("exit code = %d, want %d", exitCode(err), ExitInterrupted)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("output does not say %q:\n%s", tt.wantOut, out)
			}
			if d.forms != len(tt.scripts) {
				t.Errorf("%d forms shown, want %d", d.forms, len(tt.scripts))
			}
			if len(d.frames) == 0 || !strings.Contains(d.frames[0], tt.wantShow) {
				t.Errorf("first frame does not show %q:\n%s", tt.wantShow, strings.Join(d.frames, "\n----\n"))
			}
			for _, p := range []string{settingsPath(app), filepath.Join(dir, ".basalt", "settings.json")} {
				if _, err := os.Stat(p); !os.IsNotExist(err) {
					t.Errorf("%s written: %v", p, err)
				}
			}
		})
	}
}
