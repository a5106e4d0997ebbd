package toolsearch

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Def is one tool's definition as the API takes it.
type Def struct {
	Name        string
	Description string
	// Schema is the JSON Schema of the input (tools[].input_schema).
	Schema json.RawMessage
}

// DefaultMax is how many tools a keyword search returns when the caller
// does not say, as Claude Code's ToolSearch does.
const DefaultMax = 5

// Index ranks deferred tools against a query. It is immutable once built
// and safe for concurrent use.
type Index struct {
	defs   []Def
	docs   []doc
	byName map[string]int
	df     map[string]int // documents containing each term
	avgLen float64
}

// doc is one tool's terms: the name's parts weigh more than the
// description's words, since a tool is usually found by what it is called.
type doc struct {
	name map[string]int
	desc map[string]int
	// all holds every term of name and description, for required terms
	// and prefix matches.
	all    []string
	length int
}

// Field weights and BM25 constants.
const (
	nameWeight = 3.0
	descWeight = 1.0
	k1         = 1.2
	b          = 0.75
	// prefixCredit is what a query term earns for being a prefix of a
	// tool's term ("list" of "listing") rather than equal to it.
	prefixCredit = 0.5
)

// New indexes defs. Later duplicates of a name are ignored: the first
// definition wins, as it would in the API's tools list.
func New(defs []Def) *Index {
	idx := &Index{byName: make(map[string]int, len(defs)), df: map[string]int{}}
	total := 0
	for _, d := range defs {
		if _, dup := idx.byName[d.Name]; dup {
			continue
		}
		idx.byName[d.Name] = len(idx.defs)
		idx.defs = append(idx.defs, d)
		dc := doc{name: counts(nameTerms(d.Name)), desc: counts(words(d.Description))}
		seen := map[string]bool{}
		for _, m := range []map[string]int{dc.name, dc.desc} {
			for t, n := range m {
				dc.length += n
				if !seen[t] {
					seen[t] = true
					idx.df[t]++
					dc.all = append(dc.all, t)
				}
			}
		}
		slices.Sort(dc.all)
		total += dc.length
		idx.docs = append(idx.docs, dc)
	}
	if len(idx.docs) > 0 {
		idx.avgLen = float64(total) / float64(len(idx.docs))
	}
	return idx
}

// Len is the number of indexed tools.
func (idx *Index) Len() int { return len(idx.defs) }

// Defs returns the indexed definitions in their original order.
func (idx *Index) Defs() []Def { return slices.Clone(idx.defs) }

// Lookup returns the definition called name.
func (idx *Index) Lookup(name string) (Def, bool) {
	i, ok := idx.byName[name]
	if !ok {
		return Def{}, false
	}
	return idx.defs[i], true
}

// Search returns the tools that answer query, best first:
//   - "select:A,B" returns exactly the named tools that exist, in the
//     order given (a name matches case-insensitively when no exact one
//     does), however many there are;
//   - otherwise the query is keywords, ranked against each tool's name
//     (split on "__", "_", "-", "." and camelCase) and description with
//     BM25, the name weighing more. A keyword written "+term" is
//     required: only tools whose name or description has it are ranked.
//     A query that is exactly a tool's name returns that tool first.
//
// At most max tools are returned (DefaultMax when max <= 0). Ties break
// by name, so the order is deterministic.
func (idx *Index) Search(query string, max int) []Def {
	if max <= 0 {
		max = DefaultMax
	}
	q := strings.TrimSpace(query)
	if rest, ok := cutPrefixFold(q, "select:"); ok {
		return idx.selectNames(rest)
	}
	var required, optional []string
	for _, f := range strings.Fields(q) {
		if t, ok := strings.CutPrefix(f, "+"); ok {
			required = append(required, nameTerms(t)...)
		} else {
			optional = append(optional, nameTerms(f)...)
		}
	}
	terms := append(slices.Clone(required), optional...)
	if len(terms) == 0 {
		return nil
	}
	type hit struct {
		i     int
		score float64
	}
	var hits []hit
	for i, d := range idx.docs {
		if !hasAll(d, required) {
			continue
		}
		s := idx.score(d, terms)
		if idx.defs[i].Name == q {
			s += 1000 // the model typed the name itself
		}
		if s > 0 {
			hits = append(hits, hit{i, s})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(idx.defs[a.i].Name, idx.defs[b.i].Name)
	})
	out := make([]Def, 0, min(max, len(hits)))
	for _, h := range hits[:min(max, len(hits))] {
		out = append(out, idx.defs[h.i])
	}
	return out
}

func (idx *Index) selectNames(list string) []Def {
	var out []Def
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		i, ok := idx.byName[n]
		if !ok {
			i, ok = idx.foldLookup(n)
		}
		if !ok || seen[idx.defs[i].Name] {
			continue
		}
		seen[idx.defs[i].Name] = true
		out = append(out, idx.defs[i])
	}
	return out
}

func (idx *Index) foldLookup(name string) (int, bool) {
	for i, d := range idx.defs {
		if strings.EqualFold(d.Name, name) {
			return i, true
		}
	}
	return 0, false
}

// score is BM25 over the weighted name and description counts, with
// partial credit for a query term that is a prefix of a tool's term.
func (idx *Index) score(d doc, terms []string) float64 {
	n := float64(len(idx.docs))
	norm := k1 * (1 - b + b*float64(d.length)/max(idx.avgLen, 1))
	var s float64
	for _, t := range terms {
		tf := nameWeight*float64(d.name[t]) + descWeight*float64(d.desc[t])
		df := idx.df[t]
		if tf == 0 && len(t) >= 3 {
			// Prefix credit, scored with the rarest term it prefixes.
			for _, u := range d.all {
				if len(u) > len(t) && strings.HasPrefix(u, t) {
					ptf := prefixCredit * (nameWeight*float64(d.name[u]) + descWeight*float64(d.desc[u]))
					if ptf > tf {
						tf, df = ptf, idx.df[u]
					}
				}
			}
		}
		if tf == 0 {
			continue
		}
		idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		s += idf * tf * (k1 + 1) / (tf + norm)
	}
	return s
}

func hasAll(d doc, required []string) bool {
	for _, t := range required {
		if _, ok := slices.BinarySearch(d.all, t); !ok {
			return false
		}
	}
	return true
}

func counts(terms []string) map[string]int {
	m := make(map[string]int, len(terms))
	for _, t := range terms {
		m[t]++
	}
	return m
}

// nameTerms splits a tool name (or a query word) into lowercase terms:
// on every character that is not a letter or digit, and at camelCase
// boundaries ("getHTTPResponse" → get, http, response).
func nameTerms(s string) []string {
	var out []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start >= 0 && i > 0 && camelBoundary(rs, i) {
			flush(i)
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(rs))
	return out
}

// camelBoundary reports whether a new word starts at rs[i]: a lower-case
// letter or digit before an upper-case one ("getUser"), or the last upper
// of a run before a lower ("HTTPResponse" at "R").
func camelBoundary(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	if unicode.IsUpper(cur) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
		return true
	}
	return unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
}

// stopWords carry no meaning for choosing a tool.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "be": true, "by": true,
	"for": true, "from": true, "in": true, "is": true, "it": true, "of": true, "on": true,
	"or": true, "the": true, "this": true, "that": true, "to": true, "with": true,
}

// words splits a description into lowercase terms without stop words.
func words(s string) []string {
	var out []string
	for _, w := range nameTerms(s) {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
