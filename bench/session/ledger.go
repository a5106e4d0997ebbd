package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
)

// ledgerRecord is the part of an emulator ledger line (DESIGN.md §7) the
// report uses.
type ledgerRecord struct {
	Time                     time.Time `json:"time"`
	Method                   string    `json:"method"`
	Path                     string    `json:"path"`
	Operation                string    `json:"operation"`
	Model                    string    `json:"model"`
	Status                   int       `json:"status"`
	ErrorType                string    `json:"error_type"`
	MaxTokens                int       `json:"max_tokens"`
	Breakpoints              int       `json:"breakpoints"`
	TTLs                     []string  `json:"ttls"`
	InputTokens              int       `json:"input_tokens"`
	CacheCreationInputTokens int       `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int       `json:"cache_read_input_tokens"`
	OutputTokens             int       `json:"output_tokens"`
	RequestBytes             int       `json:"request_bytes"`
}

// kind sorts requests by what the client sent them for.
type kind int

const (
	// kindMain is a main-model turn: the request carries tools the model
	// may call. The emulator's scenario answers it with turn k.
	kindMain kind = iota
	// kindSide is any other Invoke: titles, summaries, classifiers.
	kindSide
	// kindCheck is an access check: max_tokens 1 (Claude Code asks every
	// model it may offer whether it answers, at start-up).
	kindCheck
	// kindControl is everything that is not an Invoke: inference-profile
	// listings, CountTokens.
	kindControl
)

// request is one ledger line joined with the body the proxy captured.
type request struct {
	ledgerRecord
	kind   kind
	blocks []block // nil when the body is unknown or not a Messages request
	tools  int
	// sentBefore and readLater are P_i and W_i of the ideal (ideal.go).
	sentBefore, readLater int
}

func (r request) invoke() bool {
	return r.Operation == "InvokeModel" || r.Operation == "InvokeModelWithResponseStream"
}

func (r request) ok() bool { return r.Status == 200 }

// promptTokens is the request's whole input as the emulator billed it.
func (r request) promptTokens() int {
	return r.InputTokens + r.CacheCreationInputTokens + r.CacheReadInputTokens
}

// usage is the request's billed tokens. The ledger gives the cache writes
// as one number; they are 5-minute writes unless every breakpoint of the
// request asked for the 1-hour TTL (neither client mixes TTLs by default).
func (r request) usage() cost.Usage {
	u := cost.Usage{InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, CacheRead: r.CacheReadInputTokens}
	if len(r.TTLs) > 0 && !slices.Contains(r.TTLs, "5m") {
		u.CacheWrite1h = r.CacheCreationInputTokens
	} else {
		u.CacheWrite5m = r.CacheCreationInputTokens
	}
	return u
}

// catalogModel is the catalog's entry for the request's model ID, nil
// when the catalog does not know it (its cost is then unknown).
func (r request) catalogModel() *model.Model {
	m, ok := model.Lookup(r.Model)
	if !ok {
		return nil
	}
	return m
}

// loadRequests reads DIR/ledger.jsonl and, when present, the proxy's
// DIR/requests.jsonl, and joins them on method, path and body size. Both
// are in arrival order; requests that arrive together (Claude Code's
// parallel access checks) may be logged in a different order by the two,
// so each ledger line takes the first unclaimed capture with the same key.
func loadRequests(dir string) ([]request, bool, error) {
	var recs []ledgerRecord
	if err := readLines(filepath.Join(dir, "ledger.jsonl"), func(line []byte) error {
		var r ledgerRecord
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		recs = append(recs, r)
		return nil
	}); err != nil {
		return nil, false, err
	}

	captures := map[string][]captured{}
	havePrompts := true
	err := readLines(filepath.Join(dir, "requests.jsonl"), func(line []byte) error {
		var c captured
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		key := fmt.Sprintf("%s %s %d", c.Method, c.Path, c.Bytes)
		captures[key] = append(captures[key], c)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		havePrompts = false
	} else if err != nil {
		return nil, false, err
	}

	reqs := make([]request, 0, len(recs))
	for _, rec := range recs {
		r := request{ledgerRecord: rec}
		var body []byte
		key := fmt.Sprintf("%s %s %d", rec.Method, rec.Path, rec.RequestBytes)
		if cs := captures[key]; len(cs) > 0 {
			body = []byte(cs[0].Body)
			captures[key] = cs[1:]
		} else if havePrompts {
			return nil, false, fmt.Errorf("%s: ledger line %s at %s has no captured body", dir, key, rec.Time.Format(time.RFC3339Nano))
		}
		r.classify(body)
		reqs = append(reqs, r)
	}
	return reqs, havePrompts, nil
}

// classify sets kind, and blocks for an Invoke whose body is known.
func (r *request) classify(body []byte) {
	if !r.invoke() {
		r.kind = kindControl
		return
	}
	var b struct {
		MaxTokens  int               `json:"max_tokens"`
		Tools      []json.RawMessage `json:"tools"`
		ToolChoice struct {
			Type string `json:"type"`
		} `json:"tool_choice"`
	}
	if body == nil || json.Unmarshal(body, &b) != nil {
		// Without the body, the ledger's max_tokens still tells an
		// access check; anything else is taken for a main turn.
		if r.MaxTokens == 1 {
			r.kind = kindCheck
		}
		return
	}
	r.tools = len(b.Tools)
	switch {
	case b.MaxTokens == 1:
		r.kind = kindCheck
	case len(b.Tools) > 0 && b.ToolChoice.Type != "none":
		r.kind = kindMain
	default:
		r.kind = kindSide
	}
	if bs, err := blocks(body); err == nil {
		r.blocks = bs
	}
}

// readLines calls fn with each non-empty line of path.
func readLines(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20) // a captured body is one line
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

// readText is the trimmed content of DIR/NAME, "" when absent.
func readText(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
