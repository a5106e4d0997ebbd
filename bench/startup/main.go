// Command startup measures how long basalt -p takes from process start
// to its first model request, against the built-in emulator, and the
// same for Claude Code when it is installed.
//
//	go run ./bench/startup [-n 10] [-basalt PATH[,PATH…]] [-claude PATH|-claude=] [-git]
//
// The emulator runs in this process and timestamps each request as it
// arrives, so the figure is start → request on the wire, with nothing of
// the answer in it. It reports the first request and the first main turn
// (a request that offers tools and may answer at length), since Claude
// Code sends small checks first. With -git each run starts in a git
// repository, whose status both clients put in the first request; without
// it, in a folder that is not one. Without -basalt it builds a release
// binary (static, -trimpath, stripped) into a temporary folder. Nothing
// leaves loopback: the AWS keys are fake and the emulator checks nothing.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

// arrivals records when requests reach the emulator.
type arrivals struct {
	mu              sync.Mutex
	first, mainTurn time.Time
}

func (a *arrivals) reset() {
	a.mu.Lock()
	a.first, a.mainTurn = time.Time{}, time.Time{}
	a.mu.Unlock()
}

func (a *arrivals) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/model/") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var req struct {
				MaxTokens int               `json:"max_tokens"`
				Tools     []json.RawMessage `json:"tools"`
			}
			_ = json.Unmarshal(body, &req)
			a.mu.Lock()
			if a.first.IsZero() {
				a.first = now
			}
			if a.mainTurn.IsZero() && len(req.Tools) > 0 && req.MaxTokens > 1 {
				a.mainTurn = now
			}
			a.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

type sample struct{ first, mainTurn, total time.Duration }

func run() error {
	n := flag.Int("n", 10, "runs per client")
	basalt := flag.String("basalt", "", "basalt binary, or several separated by commas to compare them (default: build one)")
	claude := flag.String("claude", "claude", "Claude Code binary; empty to skip it")
	repo := flag.Bool("git", false, "run each client in a git repository (one commit, 200 files), where both show its status to the model; without it the folder is not a repository")
	flag.Parse()

	scratch, err := os.MkdirTemp("", "basalt-startup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	if *basalt == "" {
		*basalt = filepath.Join(scratch, "basalt")
		build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", *basalt, "./cmd/basalt")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build basalt: %w", err)
		}
	}

	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		return err
	}
	var arr arrivals
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: arr.wrap(emu)}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "http://" + ln.Addr().String()

	type client struct {
		name string
		argv []string
		env  []string
	}
	// Several basalt binaries (a comma-separated -basalt) run interleaved,
	// so that a before/after comparison sees the same machine load.
	var clients []client
	bins := strings.Split(*basalt, ",")
	for _, b := range bins {
		name := "basalt"
		if len(bins) > 1 {
			name = filepath.Base(b)
		}
		clients = append(clients, client{name, []string{b, "-p", "Say hi."}, nil})
	}
	if *claude != "" {
		if p, err := exec.LookPath(*claude); err == nil {
			clients = append(clients, client{"claude", []string{p, "-p", "Say hi."}, []string{"IS_SANDBOX=1", "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}})
		} else {
			fmt.Fprintf(os.Stderr, "skip: %s not found\n", *claude)
		}
	}

	results := map[string][]sample{}
	for i := range *n {
		// Alternate the clients, so a busy moment of the machine falls
		// on both.
		for ci, c := range clients {
			home := filepath.Join(scratch, fmt.Sprintf("home-%d-%s-%d", ci, c.name, i))
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			if *repo {
				if err := makeRepo(home); err != nil {
					return err
				}
			}
			env := append([]string{
				"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb",
				"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, ".state"),
				"CLAUDE_CODE_USE_BEDROCK=1", "ANTHROPIC_BEDROCK_BASE_URL=" + url, "AWS_REGION=us-east-1",
				"AWS_ACCESS_KEY_ID=AKIABASALTSTARTUP000", "AWS_SECRET_ACCESS_KEY=startup-bench-fake-secret",
				"AWS_EC2_METADATA_DISABLED=true", "ANTHROPIC_MODEL=global.anthropic.claude-sonnet-4-6",
			}, c.env...)
			s, err := measure(&arr, c.argv, env, home)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", c.name, i+1, err)
			}
			results[c.name] = append(results[c.name], s)
		}
	}

	fmt.Printf("%-16s %6s %22s %22s %14s\n", "client", "runs", "first request (ms)", "first main turn (ms)", "whole run (ms)")
	med := map[string]sample{}
	for _, c := range clients {
		rs := results[c.name]
		m := sample{median(rs, func(s sample) time.Duration { return s.first }), median(rs, func(s sample) time.Duration { return s.mainTurn }), median(rs, func(s sample) time.Duration { return s.total })}
		med[c.name] = m
		lo := slices.MinFunc(rs, func(a, b sample) int { return int(a.first - b.first) })
		fmt.Printf("%-16s %6d %13.1f (min %4.1f) %22.1f %14.1f\n", c.name, len(rs), ms(m.first), ms(lo.first), ms(m.mainTurn), ms(m.total))
	}
	if c, ok := med["claude"]; ok && c.mainTurn > 0 {
		b := med[clients[0].name]
		fmt.Printf("basalt ÷ claude, medians: first request %.3f, first main turn %.3f (target ≤ 0.050)\n",
			float64(b.first)/float64(c.first), float64(b.mainTurn)/float64(c.mainTurn))
	}
	return nil
}

// makeRepo makes dir a git repository with one commit of 200 small
// files, one of them changed since, so that `git status` has work to do.
func makeRepo(dir string) error {
	for i := range 200 {
		sub := filepath.Join(dir, "src", fmt.Sprintf("p%02d", i/20))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%03d.go", i)), []byte(fmt.Sprintf("package p\n\nconst C%d = %d\n", i, i)), 0o644); err != nil {
			return err
		}
	}
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=b", "GIT_AUTHOR_EMAIL=b@example.com", "GIT_COMMITTER_NAME=b", "GIT_COMMITTER_EMAIL=b@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "src"}, {"commit", "-q", "-m", "start"}} {
		if err := git(args...); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "src", "p00", "f000.go"), []byte("package p\n\nconst C0 = -1\n"), 0o644)
}

// measure runs argv once and returns when its requests arrived, counted
// from just before the process was started.
func measure(arr *arrivals, argv, env []string, dir string) (sample, error) {
	arr.reset()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = env, dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	total := time.Since(start)
	arr.mu.Lock()
	first, mainTurn := arr.first, arr.mainTurn
	arr.mu.Unlock()
	if first.IsZero() {
		if err == nil {
			err = errors.New("no request reached the emulator")
		}
		return sample{}, fmt.Errorf("%w\n%s", err, out.String())
	}
	s := sample{first: first.Sub(start), total: total}
	if !mainTurn.IsZero() {
		s.mainTurn = mainTurn.Sub(start)
	}
	return s, nil
}

func median(xs []sample, f func(sample) time.Duration) time.Duration {
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = f(x)
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
