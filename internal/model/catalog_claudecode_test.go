package model

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// notInCatalog are the models of Claude Code 2.1.197's catalog that basalt
// leaves out, with the reason.
var notInCatalog = map[string]string{
	"claude-3-5-sonnet": "retired on Bedrock; Claude Code keeps it for old configurations",
}

// alwaysThinksBeyondClaudeCode are models basalt treats as always thinking
// though Claude Code's catalog does not mark rejects_disabled_thinking.
var alwaysThinksBeyondClaudeCode = map[string]string{
	"claude-mythos-5": "the same underlying model as Fable 5 (Claude Code's Fable 5 system text)",
}

// TestCatalogMatchesClaudeCode checks every model Claude Code 2.1.197
// knows against basalt's catalog: Bedrock ID, window, efforts, default
// effort and max_tokens, maximum output and price (testdata/claude-code/
// catalog-2.1.197.json, docs/models.md "CC-BIN").
func TestCatalogMatchesClaudeCode(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/claude-code/catalog-2.1.197.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cache struct {
			Write5m float64 `json:"write_5m"`
			Write1h float64 `json:"write_1h"`
			Read    float64 `json:"read"`
		} `json:"cache_multipliers"`
		Models []struct {
			ID, Bedrock      string
			Window           int
			Native1M         bool `json:"native_1m"`
			Beta1M           bool `json:"supports_1m_beta"`
			Effort           bool
			MaxEffort        bool    `json:"max_effort"`
			XHighEffort      bool    `json:"xhigh_effort"`
			Adaptive         bool    `json:"adaptive_thinking"`
			Rejects          bool    `json:"rejects_disabled_thinking"`
			DefaultEffort    string  `json:"default_effort"`
			DefaultMaxTokens int     `json:"default_max_tokens"`
			MaxOutput        int     `json:"max_output"`
			PriceIn          float64 `json:"price_in"`
			PriceOut         float64 `json:"price_out"`
		}
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Models) < 16 {
		t.Fatalf("%d models in the golden; want Claude Code's 16", len(golden.Models))
	}
	for _, g := range golden.Models {
		t.Run(g.ID, func(t *testing.T) {
			t.Parallel()
			m, ok := Lookup(g.Bedrock)
			if _, skip := notInCatalog[g.ID]; skip {
				if ok {
					t.Errorf("%s is in the catalog; drop it from notInCatalog", g.ID)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%s): not in the catalog", g.Bedrock)
			}
			if want := strings.TrimPrefix(g.Bedrock, "us."); m.FoundationID != want {
				t.Errorf("foundation ID %s, Claude Code %s", m.FoundationID, want)
			}
			switch {
			case g.Native1M && (m.ContextWindow != LongContextTokens || m.LongContextBeta != ""):
				t.Errorf("window %d (beta %q); Claude Code: 1M native", m.ContextWindow, m.LongContextBeta)
			case !g.Native1M && m.ContextWindow != g.Window:
				t.Errorf("window %d; Claude Code %d", m.ContextWindow, g.Window)
			case !g.Native1M && g.Beta1M != (m.LongContextBeta != ""):
				t.Errorf("1M beta %q; Claude Code supports_1m_beta %v", m.LongContextBeta, g.Beta1M)
			}
			if got := len(m.Efforts) > 0; got != g.Effort {
				t.Errorf("takes effort %v (%v); Claude Code %v", got, m.Efforts, g.Effort)
			}
			if got := slices.Contains(m.Efforts, "max"); got != g.MaxEffort {
				t.Errorf("max effort %v; Claude Code %v", got, g.MaxEffort)
			}
			if got := slices.Contains(m.Efforts, "xhigh"); got != g.XHighEffort {
				t.Errorf("xhigh effort %v; Claude Code %v", got, g.XHighEffort)
			}
			if m.Adaptive != g.Adaptive {
				t.Errorf("adaptive %v; Claude Code %v", m.Adaptive, g.Adaptive)
			}
			if _, ok := alwaysThinksBeyondClaudeCode[g.ID]; m.AlwaysThinks != g.Rejects && !ok {
				t.Errorf("always thinks %v; Claude Code rejects_disabled_thinking %v", m.AlwaysThinks, g.Rejects)
			}
			want := g.DefaultEffort
			if want == "" && g.Effort {
				want = "high"
			}
			if got := m.EffortDefault(); got != want {
				t.Errorf("default effort %q; Claude Code %q", got, want)
			}
			if m.DefaultMaxTokens != g.DefaultMaxTokens || m.MaxOutput != g.MaxOutput {
				t.Errorf("max_tokens default %d, maximum %d; Claude Code %d, %d", m.DefaultMaxTokens, m.MaxOutput, g.DefaultMaxTokens, g.MaxOutput)
			}
			p := m.GlobalPrice
			if !m.PricesKnown || p.Input != g.PriceIn || p.Output != g.PriceOut {
				t.Errorf("price %v/%v (known %v); Claude Code %v/%v", p.Input, p.Output, m.PricesKnown, g.PriceIn, g.PriceOut)
			}
			for _, c := range []struct {
				name      string
				got, mult float64
			}{{"5m write", p.CacheWrite5m, golden.Cache.Write5m}, {"1h write", p.CacheWrite1h, golden.Cache.Write1h}, {"read", p.CacheRead, golden.Cache.Read}} {
				if math.Abs(c.got-p.Input*c.mult) > 1e-9 {
					t.Errorf("cache %s %v; Claude Code %v × %v", c.name, c.got, p.Input, c.mult)
				}
			}
		})
	}
}
