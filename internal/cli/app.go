package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/trust"
)

// App is what every command shares: the streams, the process environment
// and working directory, and the configuration flags. It holds no context.
type App struct {
	IO      *IOStreams
	Env     map[string]string
	WorkDir string
	// ManagedPaths are the managed-policy files (Input.ManagedPaths); nil
	// means config.DefaultManagedPaths.
	ManagedPaths []string

	Flags config.Flags
	// TrustOnce is --trust: the project's risky settings apply for this
	// run, and nothing is remembered.
	TrustOnce bool
	// allowUntrusted lets loadConfig return a configuration from which an
	// untrusted folder's risky settings were left out, instead of refusing:
	// for commands that only inspect (config show), and for a session whose
	// user chose to run without them. Off by default, so that a command
	// nobody thought about refuses (DESIGN.md §9).
	allowUntrusted bool

	// Set by loadConfig.
	Config *config.Config
	Log    *slog.Logger
	trust  *trust.Store // nil until loadConfig needs it

	// scrubProcess is set by Main, whose process environment is Env: a
	// session may then remove from it what its commands must not read
	// back (protect_linux.go). Tests that call run in-process leave it
	// off, so the test binary's environment is never touched.
	scrubProcess bool
	// supervisor is the executable that supervises each command's process
	// tree (tool.SessionOptions.Supervisor): basalt's own, set by Main,
	// which package supervise turns into a supervisor. Tests that call run
	// in-process leave it empty, since their binary would re-run its tests
	// instead, and their commands run unsupervised.
	supervisor string
	// gitStatus is the project's git status, started by runRoot for the
	// first session openSession opens (harness.Options.GitStatus).
	gitStatus func() string
}

// loadConfig loads the configuration once per invocation and opens the
// log file it asks for. In a folder whose risky project settings the user
// has not trusted it returns a nil configuration and an *UntrustedError,
// unless the command allowed untrusted settings to be left out
// (allowUntrusted); the check is made on every call, not only the first.
func (a *App) loadConfig(ctx context.Context) (*config.Config, error) {
	cfg, err := a.loadConfigOnce(ctx)
	if cfg != nil && cfg.Trust.Ignored() && !a.allowUntrusted {
		return nil, a.untrustedError(cfg.Trust)
	}
	return cfg, err
}

func (a *App) loadConfigOnce(ctx context.Context) (*config.Config, error) {
	if a.Config != nil {
		return a.Config, nil
	}
	cfg, err := config.Load(ctx, config.Input{
		Env:          a.Env,
		WorkDir:      a.WorkDir,
		ManagedPaths: a.ManagedPaths,
		Flags:        a.Flags,
		TrustProject: a.trusts,
	})
	if cfg != nil {
		a.Config = cfg
		a.Log = openLog(cfg, a.IO)
		a.Log.Debug("config loaded",
			"provider", string(cfg.Provider.Value), "region", cfg.Region.Value,
			"model", cfg.Model.Value, "warnings", len(cfg.Warnings), "valid", err == nil)
	}
	return cfg, err
}

// openLog returns the logger: JSON lines appended to the state directory's
// log file at the configured level, or a discard logger. The terminal is
// never the log's destination: it belongs to the user (and the TUI).
func openLog(cfg *config.Config, io *IOStreams) *slog.Logger {
	if cfg.LogLevel.Value == "" {
		return slog.New(slog.DiscardHandler)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel.Value)); err != nil {
		level = slog.LevelInfo
	}
	path := cfg.LogFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		fmt.Fprintf(io.ErrOut, "basalt: warning: no log file: %v\n", err)
		return slog.New(slog.DiscardHandler)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintf(io.ErrOut, "basalt: warning: no log file: %v\n", err)
		return slog.New(slog.DiscardHandler)
	}
	// The file stays open for the life of the process; the OS closes it.
	return slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}))
}

// logKeys are the fixed keys of basalt's log lines (STYLE.md "Logging"):
// their names are not taken for secret names ("session" holds an ID).
var logKeys = map[string]bool{
	slog.MessageKey: true, "err": true, "model": true, "session": true, "tool": true,
	"request_id": true, "latency": true, "code": true, "reason": true, "attempt": true, "delay": true,
}

// redactAttr is the last line of defence against a secret in a log line,
// with the one rule of config: an attribute named like a secret is hidden
// whatever its value, and every text (the message, strings, errors, and
// any other value as it would be printed) has its secret-shaped parts
// hidden.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Key != slog.TimeKey && a.Key != slog.LevelKey && !logKeys[a.Key] && config.IsSecret(a.Key) {
		return slog.String(a.Key, config.Redact(a.Value.String()))
	}
	switch a.Value.Kind() {
	case slog.KindString:
		if r := config.RedactText(a.Value.String()); r != a.Value.String() {
			return slog.String(a.Key, r)
		}
	case slog.KindAny:
		var text string
		switch v := a.Value.Any().(type) {
		case error:
			text = v.Error()
		case fmt.Stringer:
			text = v.String()
		default:
			b, err := json.Marshal(v)
			if err != nil {
				text = fmt.Sprint(v)
			} else {
				text = string(b)
			}
		}
		if r := config.RedactText(text); r != text {
			return slog.String(a.Key, r)
		}
	}
	return a
}

// envMap turns "K=V" pairs into a map; later pairs win, as in exec.
func envMap(pairs []string) map[string]string {
	m := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			// A copy: the environment's own memory may be overwritten
			// (protectProcess).
			m[strings.Clone(k)] = strings.Clone(v)
		}
	}
	return m
}
