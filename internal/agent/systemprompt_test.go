package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSystemPromptFlags: --system-prompt replaces the identity and keeps
// environment and memory; --append-system-prompt is a last block.
func TestSystemPromptFlags(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "CLAUDE.md"), []byte("use tabs"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
	noGit := func() string { return "" }
	tests := []struct {
		name           string
		system, append string
		want0, wantEnd string
		wantBlocks     int
	}{
		{"default", "", "", identity, "", 2},
		{"replace", "You write release notes.", "", "You write release notes.", "", 2},
		{"append", "", "Answer in French.", identity, "Answer in French.", 3},
		{"both", "S", "A", "S", "A", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := &Options{WorkDir: root, ProjectRoot: root, Now: now, GitStatus: noGit, SystemPrompt: tt.system, AppendSystemPrompt: tt.append}
			blocks := systemPrompt(t.Context(), o)
			if len(blocks) != tt.wantBlocks {
				t.Fatalf("%d blocks, want %d: %q", len(blocks), tt.wantBlocks, blocks)
			}
			if blocks[0] != tt.want0 {
				t.Errorf("first block = %q, want %q", blocks[0], tt.want0)
			}
			if !strings.Contains(blocks[1], "Working directory: "+root) || !strings.Contains(blocks[1], "use tabs") {
				t.Errorf("environment and memory lost: %q", blocks[1])
			}
			if tt.wantEnd != "" && blocks[len(blocks)-1] != tt.wantEnd {
				t.Errorf("last block = %q, want %q", blocks[len(blocks)-1], tt.wantEnd)
			}
		})
	}
}
