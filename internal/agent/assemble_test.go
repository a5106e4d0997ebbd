package agent

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAssemble: every call gets a result block, whatever stopped the run.
func TestAssemble(t *testing.T) {
	t.Parallel()
	calls := []*ToolCall{{ID: "a", Name: "Read"}, {ID: "b", Name: "Bash"}, {ID: "c", Name: "Read"}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	boom := errors.New("tool Bash: boom")
	tests := []struct {
		name    string
		ctx     context.Context
		done    map[int]callResult
		harness error
		want    []string
		wantErr error
	}{
		{"all ran, empty output filled in", context.Background(),
			map[int]callResult{0: {content: "x"}, 1: {}, 2: {content: "z", isError: true}}, nil,
			[]string{"x", "(no output)", "z"}, nil},
		{"interrupted", cancelled,
			map[int]callResult{0: {content: "x"}}, nil,
			[]string{"x", interruptedResult, interruptedResult}, context.Canceled},
		{"harness failed", context.Background(),
			map[int]callResult{0: {content: "x"}, 1: {content: "The tool failed inside basalt: boom", isError: true}}, boom,
			[]string{"x", "The tool failed inside basalt: boom", "Not run: basalt failed on an earlier call of this turn."}, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newCallRun(nil, calls, nil)
			for i, res := range tt.done {
				r.record(i, res)
			}
			r.harnessErr = tt.harness
			blocks, err := r.assemble(tt.ctx)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			var got []string
			for i, b := range blocks {
				tr := b.OfToolResult
				if tr == nil || tr.ToolUseID != calls[i].ID {
					t.Fatalf("block %d is not the result of %s: %+v", i, calls[i].ID, b)
				}
				got = append(got, tr.Content[0].OfText.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
