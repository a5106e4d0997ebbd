package config

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The corpus (testdata/corpus) is real settings files that public
// repositories commit for Claude Code, credited in index.tsv (repository,
// path, commit) with any credential replaced by a placeholder. Every one
// of them starts Claude Code, so every one must load here: a file basalt
// cannot fully use is warnings, never a refusal (issue 22).

// corpusEntry is one row of testdata/corpus/index.tsv.
type corpusEntry struct {
	File, Level, Repo, Path, Commit, Notes string
}

func readCorpus(t *testing.T) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus", "index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 6 {
			t.Fatalf("index.tsv:%d: %d columns, want 6", line+1, len(cols))
		}
		out = append(out, corpusEntry{cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Errorf("the corpus has %d files, want at least 100", len(out))
	}
	return out
}

// TestCorpusLoads loads each file where Claude Code would find it: a
// dotfiles copy of ~/.claude/settings.json as the user's file, the rest
// as the project's (.claude/settings.json) or local file, in a trusted
// folder and in one nobody trusted.
func TestCorpusLoads(t *testing.T) {
	t.Parallel()
	for _, e := range readCorpus(t) {
		t.Run(e.File, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "corpus", e.File))
			if err != nil {
				t.Fatal(err)
			}
			for _, trusted := range []bool{true, false} {
				f := newFixture(t)
				switch e.Level {
				case "user":
					f.write(f.claudeUser(), string(data))
				case "local":
					f.write(f.claudeLocal(), string(data))
				default:
					f.write(f.claudeProject(), string(data))
				}
				f.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
				c, err := Load(t.Context(), Input{Env: f.env, WorkDir: f.workDir, ManagedPaths: []string{f.managed},
					TrustProject: func(string, string) bool { return trusted }})
				if err != nil {
					var cfgErr *Error
					errors.As(err, &cfgErr)
					t.Fatalf("%s %s (%s, trusted=%v) does not load:\n%v", e.Repo, e.Path, e.Level, trusted, err)
				}
				if c.Provider.Value == ProviderBedrock && c.Resolved.ID == "" {
					t.Errorf("no model resolved")
				}
			}
		})
	}
}
