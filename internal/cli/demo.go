package cli

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/headless"
	"github.com/basalt-dev/basalt/internal/permission"
)

//go:embed demo/scenario.json demo/sum.go.txt demo/sum_test.go.txt
var demoFiles embed.FS

type demoOptions struct {
	Dir  string // scratch directory; "" makes one
	Keep bool
}

func newDemoCmd(app *App, runF func(context.Context, *App, *demoOptions) error) *cobra.Command {
	opts := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a complete agent session against the built-in emulator in a scratch repository",
		Long: `Run basalt for real without AWS: a scratch Go module with a failing test, the
built-in Bedrock emulator playing a scripted model, and the real agent loop,
tools and permission checks. The model reads the code, fixes the bug and runs
the tests; basalt shows every step, then the tokens, the cache-hit ratio and
what the session would have cost on Amazon Bedrock.

Nothing leaves the machine, and none of your settings are used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), app, opts)
			}
			return runDemo(cmd.Context(), app, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", "", "create the scratch project in `DIR` (default: a new temporary directory)")
	return cmd
}

func runDemo(ctx context.Context, app *App, opts *demoOptions) error {
	if _, err := exec.LookPath("go"); err != nil {
		return fmt.Errorf("demo: the scratch project is a Go module and needs the go command on PATH")
	}
	root := opts.Dir
	if root == "" {
		var err error
		if root, err = os.MkdirTemp("", "basalt-demo-"); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	repo := filepath.Join(root, "project")
	if err := writeDemoProject(repo); err != nil {
		return err
	}
	scenario, err := writeDemoScenario(root)
	if err != nil {
		return err
	}
	sc, err := emulator.LoadScenario(scenario, map[string]string{"DIR": repo})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	emu, err := emulator.Start(context.WithoutCancel(ctx), "", emulator.Options{Scenario: sc})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer emu.Stop()

	out := app.IO.Out
	fmt.Fprintf(out, "basalt demo: a scratch Go module with a failing test in %s\n", repo)
	fmt.Fprintf(out, "Amazon Bedrock is played by the built-in emulator at %s (nothing leaves this machine).\n\n", emu.URL)

	demo := &App{IO: app.IO, WorkDir: repo, ManagedPaths: []string{}, Env: demoEnv(app.Env, root, emu.URL)}
	const prompt = "The tests of this project fail. Find the bug and fix it."
	fmt.Fprintf(out, "> %s\n\n", prompt)
	p := headless.New(headless.Options{Format: headless.FormatText, Out: out, Err: app.IO.ErrOut, Progress: true})
	autoApprove := func(_ context.Context, call *agent.ToolCall, d permission.Decision) (agent.Answer, error) {
		fmt.Fprintf(out, "    approved automatically: the demo answers for you (basalt asks you in a real session)\n")
		return agent.Answer{Allow: true}, nil
	}
	start := time.Now()
	s, notices, err := demo.openSession(ctx, &rootOptions{}, harness.Options{Ask: autoApprove})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, n := range notices {
		p.Event(agent.Event{Kind: agent.EventNotice, Text: n})
	}
	res, runErr := s.Run(ctx, prompt, p.Event)
	sum := s.Summary(start, res, runErr)
	p.Finish(sum)
	if runErr != nil {
		return runErr
	}
	fmt.Fprintln(out)
	headless.Report(out, sum)
	test := exec.CommandContext(ctx, "go", "test", "./...")
	test.Dir, test.Env = repo, demo.commandEnv()
	if b, err := test.CombinedOutput(); err != nil {
		return fmt.Errorf("demo: the tests still fail after the session:\n%s", b)
	}
	fmt.Fprintf(out, "\nThe fix is real: `go test ./...` passes in %s.\n", repo)
	fmt.Fprintf(out, "Next: point basalt at your own Bedrock (`basalt config show`, `basalt doctor`), or run `basalt emulator` to try other clients.\n")
	return nil
}

func writeDemoProject(repo string) error {
	files := map[string]string{"go.mod": "module example.com/demo\n\ngo 1.22\n"}
	for name, src := range map[string]string{"sum.go": "demo/sum.go.txt", "sum_test.go": "demo/sum_test.go.txt"} {
		b, err := demoFiles.ReadFile(src)
		if err != nil {
			return err
		}
		files[name] = string(b)
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	// A .git directory makes it a project root, as in real use.
	return os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
}

func writeDemoScenario(root string) (string, error) {
	b, err := demoFiles.ReadFile("demo/scenario.json")
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, "scenario.json")
	return path, os.WriteFile(path, b, 0o644)
}

// demoEnv is the environment of the demo session: the emulator, fake
// keys, and a scratch home and state directory, so none of the user's
// settings or sessions are touched; PATH and Go's caches are kept so the
// project's tests run as fast as usual.
func demoEnv(env map[string]string, root, url string) map[string]string {
	out := map[string]string{
		"CLAUDE_CODE_USE_BEDROCK":     "1",
		"ANTHROPIC_BEDROCK_BASE_URL":  url,
		"AWS_REGION":                  "us-east-1",
		"AWS_ACCESS_KEY_ID":           "AKIADEMOEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "demo-secret",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"HOME":                        filepath.Join(root, "home"),
		"XDG_STATE_HOME":              filepath.Join(root, "state"),
		"XDG_CONFIG_HOME":             filepath.Join(root, "config"),
		"AWS_CONFIG_FILE":             filepath.Join(root, "home", ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(root, "home", ".aws", "credentials"),
	}
	for _, k := range []string{"PATH", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOTOOLCHAIN", "TMPDIR"} {
		if v, ok := env[k]; ok {
			out[k] = v
		}
	}
	if _, ok := out["GOCACHE"]; !ok {
		if home := env["HOME"]; home != "" {
			out["GOCACHE"] = filepath.Join(home, ".cache", "go-build")
		}
	}
	if _, ok := out["GOPATH"]; !ok {
		if home := env["HOME"]; home != "" {
			out["GOPATH"] = filepath.Join(home, "go")
		}
	}
	return out
}

func (a *App) commandEnv() []string {
	out := make([]string, 0, len(a.Env))
	for k, v := range a.Env {
		if !strings.HasPrefix(k, "AWS_") {
			out = append(out, k+"="+v)
		}
	}
	return out
}
