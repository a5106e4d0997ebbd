package toolsearch

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMode(t *testing.T) {
	t.Parallel()
	many := synthetic(3, 20) // 60 tools, ~16k tokens
	few := synthetic(1, 10)  // 10 tools, ~2.7k tokens
	for _, tc := range []struct {
		env            string
		wantErr        bool
		str            string
		many, few      bool // Defer at a 200k window
		fewSmallWindow bool // Defer of few at a 15k window
	}{
		{env: "", str: "auto", many: true, few: false, fewSmallWindow: true},
		{env: "auto", str: "auto", many: true, few: false, fewSmallWindow: true},
		{env: " AUTO ", str: "auto", many: true, few: false, fewSmallWindow: true},
		{env: "auto:50", str: "auto:50", many: false, few: false, fewSmallWindow: false},
		{env: "auto:0", str: "auto:0", many: true, few: true, fewSmallWindow: true},
		{env: "true", str: "true", many: true, few: true, fewSmallWindow: true},
		{env: "1", str: "true", many: true, few: true, fewSmallWindow: true},
		{env: "false", str: "false"},
		{env: "0", str: "false"},
		{env: "auto:101", wantErr: true},
		{env: "auto:x", wantErr: true},
		{env: "auto:-1", wantErr: true},
		{env: "yes", wantErr: true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMode(tc.env)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "ENABLE_TOOL_SEARCH") {
					t.Errorf("error %q does not name the variable", err)
				}
				return
			}
			if m.String() != tc.str {
				t.Errorf("String = %q, want %q", m.String(), tc.str)
			}
			if got := m.Defer(many, 200_000); got != tc.many {
				t.Errorf("Defer(60 tools, 200k) = %v, want %v", got, tc.many)
			}
			if got := m.Defer(few, 200_000); got != tc.few {
				t.Errorf("Defer(10 tools, 200k) = %v, want %v", got, tc.few)
			}
			if got := m.Defer(few, 15_000); got != tc.fewSmallWindow {
				t.Errorf("Defer(10 tools, 15k) = %v, want %v", got, tc.fewSmallWindow)
			}
			if m.Defer(nil, 1000) {
				t.Error("no tools deferred")
			}
		})
	}
}

func TestShouldDefer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		defs   []Def
		window int
		want   bool
	}{
		{"40 tools stay", synthetic(2, 20), 1_000_000, false},
		{"41 tools defer", synthetic(41, 1), 1_000_000, true},
		{"few but large for the window", synthetic(1, 10), 15_000, true},
		{"few, unknown window", synthetic(1, 10), 0, false},
	} {
		if got := ShouldDefer(tc.defs, tc.window); got != tc.want {
			t.Errorf("%s: ShouldDefer = %v, want %v (%d tokens)", tc.name, got, tc.want, Tokens(tc.defs))
		}
	}
}

func TestBytesIsTheToolsArray(t *testing.T) {
	t.Parallel()
	defs := synthetic(1, 3)
	defs = append(defs, Def{Name: "x", Description: "a <b> & c", Schema: json.RawMessage("{\n  \"type\": \"object\"\n}")}, Def{Name: "y"})
	var arr []string
	for _, d := range defs {
		arr = append(arr, string(d.apiJSON()))
	}
	whole := "[" + strings.Join(arr, ",") + "]"
	if !json.Valid([]byte(whole)) || Bytes(defs) != len(whole) {
		t.Errorf("Bytes = %d, want %d", Bytes(defs), len(whole))
	}
	if Bytes(nil) != 0 {
		t.Errorf("Bytes(nil) = %d: no tools send no array", Bytes(nil))
	}
	if !strings.Contains(string(defs[3].apiJSON()), `"a <b> & c"`) {
		t.Errorf("description escaped: %s", defs[3].apiJSON())
	}
	if !strings.Contains(string(defs[4].apiJSON()), `"input_schema":{"type":"object"}`) {
		t.Errorf("missing schema not defaulted: %s", defs[4].apiJSON())
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	if Summary(nil) != "" {
		t.Error("summary of no tools is not empty")
	}
	defs := []Def{
		{Name: "mcp__b__two", Description: "Second line follows.\nNot shown."},
		{Name: "mcp__a__one", Description: strings.Repeat("word ", 60)},
		{Name: "mcp__c__three"},
	}
	got := Summary(defs)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	want := []string{"<available-deferred-tools>", "mcp__a__one: ", "mcp__b__two: Second line follows.", "mcp__c__three", "</available-deferred-tools>"}
	if len(lines) != 6 {
		t.Fatalf("summary:\n%s", got)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i+1], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i+1], w)
		}
	}
	if n := utf8.RuneCountInString(strings.TrimPrefix(lines[2], "mcp__a__one: ")); n > lineMaxRunes+1 || !strings.HasSuffix(lines[2], "…") {
		t.Errorf("long description not cut: %q", lines[2])
	}
	if !strings.Contains(lines[0], "3 more tools") || !strings.Contains(lines[0], "ToolSearch") {
		t.Errorf("lead = %q", lines[0])
	}
}

func TestSummaryBounded(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, 500, 5000} {
		defs := synthetic(n/20, 20)
		s := Summary(defs)
		if len(s) > SummaryMaxBytes {
			t.Errorf("%d tools: summary is %d bytes, over %d", n, len(s), SummaryMaxBytes)
		}
		if !strings.HasSuffix(s, "</available-deferred-tools>\n") {
			t.Errorf("%d tools: summary not closed", n)
		}
		if n == 5000 && !strings.Contains(s, "more; find them with ToolSearch") {
			t.Errorf("%d tools: no count of the tools left out", n)
		}
	}
}

// TestZeroModeIsDefault: an Options that never read ENABLE_TOOL_SEARCH
// defers as the default does, not at every size (auto:0).
func TestZeroModeIsDefault(t *testing.T) {
	t.Parallel()
	few := []Def{{Name: "a", Description: "x"}}
	var zero Mode
	if zero.Defer(few, 200_000) {
		t.Error("the zero Mode defers one small tool")
	}
	auto0, err := ParseMode("auto:0")
	if err != nil {
		t.Fatal(err)
	}
	if !auto0.Defer(few, 200_000) {
		t.Error("auto:0 does not defer")
	}
}
