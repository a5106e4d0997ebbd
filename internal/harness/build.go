package harness

import (
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// newChecker builds the permission checker of cfg. Rules that do not
// compile are a *UsageError naming the fix.
func newChecker(cfg *config.Config, headless bool) (*permission.Checker, error) {
	mode, err := permission.ParseMode(cfg.Permissions.DefaultMode.Value)
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	checker, err := permission.New(permission.Options{
		Mode: mode, Allow: cfg.Permissions.Allow, Ask: cfg.Permissions.Ask, Deny: cfg.Permissions.Deny,
		ProjectRoot: cfg.ProjectRoot, AdditionalDirs: dirValues(cfg.Permissions.AdditionalDirectories),
		Home: cfg.Getenv("HOME"), ConfigHome: cfg.Getenv("XDG_CONFIG_HOME"), StateDir: cfg.StateDir,
		Headless: headless, DisableBypass: cfg.Permissions.DisableBypass.Value,
	})
	if err != nil {
		return nil, &UsageError{Err: err, Hint: "fix the permission rules; `basalt config show` says where each comes from"}
	}
	return checker, nil
}

// newTools builds the tool session (working directory, allowed
// directories, the commands' environment) and the tools, whose results
// never carry basalt's own secret values. The checker is the search
// tools' read policy: Grep, Glob and LS leave out what a Read deny rule
// covers.
func newTools(cfg *config.Config, checker *permission.Checker, supervisor string, sbx *sandboxRun) (*tool.Session, []tool.Tool, error) {
	ts, err := tool.NewSession(toolSessionOptions(cfg, checker, supervisor, sbx))
	if err != nil {
		return nil, nil, err
	}
	return ts, scrubSecrets(tool.All(), cfg.SecretValues()), nil
}

// ToolNames are the names of the tools a session offers the model, in
// the order the model sees them.
func ToolNames() []string {
	var names []string
	for _, t := range tool.All() {
		names = append(names, t.Name())
	}
	// WebFetch needs the session's fetcher and small model: Open adds it
	// after the stateless tools (webfetch.go).
	return append(names, tool.WebFetch{}.Name())
}

func dirValues(vs []config.Value[string]) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Value
	}
	return out
}

// toolSessionOptions are the options of the conversation's tool session,
// and of each subagent's own: a subagent's commands run in the same OS
// sandbox as the conversation's (sbx nil: none).
func toolSessionOptions(cfg *config.Config, checker *permission.Checker, supervisor string, sbx *sandboxRun) tool.SessionOptions {
	allowed := append([]string{cfg.ProjectRoot}, dirValues(cfg.Permissions.AdditionalDirectories)...)
	opts := tool.SessionOptions{WorkDir: cfg.WorkDir, AllowedDirs: allowed, Env: cfg.CommandEnv(), ReadPolicy: checker, Supervisor: supervisor}
	if sbx != nil {
		// Bash asks the checker where each command runs; its scratch
		// files live where a sandboxed command may write.
		opts.Sandbox, opts.TempDir = sandboxRunner{run: sbx, checker: checker}, sbx.tempDir
	}
	return opts
}
