package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/hooks"
	"github.com/basalt-dev/basalt/internal/permission"
)

// sessionEndTimeout bounds the SessionEnd hooks of a closing session,
// whatever their own timeouts: basalt is quitting.
const sessionEndTimeout = 5 * time.Second

// PromptBlockedError is a prompt a UserPromptSubmit hook blocked: it was
// not sent, nor kept in the conversation. Message is what the user sees.
type PromptBlockedError struct{ Message string }

func (e *PromptBlockedError) Error() string { return e.Message }

// newHookRunner takes the session's snapshot of the configured hooks and
// the runner that fires them, with the notices the user should read at
// start: configuration problems, and hooks a policy turned off.
func newHookRunner(cfg *config.Config, o Options, wrap func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error)) (*hooks.Runner, []string) {
	set, warns := hooks.Snapshot(cfg)
	var notices []string
	for _, w := range warns {
		notices = append(notices, w.Error())
	}
	for _, sk := range set.Skipped {
		// An untrusted folder is told once, with `basalt trust`, by the
		// trust check (its notice lists "hooks" among the settings not
		// applied): saying it again here would be noise.
		if strings.HasSuffix(sk, "the folder is not trusted") && !cfg.Trust.Trusted && len(cfg.Trust.Findings) > 0 {
			continue
		}
		notices = append(notices, "hooks not run: "+sk)
	}
	log := o.Log
	runner := hooks.NewRunner(set, hooks.Options{
		ProjectDir: cfg.ProjectRoot,
		Env:        cfg.CommandEnv(),
		Wrap:       wrap,
		Log: func(r hooks.Record) {
			if log != nil {
				log.Info("hook", "event", r.Event, "command", r.Command, "source", r.Source.String(),
					"latency", r.Duration, "exit", r.ExitCode, "timed_out", r.TimedOut, "err", r.Err)
			}
			if o.HookRun != nil {
				o.HookRun(RecordLine(r))
			}
		},
	})
	return runner, notices
}

// RecordLine is the --verbose line of one hook run:
// hook PreToolUse "./guard.sh" exit 2 in 41ms.
func RecordLine(r hooks.Record) string {
	line := fmt.Sprintf("hook %s %q exit %d in %s", r.Event, r.Command, r.ExitCode, r.Duration.Round(time.Millisecond))
	switch {
	case r.TimedOut:
		line += " (timed out)"
	case r.Err != nil:
		line += " (" + r.Err.Error() + ")"
	}
	return line
}

// Hooks is the session's hook runner: the snapshot taken at start, which
// a frontend lists (/hooks).
func (s *Session) Hooks() *hooks.Runner { return s.hookRunner }

// sessionStartSource names why a conversation opens, as SessionStart's
// matcher sees it.
func sessionStartSource(resumeID string, first bool) string {
	switch {
	case resumeID != "":
		return "resume"
	case first:
		return "startup"
	}
	return "clear"
}

