package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// statusLineTimeout bounds one run of the statusLine command: a slow
// script must not pile up runs behind it; its line just stays as it was.
const statusLineTimeout = 5 * time.Second

// HasStatusLine reports whether the settings name a statusLine command.
func (s *Session) HasStatusLine() bool {
	return s.cfg.StatusLine.Value != nil
}

// StatusLine runs the statusLine command with the session's state as
// JSON on stdin, in the shape Claude Code sends, and returns the first
// line it prints (ANSI colours kept). It runs in the working directory
// with the commands' environment (bashEnvironment applies). The caller
// decides how often: Claude Code runs it at most every 300 ms.
func (s *Session) StatusLine(ctx context.Context) (string, error) {
	sl := s.cfg.StatusLine.Value
	if sl == nil {
		return "", nil
	}
	in, err := json.Marshal(s.statusLineInput())
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, statusLineTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", sl.Command)
	cmd.Dir = s.cfg.WorkDir
	cmd.Env = s.cfg.CommandEnv()
	cmd.Stdin = bytes.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg = fmt.Sprintf("took over %s", statusLineTimeout)
		}
		return "", fmt.Errorf("statusLine command (%s): %v %s", s.cfg.StatusLine.Source, err, msg)
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	return strings.Repeat(" ", sl.Padding) + strings.TrimRight(first, "\r"), nil
}

// statusLineInput is the JSON Claude Code documents for statusLine
// commands, filled from the session (fields basalt does not track, such
// as lines added, are left out rather than faked).
func (s *Session) statusLineInput() map[string]any {
	info := s.Info()
	display := info.ModelName
	if display == "" {
		display = info.Model
	}
	style := info.OutputStyle
	if style == "" {
		style = "default"
	}
	return map[string]any{
		"hook_event_name":     "Status",
		"session_id":          info.SessionID,
		"cwd":                 info.WorkDir,
		"model":               map[string]any{"id": info.ModelID, "display_name": display},
		"workspace":           map[string]any{"current_dir": info.WorkDir, "project_dir": s.cfg.ProjectRoot},
		"version":             info.Version,
		"output_style":        map[string]any{"name": style},
		"cost":                map[string]any{"total_cost_usd": info.Cost.USD},
		"context_window":      map[string]any{"context_window_size": info.Window, "used_tokens": info.ContextUsed},
		"exceeds_200k_tokens": info.ContextUsed > 200_000,
	}
}
