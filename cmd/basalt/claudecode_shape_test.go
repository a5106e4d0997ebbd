package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The golden files in testdata/claude-code are Claude Code's own -p
// output on the scenarios of testdata/claude-code/scenarios (see its
// README). TestClaudeCodeShape runs basalt on the same scenarios and
// compares field by field: every field Claude Code prints must be in
// basalt's output with the same JSON type and nesting. Values that must
// differ (ids, times, costs, text) are not compared; basalt's extra
// fields are allowed.

const claudeCodeDir = "../../testdata/claude-code"

func TestClaudeCodeShape(t *testing.T) {
	cc, err := filepath.Abs(claudeCodeDir)
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(claudeCodeDir, "shape"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("CC", cc)
			return setupSandbox(env)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":      cmdExits,
			"emulator":   cmdEmulator,
			"same-shape": cmdSameShape,
		},
	})
}

// TestClaudeCodeRecord re-records the golden files with the claude CLI
// when BASALT_RECORD_CLAUDE_CODE=1 (it rewrites testdata/claude-code),
// and checks that the new recording still has the shape the committed
// one has. It skips without claude.
func TestClaudeCodeRecord(t *testing.T) {
	if _, err := exec.LookPath("claude"); err != nil {
		t.Skip("claude (Claude Code) is not installed")
	}
	if os.Getenv("BASALT_RECORD_CLAUDE_CODE") != "1" {
		t.Skip("set BASALT_RECORD_CLAUDE_CODE=1 to re-record testdata/claude-code with claude")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "basalt")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build basalt: %v\n%s", err, out)
	}
	old := map[string]string{}
	for _, name := range goldenNames(t) {
		b, err := os.ReadFile(filepath.Join(claudeCodeDir, name))
		if err != nil {
			t.Fatal(err)
		}
		old[name] = string(b)
	}
	cmd := exec.Command(filepath.Join(claudeCodeDir, "record.sh"), bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("record.sh: %v\n%s", err, out) // claude exits 1 on errors: the files say more
	}
	for name, was := range old {
		now, err := os.ReadFile(filepath.Join(claudeCodeDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if diffs := compareShapes(string(now), was); len(diffs) > 0 {
			t.Errorf("%s: Claude Code's shape changed since the last recording:\n%s", name, strings.Join(diffs, "\n"))
		}
	}
}

func goldenNames(t *testing.T) []string {
	var names []string
	for _, pat := range []string{"*.json", "*.stream.jsonl"} {
		m, err := filepath.Glob(filepath.Join(claudeCodeDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			names = append(names, filepath.Base(p))
		}
	}
	return names
}

// cmdSameShape compares basalt's output (stdout, or a file) with a
// golden file of Claude Code's:
//
//	same-shape stdout $CC/tool.stream.jsonl
func cmdSameShape(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: same-shape FILE GOLDEN")
	}
	want, err := os.ReadFile(args[1])
	ts.Check(err)
	if diffs := compareShapes(ts.ReadFile(args[0]), string(want)); len(diffs) > 0 {
		ts.Fatalf("basalt's output differs in shape from Claude Code's %s:\n%s", filepath.Base(args[1]), strings.Join(diffs, "\n"))
	}
}

// claudeCodeOnly are Claude Code's fields basalt does not print, each
// with the reason; a path is the line kind and the JSON path.
var claudeCodeOnly = map[string]string{
	// Claude Code's timing internals; basalt has duration_ms and duration_api_ms.
	"result.ttft_ms": "", "result.ttft_stream_ms": "", "result.time_to_request_ms": "",
	// Claude Code's own version and client settings; basalt says basalt_version.
	"system/init.claude_code_version": "", "system/init.analytics_disabled": "",
	"system/init.product_feedback_disabled": "", "system/init.memory_paths": "",
	"system/init.fast_mode_state": "",
	// Claude Code's structured copy of a tool's output (file, numLines…):
	// basalt's tools return text, which is in message.content.
	"user.tool_use_result": "",
	// A field of Anthropic's API the Bedrock stream does not carry.
	"assistant.message.context_management": "",
	// basalt's agent keeps the per-message cache split in its own usage
	// report; the result's usage has cache_creation.
	"assistant.message.usage.cache_creation": "",
	// Only on Claude Code's synthetic error message.
	"assistant.message.container": "", "assistant.message.stop_details": "",
	"assistant.message.usage.server_tool_use": "", "assistant.message.usage.service_tier": "",
	"assistant.message.usage.inference_geo": "", "assistant.message.usage.iterations": "",
	"assistant.message.usage.speed": "",
}

// differentOnPurpose are values whose type differs from Claude Code's
// by design.
var differentOnPurpose = map[string]string{
	// On an API error Claude Code puts the error text in result; basalt
	// keeps result null on every error (scripts must not take it for an
	// answer) and says the error in errors.
	"result.result": "null on error",
	// Claude Code reports its synthetic error message's stop_reason; when
	// no reply came basalt has none to report.
	"result.stop_reason": "null without a reply",
	// basalt's retry notice names the reason ("throttled"), not the status.
	"system/api_retry.error_status": "no HTTP status",
}

// lineKind names a line for matching and for the paths above.
func lineKind(m map[string]any) string {
	k, _ := m["type"].(string)
	if st, ok := m["subtype"].(string); ok && k == "system" {
		k += "/" + st
	}
	if ev, ok := m["event"].(map[string]any); ok && k == "stream_event" {
		et, _ := ev["type"].(string)
		k += "/" + et
	}
	return k
}

// compareShapes compares every JSON value (one per line, or one
// indented document) of got with the first value of the same kind in
// want. Claude Code's system/status lines are not compared; assistant,
// user, result, system/init, system/api_retry and each stream_event type
// are.
func compareShapes(got, want string) []string {
	gotVals, err := decodeAll(got)
	if err != nil {
		return []string{"basalt: " + err.Error()}
	}
	wantVals, err := decodeAll(want)
	if err != nil {
		return []string{"golden: " + err.Error()}
	}
	byKind := map[string][]map[string]any{}
	for _, v := range gotVals {
		byKind[lineKind(v)] = append(byKind[lineKind(v)], v)
	}
	var diffs []string
	seen := map[string]bool{}
	for _, w := range wantVals {
		kind := lineKind(w)
		switch {
		case kind == "assistant", kind == "user", kind == "result", kind == "system/init", kind == "system/api_retry",
			strings.HasPrefix(kind, "stream_event/"):
		default:
			continue
		}
		if seen[kind] {
			continue
		}
		seen[kind] = true
		gs := byKind[kind]
		if len(gs) == 0 {
			diffs = append(diffs, fmt.Sprintf("no %s line", kind))
			continue
		}
		diffs = append(diffs, shapeDiff(kind, w, gs[0])...)
	}
	return diffs
}

func decodeAll(s string) ([]map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	var out []map[string]any
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("value %d: %v", len(out)+1, err)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no JSON value")
	}
	return out, nil
}

