package main

import (
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
)

// The caching ideal of a run, computed the same way for every client.
//
// For each successful Invoke i of the run, with T_i its prompt tokens and
// O_i its output tokens, in the emulator's blocks and tokens (blocks.go):
//
//   - P_i, already sent: the longest block prefix that request i shares
//     with any earlier successful Invoke of the same model in the run; 0
//     when that is shorter than the model's minimum cacheable length,
//     since such a prefix can never be cached.
//   - W_i, needed later: the longest block prefix that request i shares
//     with any later successful Invoke of the same model (0 below the
//     minimum), minus P_i, and never below 0.
//   - ideal_i: the price of P_i cache-read tokens, W_i 5-minute
//     cache-write tokens, T_i − P_i − W_i uncached tokens and O_i output
//     tokens, for the model and profile the request went to.
//
// So the ideal client reads from the cache every token it has already
// sent, writes exactly the tokens that a later request will read, and
// pays the plain input price for the rest. It is the cheapest way to send
// the same requests; it ignores the 4-breakpoint limit and the 20-block
// lookback, which a careful client can live with. The ideal only changes
// how the prompt is billed, never what is sent: a client that sends more
// (a larger system prompt, more tools, start-up checks) has a larger ideal
// too.
//
// "cost ÷ ideal" is the run's actual cost over Σ ideal_i. The target
// "≥ 0.99 of the caching ideal" means ideal ÷ cost ≥ 0.99, that is
// cost ÷ ideal ≤ 1/0.99 ≈ 1.0101. Alongside it, "cache reads ÷ already
// sent" is Σ cache_read_i ÷ Σ P_i: the token measure internal/agent's
// TestCacheReadsWhatWasWritten uses.

// idealOf returns the ideal cost of reqs, the Σ P_i tokens already sent,
// and how many requests the block split counted differently from the
// ledger (it should be none; see blocks). It sets each request's P_i and
// W_i for the request listing.
func idealOf(reqs []request) (ideal cost.Cost, alreadySent, mismatches int) {
	ideal.Known = true
	var idx []int
	for i, r := range reqs {
		if r.invoke() && r.ok() {
			idx = append(idx, i)
		}
	}
	for a, i := range idx {
		r := reqs[i]
		m := r.catalogModel()
		if r.blocks == nil {
			// No body: bill it as it was, which is neither better nor
			// worse than ideal, and say so through mismatches.
			mismatches++
			ideal = ideal.Add(cost.Of(m, r.Model, r.usage()))
			continue
		}
		if totalTokens(r.blocks) != r.promptTokens() {
			mismatches++
		}
		minimum := minCache(m)
		var p, w int
		for b, j := range idx {
			o := reqs[j]
			if b == a || o.blocks == nil || !sameModel(r, o) {
				continue
			}
			s := sharedTokens(r.blocks, o.blocks)
			if s < minimum {
				continue
			}
			if b < a {
				p = max(p, s)
			} else {
				w = max(w, s)
			}
		}
		w = max(0, w-p)
		t := r.promptTokens()
		u := cost.Usage{
			InputTokens:  max(0, t-p-w),
			CacheRead:    p,
			CacheWrite5m: w,
			OutputTokens: r.OutputTokens,
		}
		alreadySent += p
		reqs[i].sentBefore, reqs[i].readLater = p, w
		ideal = ideal.Add(cost.Of(m, r.Model, u))
	}
	return ideal, alreadySent, mismatches
}

// sameModel reports whether a and b reach the same cache. The emulator
// keeps one cache per model, whatever profile (global., us., …) names it.
func sameModel(a, b request) bool {
	ma, mb := a.catalogModel(), b.catalogModel()
	if ma != nil && mb != nil {
		return ma == mb
	}
	return a.Model == b.Model
}

// minCache is the model's minimum cacheable prompt length; 1,024 (the
// emulator's value for models it does not know) when the catalog does not
// know the model.
func minCache(m *model.Model) int {
	if m == nil || m.MinCacheTokens == 0 {
		return 1024
	}
	return m.MinCacheTokens
}