// userPromptSubmit runs the UserPromptSubmit hooks on a prompt. It
// returns the prompt to send (with the hooks' context after it), or
// ok false when a hook stopped it (err says why when it was blocked).
func (s *Session) userPromptSubmit(ctx context.Context, prompt []anthropic.ContentBlockParamUnion, on func(agent.Event)) (out []anthropic.ContentBlockParamUnion, ok bool, err error) {
	if n := s.hooksChangedNotice(); n != "" {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	r := s.hookRunner
	if r == nil || !r.Has(hooks.UserPromptSubmit) {
		return prompt, true, nil
	}
	in := s.current().HookInput()
	in.Prompt = promptText(prompt)
	o := r.Run(ctx, hooks.UserPromptSubmit, in)
	for _, n := range o.SystemMessages {
		on(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	for _, e := range o.Errors {
		on(agent.Event{Kind: agent.EventNotice, Text: "hook: " + e})
	}
	if o.Blocked {
		return nil, false, &PromptBlockedError{Message: o.Message("")}
	}
	if o.Stop {
		why := "a UserPromptSubmit hook stopped the prompt"
		if o.StopReason != "" {
			why += ": " + o.StopReason
		}
		on(agent.Event{Kind: agent.EventNotice, Text: why})
		return nil, false, nil
	}
	out = append([]anthropic.ContentBlockParamUnion(nil), prompt...)
	for _, c := range o.Context {
		out = append(out, anthropic.NewTextBlock("<system-reminder>\nUserPromptSubmit hook additional context: "+c+"\n</system-reminder>"))
	}
	return out, true, nil
}

// promptText is the text of a prompt's text blocks, as UserPromptSubmit
// hooks read it.
func promptText(prompt []anthropic.ContentBlockParamUnion) string {
	var parts []string
	for _, b := range prompt {
		if b.OfText != nil {
			parts = append(parts, b.OfText.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// sessionEnd runs the SessionEnd hooks of a closing conversation. They
// cannot block; they get a short time of their own, even when the
// session is being interrupted.
func (s *Session) sessionEnd(a *agent.Session, reason string) {
	r := s.hookRunner
	if r == nil || a == nil || !r.Has(hooks.SessionEnd) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(context.Background()), sessionEndTimeout)
	defer cancel()
	in := a.HookInput()
	in.PermissionMode = "" // Claude Code does not send it for SessionEnd
	in.Reason = reason
	o := r.Run(ctx, hooks.SessionEnd, in)
	if s.o.Log != nil {
		for _, e := range o.Errors {
			s.o.Log.Warn("SessionEnd hook", "err", e)
		}
	}
}

// HooksChange is what changed in the settings files' hooks since the
// session took its snapshot: nil when nothing did.
type HooksChange struct {
	Files   []string        // the settings files whose hooks changed
	Changes []hooks.Change  // the hooks added and removed, for review
	Next    *hooks.Set      // what the hooks would be
	Trust   map[string]bool // files among Files that need the folder trusted again
}

// PendingHooks compares the hooks written in the settings files now with
// the session's snapshot (and the changes applied since). The snapshot
// stays in force: Claude Code never picks up an edited hooks value
// silently, and a changed project value needs the folder trusted again
// (its fingerprint changed).
func (s *Session) PendingHooks() *HooksChange {
	if s.hookRunner == nil {
		return nil
	}
	s.mu.Lock()
	applied := s.hooksApplied
	s.mu.Unlock()
	needsTrust := map[string]bool{}
	for _, f := range s.cfg.Trust.Findings {
		if f.Setting == "hooks" {
			needsTrust[f.File] = true
		}
	}
	c := *s.cfg
	c.Files = make([]*config.File, len(s.cfg.Files))
	hc := &HooksChange{Trust: map[string]bool{}}
	for i, orig := range s.cfg.Files {
		f := *orig
		c.Files[i] = &f
		if f.Status != config.StatusLoaded || f.Settings == nil {
			continue
		}
		base, wasApplied := applied[f.Path]
		if !wasApplied {
			base = f.Settings.Raw["hooks"]
		}
		effective := base
		if now, ok := currentHooks(f.Path); ok && !sameJSON(now, base) {
			effective = now
			hc.Files = append(hc.Files, f.Path)
			if f.Level == config.LevelProject || needsTrust[f.Path] {
				hc.Trust[f.Path] = true
			}
		}
		if sameJSON(effective, f.Settings.Raw["hooks"]) {
			continue
		}
		st := *f.Settings
		st.Raw = map[string]json.RawMessage{}
		for k, v := range f.Settings.Raw {
			st.Raw[k] = v
		}
		if effective == nil {
			delete(st.Raw, "hooks")
		} else {
			st.Raw["hooks"] = effective
		}
		f.Settings = &st
	}
	if len(hc.Files) == 0 {
		return nil
	}
	hc.Next, _ = hooks.Snapshot(&c)
	hc.Changes = hooks.Diff(s.hookRunner.Set(), hc.Next)
	return hc
}

// ApplyPendingHooks makes the reviewed change of the settings files the
// session's hooks (/hooks apply) and returns what changed. A changed
// project file (or local file git tracks) is refused: its hooks run only
// once the folder is trusted again, which happens before a session
// starts.
func (s *Session) ApplyPendingHooks() ([]hooks.Change, error) {
	hc := s.PendingHooks()
	if hc == nil {
		return nil, nil
	}
	if len(hc.Trust) > 0 {
		var files []string
		for _, f := range hc.Files {
			if hc.Trust[f] {
				files = append(files, f)
			}
		}
		return nil, fmt.Errorf("the hooks of %s changed, and a repository's hooks need the folder trusted again: run `basalt trust`, then restart basalt", strings.Join(files, ", "))
	}
	s.mu.Lock()
	next := map[string]json.RawMessage{}
	for k, v := range s.hooksApplied {
		next[k] = v
	}
	for _, f := range hc.Files {
		now, _ := currentHooks(f)
		next[f] = now
	}
	s.hooksApplied = next
	s.mu.Unlock()
	s.hookRunner.Replace(hc.Next)
	return hc.Changes, nil
}

// hooksChangedNotice says, once per distinct change, that the hooks in
// the settings files changed and are not applied.
func (s *Session) hooksChangedNotice() string {
	hc := s.PendingHooks()
	if hc == nil {
		return ""
	}
	key := strings.Join(hc.Files, "\x00")
	for _, c := range hc.Changes {
		key += "\x00" + c.String()
	}
	s.mu.Lock()
	seen := s.hooksNoticed == key
	s.hooksNoticed = key
	s.mu.Unlock()
	if seen {
		return ""
	}
	return fmt.Sprintf("the hooks in %s changed during the session; basalt keeps running the hooks it started with (%d changes); review them with /hooks, then `/hooks apply` or restart basalt to apply them", strings.Join(hc.Files, ", "), len(hc.Changes))
}

// currentHooks reads the "hooks" value a settings file holds now; ok is
// false when the file cannot be read or parsed (it is then left as it
// was: a half-saved file is no change to review).
func currentHooks(path string) (json.RawMessage, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return nil, false
	}
	return top["hooks"], true
}

// sameJSON compares two JSON values ignoring layout.
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// askWithNotification is Options.Ask with the Notification hooks fired
// as the question is put (notification_type permission_prompt), so that
// a desktop notifier can call the user back. They run beside the
// question, never delaying it; what they report goes to the log.
func (s *Session) askWithNotification() func(context.Context, *agent.ToolCall, permission.Decision) (agent.Answer, error) {
	ask := s.o.Ask
	r := s.hookRunner
	if ask == nil || r == nil || !r.Has(hooks.Notification) {
		return ask
	}
	return func(ctx context.Context, call *agent.ToolCall, d permission.Decision) (agent.Answer, error) {
		in := s.current().HookInput()
		in.Message = "basalt needs your permission to use " + call.Name
		in.NotificationType = "permission_prompt"
		go func() {
			o := r.Run(context.WithoutCancel(ctx), hooks.Notification, in)
			if s.o.Log != nil {
				for _, e := range o.Errors {
					s.o.Log.Warn("Notification hook", "err", e)
				}
			}
		}()
		return ask(ctx, call, d)
	}
}

// HooksView is what /hooks shows: the hooks the session runs (its
// snapshot), those configured but not run and why, and a change in the
// settings files not applied yet.
type HooksView struct {
	Entries []hooks.Entry
	Skipped []string
	Pending *HooksChange // nil when the files still say what the snapshot does
}

// HooksView reports the session's hooks for /hooks.
func (s *Session) HooksView() HooksView {
	if s.hookRunner == nil {
		return HooksView{}
	}
	set := s.hookRunner.Set()
	return HooksView{Entries: set.List(), Skipped: set.Skipped, Pending: s.PendingHooks()}
}