// freeForm are objects whose keys are data, not fields: a tool's input,
// the models of modelUsage (compared by their first value).
var freeForm = map[string]bool{"input": true, "tool_input": true}

func shapeDiff(path string, want, got any) []string {
	if want == nil {
		return nil // Claude Code printed null: its type is not known
	}
	if _, ok := differentOnPurpose[path]; ok {
		return nil
	}
	wt, gt := jsonType(want), jsonType(got)
	if wt != gt {
		return []string{fmt.Sprintf("%s: Claude Code has %s, basalt %s", path, wt, gt)}
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		last := path[strings.LastIndex(path, ".")+1:]
		if freeForm[last] {
			return nil
		}
		if last == "modelUsage" {
			return firstValues(path, w, g)
		}
		var diffs []string
		for _, k := range sortedKeys(w) {
			p := path + "." + k
			gv, ok := g[k]
			if !ok {
				if _, skip := claudeCodeOnly[p]; !skip {
					diffs = append(diffs, p+": missing")
				}
				continue
			}
			diffs = append(diffs, shapeDiff(p, w[k], gv)...)
		}
		return diffs
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) > 0 {
			return shapeDiff(path+".0", w[0], g[0])
		}
	}
	return nil
}

func firstValues(path string, w, g map[string]any) []string {
	if len(w) == 0 || len(g) == 0 {
		return nil
	}
	return shapeDiff(path+".MODEL", w[sortedKeys(w)[0]], g[sortedKeys(g)[0]])
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
