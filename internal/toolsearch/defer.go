package toolsearch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTools is the number of tools above which the default mode defers.
const MaxTools = 40

// DefaultPercent is the share of the context window the definitions may
// take before the default mode defers them, as in Claude Code.
const DefaultPercent = 10

// Mode is the ENABLE_TOOL_SEARCH setting. The zero Mode is the default
// ("auto"), so a caller that never read the variable gets what Claude
// Code does without it.
type Mode struct {
	kind    modeKind
	percent int
	// byCount: more than MaxTools tools defer too (plain "auto" only).
	byCount bool
	parsed  bool // from ParseMode: "auto:0" is not the zero Mode
}

type modeKind int

const (
	modeAuto modeKind = iota
	modeAlways
	modeNever
)

// ParseMode reads ENABLE_TOOL_SEARCH as Claude Code spells it:
//   - "" or "auto": defer when there are more than MaxTools tools or their
//     definitions exceed DefaultPercent of the context window;
//   - "auto:N": defer when the definitions exceed N% of the window
//     (N from 0 to 100; the tool count no longer matters);
//   - "true" or "1": always defer;
//   - "false" or "0": never.
func ParseMode(v string) (Mode, error) {
	switch s := strings.ToLower(strings.TrimSpace(v)); s {
	case "", "auto":
		return Mode{kind: modeAuto, percent: DefaultPercent, byCount: true, parsed: true}, nil
	case "true", "1":
		return Mode{kind: modeAlways, parsed: true}, nil
	case "false", "0":
		return Mode{kind: modeNever, parsed: true}, nil
	default:
		if n, ok := strings.CutPrefix(s, "auto:"); ok {
			p, err := strconv.Atoi(n)
			if err != nil || p < 0 || p > 100 {
				return Mode{}, fmt.Errorf("ENABLE_TOOL_SEARCH=%q: the percentage after auto: must be a whole number from 0 to 100", v)
			}
			return Mode{kind: modeAuto, percent: p, parsed: true}, nil
		}
		return Mode{}, fmt.Errorf("ENABLE_TOOL_SEARCH=%q: want auto, auto:N, true or false", v)
	}
}

func (m Mode) String() string {
	switch m.kind {
	case modeAlways:
		return "true"
	case modeNever:
		return "false"
	}
	if !m.byCount {
		return "auto:" + strconv.Itoa(m.percent)
	}
	return "auto"
}

// Defer reports whether defs should be deferred in a model with a context
// window of contextWindow tokens (unknown when <= 0: only the tool count
// decides).
func (m Mode) Defer(defs []Def, contextWindow int) bool {
	if !m.parsed {
		m, _ = ParseMode("")
	}
	switch m.kind {
	case modeAlways:
		return len(defs) > 0
	case modeNever:
		return false
	}
	if m.byCount && len(defs) > MaxTools {
		return true
	}
	if contextWindow <= 0 || len(defs) == 0 {
		return false
	}
	return Tokens(defs)*100 > contextWindow*m.percent
}

// ShouldDefer is the default mode's decision ([ParseMode] of "").
func ShouldDefer(defs []Def, contextWindow int) bool {
	m, _ := ParseMode("")
	return m.Defer(defs, contextWindow)
}

// apiTool is a definition as it goes into a request's tools array.
type apiTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
}

func (d Def) apiJSON() []byte {
	schema := d.Schema
	if len(schema) == 0 || !json.Valid(schema) {
		schema = json.RawMessage(`{"type":"object"}`)
	}
	// Not json.Marshal: it would escape <, > and & in descriptions, which
	// the API and the model read as they are.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(apiTool{d.Name, d.Description, schema})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Bytes is the size of defs as a request's tools array.
func Bytes(defs []Def) int {
	if len(defs) == 0 {
		return 0 // no tools, no array
	}
	n := 2 // [ ]
	for i, d := range defs {
		if i > 0 {
			n++
		}
		n += len(d.apiJSON())
	}
	return n
}

// Tokens estimates the tokens defs take, as ⌈bytes/4⌉ (the estimate the
// emulator and the compaction threshold use too).
func Tokens(defs []Def) int { return (Bytes(defs) + 3) / 4 }

// Summary limits.
const (
	// SummaryMaxBytes bounds the whole listing.
	SummaryMaxBytes = 16 << 10
	// lineMaxRunes bounds one tool's description in the listing.
	lineMaxRunes = 100
)

// Summary is the short listing of deferred tools for the system prompt:
// a sentence saying how to load them, then one line per tool, sorted by
// name so the cached prompt prefix does not change with the order servers
// started in, inside <available-deferred-tools> tags as Claude Code
// writes them. Each description is cut to its first line and 100
// characters; past SummaryMaxBytes the rest are listed by name, and past
// that counted.
func Summary(defs []Def) string {
	if len(defs) == 0 {
		return ""
	}
	sorted := slices.Clone(defs)
	slices.SortFunc(sorted, func(a, b Def) int { return strings.Compare(a.Name, b.Name) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d more tools are available but deferred: only their names are listed here. "+
		"Load one with ToolSearch (query \"select:NAME\", or keywords) before calling it.\n", len(sorted))
	sb.WriteString("<available-deferred-tools>\n")
	const closing = "</available-deferred-tools>\n"
	left := func() int { return SummaryMaxBytes - sb.Len() - len(closing) - 64 }
	for i, d := range sorted {
		line := d.Name
		if short := oneLine(d.Description); short != "" {
			line += ": " + short
		}
		if len(line)+1 > left() {
			line = d.Name
		}
		if len(line)+1 > left() {
			fmt.Fprintf(&sb, "… and %d more; find them with ToolSearch\n", len(sorted)-i)
			break
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	sb.WriteString(closing)
	return sb.String()
}

// oneLine is the first line of s, cut to lineMaxRunes at a word boundary.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if utf8.RuneCountInString(s) <= lineMaxRunes {
		return s
	}
	rs := []rune(s)[:lineMaxRunes]
	cut := string(rs)
	if i := strings.LastIndexByte(cut, ' '); i > lineMaxRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}
