// Command mcp measures what MCP servers cost basalt -p: the time from
// process start to the first model request with 0, 1 and 3 stdio servers
// configured (each taking -delay to start, so a slow server would show),
// and the size of the fixed prompt prefix (the tools' definitions) with
// 0, 1 and 5 servers of 6 tools each, and with one server of many tools.
//
//	go run ./bench/mcp [-n 10] [-delay 300ms] [-many 60]
//
// The emulator runs in this process and timestamps each request as it
// arrives; nothing leaves loopback.
package main

import (
	"bytes"
	"context"
	"encoding/json"
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
		fmt.Fprintln(os.Stderr, "mcp bench:", err)
		os.Exit(1)
	}
}

// recorder keeps the arrival and the tools of every model request.
type recorder struct {
	mu    sync.Mutex
	times []time.Time
	tools []int // bytes of the request's "tools" array
	names []int // number of tools
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.times, r.tools, r.names = nil, nil, nil
	r.mu.Unlock()
}

func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		now := time.Now()
		if req.Method == http.MethodPost && strings.HasPrefix(req.URL.Path, "/model/") {
			body, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(body))
			var b struct {
				Tools []json.RawMessage `json:"tools"`
			}
			_ = json.Unmarshal(body, &b)
			size := 0
			for _, t := range b.Tools {
				size += len(t)
			}
			r.mu.Lock()
			r.times = append(r.times, now)
			r.tools = append(r.tools, size)
			r.names = append(r.names, len(b.Tools))
			r.mu.Unlock()
		}
		h.ServeHTTP(w, req)
	})
}

func run() error {
	n := flag.Int("n", 10, "runs per configuration")
	delay := flag.Duration("delay", 300*time.Millisecond, "how long each server takes to start")
	many := flag.Int("many", 60, "tools of the many-tools server")
	flag.Parse()

	scratch, err := os.MkdirTemp("", "basalt-mcp-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	basalt := filepath.Join(scratch, "basalt")
	server := filepath.Join(scratch, "mcp-server")
	for out, pkg := range map[string]string{basalt: "./cmd/basalt", server: "./bench/mcp/server"} {
		build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build %s: %w", pkg, err)
		}
	}

	var rec recorder
	serve := func(sc *emulator.Scenario) (string, func(), error) {
		emu, err := emulator.New(emulator.Options{Scenario: sc})
		if err != nil {
			return "", nil, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := &http.Server{Handler: rec.wrap(emu)}
		go func() { _ = srv.Serve(ln) }()
		return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
	}

	// Start-up: servers that take -delay each must not delay the first
	// request.
	url, stop, err := serve(nil)
	if err != nil {
		return err
	}
	fmt.Printf("start → first model request (median of %d; each server takes %s to start)\n", *n, *delay)
	for _, servers := range []int{0, 1, 3} {
		var firsts []time.Duration
		for i := range *n {
			home := filepath.Join(scratch, fmt.Sprintf("start-%d-%d", servers, i))
			if err := writeServers(home, server, servers, *delay, 0); err != nil {
				return err
			}
			start, err := runBasalt(basalt, home, url, "Say hi.")
			if err != nil {
				return err
			}
			rec.mu.Lock()
			if len(rec.times) > 0 {
				firsts = append(firsts, rec.times[0].Sub(start))
			}
			rec.mu.Unlock()
			rec.reset()
		}
		fmt.Printf("  %d stdio servers  %7.1f ms (min %.1f)\n", servers, ms(median(firsts)), ms(slices.Min(firsts)))
	}
	stop()

	// Prompt size: a turn that calls one tool of every server waits for
	// them, so the next request carries every definition.
	fmt.Println("fixed prompt prefix: tool definitions in a request once every server is up")
	for _, c := range []struct {
		label        string
		servers, add int
	}{{"0 servers", 0, 0}, {"1 server, 6 tools", 1, 0}, {"5 servers, 30 tools", 5, 0}, {fmt.Sprintf("1 server, %d tools", 6+*many), 1, *many}} {
		sc := &emulator.Scenario{Turns: []emulator.Turn{{Text: "Calling."}, {Text: "Done."}}}
		for s := range c.servers {
			sc.Turns[0].ToolUse = append(sc.Turns[0].ToolUse, emulator.ToolUse{Name: fmt.Sprintf("mcp__s%d__echo", s), Input: json.RawMessage(`{"text":"x"}`)})
		}
		if c.servers == 0 {
			sc.Turns = sc.Turns[1:]
		}
		url, stop, err := serve(sc)
		if err != nil {
			return err
		}
		home := filepath.Join(scratch, "size-"+strings.ReplaceAll(c.label, " ", ""))
		if err := writeServers(home, server, c.servers, 0, c.add); err != nil {
			return err
		}
		if _, err := runBasalt(basalt, home, url, "Use the tools."); err != nil {
			return err
		}
		stop()
		rec.mu.Lock()
		last := len(rec.tools) - 1
		fmt.Printf("  %-20s %4d tools  %7d bytes  ≈%6d tokens\n", c.label, rec.names[last], rec.tools[last], (rec.tools[last]+3)/4)
		rec.mu.Unlock()
		rec.reset()
	}
	return nil
}

// writeServers configures count stdio servers in home's user scope.
func writeServers(home, server string, count int, delay time.Duration, extra int) error {
	dir := filepath.Join(home, ".config", "basalt")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	servers := map[string]any{}
	for i := range count {
		servers[fmt.Sprintf("s%d", i)] = map[string]any{"command": server, "env": map[string]string{
			"MCPTEST_START_DELAY_MS": fmt.Sprint(delay.Milliseconds()), "MCPTEST_EXTRA_TOOLS": fmt.Sprint(extra)}}
	}
	raw, _ := json.Marshal(map[string]any{"mcpServers": servers})
	return os.WriteFile(filepath.Join(dir, "mcp.json"), raw, 0o600)
}

// runBasalt runs basalt -p once and returns when it started.
func runBasalt(basalt, home, url, prompt string) (time.Time, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, basalt, "-p", prompt, "--allowed-tools", "mcp__s0,mcp__s1,mcp__s2,mcp__s3,mcp__s4")
	cmd.Dir = home
	cmd.Env = []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, ".state"),
		"CLAUDE_CODE_USE_BEDROCK=1", "ANTHROPIC_BEDROCK_BASE_URL=" + url, "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIABASALTMCPBENCH00", "AWS_SECRET_ACCESS_KEY=mcp-bench-fake-secret",
		"AWS_EC2_METADATA_DISABLED=true", "ANTHROPIC_MODEL=global.anthropic.claude-sonnet-4-6",
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return start, fmt.Errorf("basalt: %w\n%s", err, out.String())
	}
	return start, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
