package cli

import (
	"context"

	"github.com/basalt-dev/basalt/internal/harness"
)

// openSession builds the session the flags ask for, through the harness:
// the configuration (loaded and trust-checked once per invocation), the
// process's facilities, and the frontend's hooks in o.
func (a *App) openSession(ctx context.Context, opts *rootOptions, o harness.Options) (*harness.Session, []string, error) {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	o.Config, o.Log, o.Version, o.Supervisor = cfg, a.Log, currentVersion().Version, a.supervisor
	o.Continue, o.Resume, o.Fork = opts.Continue, opts.Resume, opts.ForkSession
	o.MaxTurns, o.MaxBudgetUSD = opts.MaxTurns, opts.MaxBudgetUSD
	o.SessionID, o.NoPersistence = opts.SessionID, opts.NoSessionPersistence
	o.SystemPrompt, o.AppendSystemPrompt = opts.SystemPrompt, opts.AppendSystemPrompt
	o.Agents = opts.Agents
	o.GitStatus, a.gitStatus = a.gitStatus, nil
	if a.scrubProcess {
		o.ScrubProcess = scrubProcessEnv
	}
	s, notices, err := harness.Open(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	return s, notices, nil
}
