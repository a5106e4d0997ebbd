package bench

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/tool"
)

// grepCase is one query, as Grep input and as the equivalent rg and grep
// command lines.
type grepCase struct {
	name  string
	input map[string]any
	rg    []string // rg with its own defaults: mode flags and pattern
	grep  []string
}

var grepCases = []grepCase{
	{"literal-files", map[string]any{"pattern": "context.Context"},
		[]string{"-l", "context.Context"}, []string{"-rlI", "context.Context"}},
	{"regex-content", map[string]any{"pattern": `func \w+Error\(`, "output_mode": "content"},
		[]string{"-n", `func \w+Error\(`}, []string{"-rnIE", `func [[:alnum:]_]+Error\(`}},
	{"ignorecase-count", map[string]any{"pattern": "deadline exceeded", "-i": true, "output_mode": "count"},
		[]string{"-c", "-i", "deadline exceeded"}, []string{"-rcIi", "deadline exceeded"}},
	{"noliteral-files", map[string]any{"pattern": `[A-Z][a-z]+[0-9]{3,}\b`},
		[]string{"-l", `[A-Z][a-z]+[0-9]{3,}\b`}, []string{"-rlIE", `[A-Z][a-z]+[0-9]{3,}\b`}},
}

// BenchmarkGrep searches Go's own source tree ($(go env GOROOT)/src) with
// the Grep tool on rg (tool-rg), the Grep tool's pure-Go search (tool-go),
// rg alone and grep -r. Each iteration runs all four in turn, so a busy
// machine slows them alike, and the best time of each is reported in ms
// with the ratios to rg. Targets: tool-rg/rg ≤ 1.2, tool-go/rg ≤ 3.
//
//	go test -run NONE -bench Grep -benchtime 10x ./bench
func BenchmarkGrep(b *testing.B) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skipf("go env GOROOT: %v", err)
	}
	root := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	if _, err := os.Stat(root); err != nil {
		b.Skipf("no Go source tree at %s", root)
	}
	rg, err := exec.LookPath("rg")
	if err != nil {
		b.Skip("rg not installed: nothing to compare with")
	}
	grep, _ := exec.LookPath("grep")
	env := []string{"PATH=" + os.Getenv("PATH")}
	session := func(noRG bool) *tool.Session {
		s, err := tool.NewSession(tool.SessionOptions{WorkDir: root, Env: env, NoRipgrep: noRG})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	withRG, pureGo := session(false), session(true)
	// Warm the page cache, so the first case is not charged for the disk.
	exec.Command(rg, "-uuu", "-q", "warm-up: no such text", root).Run()

	for _, c := range grepCases {
		input, _ := json.Marshal(c.input)
		runTool := func(s *tool.Session) func() error {
			return func() error {
				res, err := tool.Grep{}.Run(context.Background(), s, input)
				if err == nil && res.IsError {
					b.Fatalf("grep %s: %s", input, res.Content)
				}
				return err
			}
		}
		runCmd := func(name string, args ...string) func() error {
			return func() error {
				cmd := exec.Command(name, append(args, ".")...)
				cmd.Dir = root
				_, err := cmd.Output()
				if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
					err = nil // no match
				}
				return err
			}
		}
		variants := []struct {
			name string
			run  func() error
		}{
			{"tool-rg", runTool(withRG)},
			{"tool-go", runTool(pureGo)},
			{"rg", runCmd(rg, c.rg...)},
		}
		if grep != "" {
			variants = append(variants, struct {
				name string
				run  func() error
			}{"grep", runCmd(grep, c.grep...)})
		}
		b.Run(c.name, func(b *testing.B) {
			best := make([]time.Duration, len(variants))
			for b.Loop() {
				for i, v := range variants {
					start := time.Now()
					if err := v.run(); err != nil {
						b.Fatalf("%s: %v", v.name, err)
					}
					if d := time.Since(start); best[i] == 0 || d < best[i] {
						best[i] = d
					}
				}
			}
			for i, v := range variants {
				b.ReportMetric(float64(best[i].Microseconds())/1000, v.name+"-ms")
				if v.name != "rg" {
					b.ReportMetric(float64(best[i])/float64(best[2]), v.name+"/rg")
				}
			}
		})
	}
}
