package cost

import (
	"encoding/json"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/google/go-cmp/cmp"
)

func TestFromAnthropic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string // the usage object as the API sends it
		want Usage
	}{
		{
			name: "split by TTL",
			json: `{"input_tokens":12,"output_tokens":340,"cache_creation_input_tokens":3000,"cache_read_input_tokens":9000,
				"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000}}`,
			want: Usage{InputTokens: 12, OutputTokens: 340, CacheWrite5m: 1000, CacheWrite1h: 2000, CacheRead: 9000},
		},
		{
			name: "no split: all 5-minute writes",
			json: `{"input_tokens":12,"output_tokens":340,"cache_creation_input_tokens":3000,"cache_read_input_tokens":9000}`,
			want: Usage{InputTokens: 12, OutputTokens: 340, CacheWrite5m: 3000, CacheRead: 9000},
		},
		{
			name: "zero split: all 5-minute writes",
			json: `{"input_tokens":1,"cache_creation_input_tokens":500,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0}}`,
			want: Usage{InputTokens: 1, CacheWrite5m: 500},
		},
		{
			name: "split short of the total: the rest is 5-minute",
			json: `{"cache_creation_input_tokens":500,"cache_creation":{"ephemeral_1h_input_tokens":200}}`,
			want: Usage{CacheWrite5m: 300, CacheWrite1h: 200},
		},
		{
			name: "no cache at all",
			json: `{"input_tokens":7,"output_tokens":3}`,
			want: Usage{InputTokens: 7, OutputTokens: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var u anthropic.Usage
			if err := json.Unmarshal([]byte(tt.json), &u); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, FromAnthropic(u)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUsageArithmetic(t *testing.T) {
	t.Parallel()
	a := Usage{InputTokens: 1, OutputTokens: 2, CacheWrite5m: 3, CacheWrite1h: 4, CacheRead: 5}
	b := Usage{InputTokens: 10, OutputTokens: 20, CacheWrite5m: 30, CacheWrite1h: 40, CacheRead: 50}
	if diff := cmp.Diff(Usage{11, 22, 33, 44, 55}, a.Add(b)); diff != "" {
		t.Errorf("Add mismatch (-want +got):\n%s", diff)
	}
	if got := a.TotalInput(); got != 13 {
		t.Errorf("TotalInput = %d, want 13 (input + writes + reads, not output)", got)
	}
	if got := a.CacheWrite(); got != 7 {
		t.Errorf("CacheWrite = %d, want 7", got)
	}
	tests := []struct {
		name string
		u    Usage
		want float64
	}{
		{"no input", Usage{OutputTokens: 9}, 0},
		{"all read", Usage{CacheRead: 100}, 1},
		{"mixed", Usage{InputTokens: 10, CacheWrite5m: 40, CacheWrite1h: 50, CacheRead: 900}, 0.9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.u.CacheHitRatio(); got != tt.want {
				t.Errorf("CacheHitRatio = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUsageJSON(t *testing.T) {
	t.Parallel()
	// The transcript stores these names; renaming one loses old sessions' usage.
	b, err := json.Marshal(Usage{InputTokens: 1, OutputTokens: 2, CacheWrite5m: 3, CacheWrite1h: 4, CacheRead: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"input_tokens":1,"output_tokens":2,"cache_write_5m_tokens":3,"cache_write_1h_tokens":4,"cache_read_tokens":5}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
