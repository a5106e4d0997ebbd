package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/tui"
)

// runInteractive is basalt with no prompt: the terminal UI, driving the
// harness's session.
func runInteractive(ctx context.Context, app *App, opts *rootOptions) error {
	if !app.IO.StdinIsTTY || !app.IO.StdoutIsTTY {
		return usageErrorf("for a run without a terminal use `basalt -p PROMPT` (the prompt may come on stdin)",
			"the interactive session needs a terminal, and stdin or stdout is not one")
	}
	sender := &tui.Sender{}
	// Metrics (off unless configured) see every turn's events; the last
	// ones are sent after the session closes, once the terminal is back.
	tel := app.startTelemetry(ctx, logLines{app.Log})
	defer app.stopTelemetry(ctx, tel)
	s, notices, err := app.openSession(ctx, opts, harness.Options{
		Ask: tui.NewAsker(sender.Send), RefreshOutput: tui.RefreshOutput(sender.Send), Telemetry: tel,
		Reload: app.freshConfig, AgentProgress: tui.AgentProgress(sender.Send),
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if t := app.Config.Trust; t.Ignored() {
		notices = append([]string{trustNotice(t)}, notices...)
	}
	info := s.Info()
	hist, _ := tui.LoadHistory(info.HistoryFile) // an unreadable history is an empty one
	return tui.Run(ctx, tui.Options{
		Backend: s, Info: info, History: hist, Notices: notices, Prompt: opts.Prompt,
		NoColor: app.Env["NO_COLOR"] != "", Version: currentVersion().Version,
		Doctor: app.doctorReport,
	}, sender, app.IO.In, app.IO.Out)
}

// doctorReport runs `basalt doctor` into a text, for /doctor, on the
// settings files as they are now: the session may have written one (a
// rule saved with "don't ask again" creates the local file).
func (a *App) doctorReport(ctx context.Context) string {
	var buf bytes.Buffer
	app := *a
	app.IO = &IOStreams{Out: &buf, ErrOut: &buf}
	if cfg, _ := a.freshConfig(ctx); cfg != nil {
		app.Config = cfg
	}
	if err := runDoctor(ctx, &app, &doctorOptions{}); err != nil && err != errReported {
		fmt.Fprintf(&buf, "%v\n", err)
	}
	return strings.TrimRight(buf.String(), "\n")
}

// freshConfig loads the configuration again, as this invocation did, from
// the files as they are now, for the in-session reports (/status,
// /doctor). It leaves a.Config, and the log it opened, as they are.
func (a *App) freshConfig(ctx context.Context) (*config.Config, error) {
	return config.Load(ctx, config.Input{
		Env:          a.Env,
		WorkDir:      a.WorkDir,
		ManagedPaths: a.ManagedPaths,
		Flags:        a.Flags,
		TrustProject: a.trusts,
	})
}
