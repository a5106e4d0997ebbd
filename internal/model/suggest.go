package model

import (
	"cmp"
	"github.com/basalt-dev/basalt/internal/editdist"
	"slices"
	"strings"
)

// maxSuggestions keeps "did you mean" short enough to read.
const maxSuggestions = 3

// maxNameLen bounds the names suggest compares, and how much of a value
// an error message repeats.
const maxNameLen = 200

// suggest returns the catalog names closest to value, written the way
// value is written: a bare word gets aliases, "claude-…" gets API IDs,
// "anthropic.…" foundation IDs and "<geo>.anthropic.…" profile IDs with
// the same prefix. A [1m] on value is kept on each suggestion.
func suggest(value string) []string {
	bare, long := stripLongContext(strings.ToLower(value))
	kind := classify(bare)
	geo := ""
	norm := bare
	switch kind {
	case kindProfile:
		geo, norm, _ = strings.Cut(bare, ".")
		norm, _ = foundationToAPI(norm)
	case kindFoundation:
		norm, _ = foundationToAPI(bare)
	}
	// No model name is this long; skip the quadratic distance work.
	if norm == "" || len(norm) > maxNameLen {
		return nil
	}
	// "opus-4-6" and "sonnet-4-5" are API IDs without their "claude-".
	if kind == kindOther && strings.Contains(norm, "-") && !strings.HasPrefix(norm, "claude") {
		norm = "claude-" + norm
	}

	type cand struct {
		text string
		dist int
		rank int
	}
	var cands []cand
	add := func(text string, dist, rank int) {
		if long {
			text += LongContextSuffix
		}
		if i := slices.IndexFunc(cands, func(c cand) bool { return c.text == text }); i >= 0 {
			if dist < cands[i].dist {
				cands[i].dist = dist
			}
			return
		}
		cands = append(cands, cand{text, dist, rank})
	}
	near := func(name string) (int, bool) {
		d := editdist.Levenshtein(norm, name)
		limit := max(2, len(name)/5)
		if d <= limit {
			return d, true
		}
		// "claude-sonnet" or "opus-4" name a model without its version.
		if len(norm) >= 4 && (strings.HasPrefix(name, norm) || strings.HasPrefix(norm, name)) {
			return limit + 1, true
		}
		return 0, false
	}

	if !strings.Contains(norm, "-") {
		for i, f := range Families {
			if d, ok := near(string(f)); ok {
				add(string(f), d, i)
			}
		}
	}
	for i := range catalog {
		m := &catalog[i]
		names := append([]string{m.APIID}, m.APIAliases...)
		if api, ok := foundationToAPI(m.FoundationID); ok {
			names = append(names, api)
		}
		best, found := 0, false
		for _, n := range names {
			if d, ok := near(n); ok && (!found || d < best) {
				best, found = d, true
			}
		}
		if !found {
			continue
		}
		rank := len(Families) + i
		switch kind {
		case kindProfile:
			add(geo+"."+m.FoundationID, best, rank)
		case kindFoundation:
			add(m.FoundationID, best, rank)
		default:
			add(m.APIID, best, rank)
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.rank, b.rank))
	})
	// Only the closest: "sonet" means sonnet, not every Sonnet ID too.
	out := make([]string, 0, maxSuggestions)
	for _, c := range cands {
		if c.dist > cands[0].dist || len(out) == maxSuggestions {
			break
		}
		out = append(out, c.text)
	}
	return out
}
