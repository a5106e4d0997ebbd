package model

import "slices"

// Family is a model line: the word the aliases use.
type Family string

// The families basalt knows. Each is also an alias (DESIGN.md §5).
const (
	Opus   Family = "opus"
	Sonnet Family = "sonnet"
	Haiku  Family = "haiku"
)

// Families lists the families in the order the catalog uses.
var Families = []Family{Fable, Opus, Sonnet, Haiku}

// Price is what one million tokens of each kind cost, in US dollars.
type Price struct {
	Input        float64
	Output       float64
	CacheWrite5m float64 // 1.25 × Input
	CacheWrite1h float64 // 2 × Input
	CacheRead    float64 // 0.1 × Input
}

// Model is one Claude model as Bedrock and the Anthropic API know it.
// Values returned by [Lookup] point into the catalog and must be treated
// as read-only.
type Model struct {
	Name   string // "Claude Sonnet 4.6"
	Family Family

	// FoundationID is the Bedrock foundation-model ID. A system inference
	// profile's ID is a geo prefix, a dot and this ID.
	FoundationID string
	// APIID is the Anthropic API's ID; dated where Anthropic dates it, so
	// that choosing it pins the snapshot.
	APIID string
	// APIAliases are other first-party names of the same model
	// ("claude-haiku-4-5" for "claude-haiku-4-5-20251001").
	APIAliases []string
	// Geos are the inference-profile prefixes that exist for the model:
	// "global", "us", "eu", "apac", "jp", "au", "us-gov".
	Geos []string

	ContextWindow int // input tokens without the [1m] option
	// LongContext is 1,000,000 when the model has a 1M-token window,
	// natively or through LongContextBeta, else 0.
	LongContext int
	// LongContextBeta is the anthropic_beta value that opens the 1M window
	// ("" when the window is native or absent).
	LongContextBeta string
	MaxOutput       int
	// MinCacheTokens is the shortest prefix Bedrock caches; a shorter one
	// is silently not cached (reference §7).
	MinCacheTokens int
	Cache1H        bool // the 1-hour cache TTL is available on Bedrock
	Thinking       bool // extended thinking is supported
	// AdaptiveThinkingOnly is set where the model refuses
	// thinking.type "enabled" with budget_tokens (400) and accepts only
	// "adaptive", so MAX_THINKING_TOKENS cannot be sent as a budget.
	AdaptiveThinkingOnly bool
	// Adaptive is set where the model accepts thinking.type "adaptive"
	// (Claude Code sends it, with output_config.effort, on these models).
	Adaptive bool
	// AlwaysThinks is set where thinking cannot be turned off on Bedrock
	// (the model card: "adaptive thinking is always on and cannot be
	// disabled"); CLAUDE_CODE_DISABLE_THINKING and alwaysThinkingEnabled
	// false then change nothing and basalt says so.
	AlwaysThinks bool
	// Efforts are the output_config.effort levels the model accepts,
	// lowest first; empty where the model takes no effort parameter.
	Efforts []string
	// DefaultEffort is the level sent when the user set none: Claude
	// Code's default_effort for the model (CC-BIN), "" for "high", which
	// Claude Code sends to every other model that takes effort
	// (docs/models.md).
	DefaultEffort string
	// DefaultMaxTokens is the max_tokens Claude Code sends the model by
	// default (CC-BIN's per-model output defaults); basalt sends it when
	// thinking is on and CLAUDE_CODE_MAX_OUTPUT_TOKENS is not set, since
	// thinking counts against max_tokens. 0: basalt's own default.
	DefaultMaxTokens int
	// Gated, when set, says who may use the model; an access-denied
	// error repeats it, since no IAM policy fixes that.
	Gated string

	// PricesKnown is false when basalt has no price it trusts; cost then
	// reports "unknown" instead of a guess (DESIGN.md §6).
	PricesKnown bool
	// GlobalPrice applies to global. profiles and to the Anthropic API.
	GlobalPrice Price
	// RegionalPrice applies to geo profiles (us., eu., …) and in-region
	// calls: a 10% premium from Sonnet 4.5, Haiku 4.5 and Opus 4.5 on,
	// equal to GlobalPrice for older models (reference §8).
	RegionalPrice Price
	// LongContextPrice replaces GlobalPrice for a whole request whose input
	// exceeds 200K tokens, where such a price is documented; nil otherwise.
	LongContextPrice *Price

	// Deprecation, when set, is shown as a notice whenever the model is
	// resolved: Anthropic has deprecated or retired it somewhere.
	Deprecation string
}

// HasGeo reports whether a system inference profile with the prefix geo
// exists for m.
func (m *Model) HasGeo(geo string) bool { return slices.Contains(m.Geos, geo) }

// ProfileIDFor is the system inference-profile ID of m for geo, whether or
// not it exists; [ProfileID] picks one that does.
func (m *Model) ProfileIDFor(geo string) string { return geo + "." + m.FoundationID }

// current is the model each alias means when ANTHROPIC_DEFAULT_*_MODEL is
// not set. It changes only with a basalt release, never on its own
// (DESIGN.md §4; peers.md §3 complaint 12, silent upgrades billed at Opus
// rates).
//
// opus means Opus 4.6, not the newer Opus 4.7, 4.8 or 5: it is what the
// opus alias meant on Bedrock in Claude Code until v2.1.207 (reference §9)
// and still means on Bedrock in Anthropic's model-config page, the version
// the seed documents pin (ANTHROPIC_DEFAULT_OPUS_MODEL=us.anthropic.claude-opus-4-6-v1),
// and the newest Opus whose profiles (global, us, eu, jp, apac), cache
// minimum and thinking budget are all documented. Opus 4.7 and later
// refuse budget_tokens thinking, so moving the alias there would change
// behaviour, not only price. They stay one explicit ID away.
var current = map[Family]string{
	Opus:   "anthropic.claude-opus-4-6-v1",
	Sonnet: "anthropic.claude-sonnet-4-6",
	Haiku:  "anthropic.claude-haiku-4-5-20251001-v1:0",
	// fable means Fable 5, as in the Claude Code release this catalog
	// follows (2.1.197) and in its gateway sessions today; its newer docs
	// move fable to Fable 5.2 elsewhere, but 5.2's price is not in our
	// sources, and basalt never moves an alias to a model whose cost it
	// cannot show (docs/models.md).
	Fable: "anthropic.claude-fable-5",
}

// Current returns the catalog model an alias means by default.
func Current(f Family) (*Model, bool) {
	id, ok := current[f]
	if !ok {
		return nil, false
	}
	return Lookup(id)
}

// Catalog returns every model basalt knows: Fable, Opus, Sonnet, then Haiku,
// newest first within each family. The slice is a copy.
func Catalog() []Model {
	out := make([]Model, len(catalog))
	for i, m := range catalog {
		m.APIAliases = slices.Clone(m.APIAliases)
		m.Geos = slices.Clone(m.Geos)
		m.Efforts = slices.Clone(m.Efforts)
		if m.LongContextPrice != nil {
			p := *m.LongContextPrice
			m.LongContextPrice = &p
		}
		out[i] = m
	}
	return out
}

// Prices per million tokens (reference §8). Bedrock's pricing page is not
// in our sources: global cells equal Anthropic's first-party list prices
// (consistent across third-party write-ups), regional cells add the
// documented 10%, and 1-hour writes are 2 × input. Treat every cell as
// derived.
var (
	opus45Global    = Price{Input: 5, Output: 25, CacheWrite5m: 6.25, CacheWrite1h: 10, CacheRead: 0.50}
	opus45Regional  = Price{Input: 5.50, Output: 27.50, CacheWrite5m: 6.875, CacheWrite1h: 11, CacheRead: 0.55}
	opus4           = Price{Input: 15, Output: 75, CacheWrite5m: 18.75, CacheWrite1h: 30, CacheRead: 1.50}
	sonnetGlobal    = Price{Input: 3, Output: 15, CacheWrite5m: 3.75, CacheWrite1h: 6, CacheRead: 0.30}
	sonnetRegional  = Price{Input: 3.30, Output: 16.50, CacheWrite5m: 4.125, CacheWrite1h: 6.60, CacheRead: 0.33}
	haiku45Global   = Price{Input: 1, Output: 5, CacheWrite5m: 1.25, CacheWrite1h: 2, CacheRead: 0.10}
	haiku45Regional = Price{Input: 1.10, Output: 5.50, CacheWrite5m: 1.375, CacheWrite1h: 2.20, CacheRead: 0.11}
	// Haiku 3.5's 1-hour write is derived (2 × 0.80); it has no 1-hour TTL
	// on Bedrock anyway.
	haiku35 = Price{Input: 0.80, Output: 4, CacheWrite5m: 1, CacheWrite1h: 1.60, CacheRead: 0.08}
	// Anthropic documents $6 / $22.50 for Sonnet 4 and 4.5 with
	// context-1m when input exceeds 200K, caching multipliers on top.
	// Bedrock's own row is not in our sources [?].
	sonnetLong = Price{Input: 6, Output: 22.50, CacheWrite5m: 7.50, CacheWrite1h: 12, CacheRead: 0.60}
)

// Effort level sets (Anthropic's effort page, docs/models.md): every model
// that takes effort accepts low, medium and high; xhigh and max only where
// the page lists them.
var (
	effortsMax = []string{"low", "medium", "high", "max"}
	effortsAll = []string{"low", "medium", "high", "xhigh", "max"}
)

// Prices of the lines above Opus and of Sonnet 5 (docs/models.md). Fable 5
// and 5.1: $10 / $50 list; Sonnet 5: $3 / $15 since 1 September 2026 (the
// launch price of $2 / $10 ran until 31 August). Regional cells add the
// 10% Bedrock documents for models from the 4.5 generation on; cache cells
// use the fixed multipliers (1.25×, 2×, 0.1×).
var (
	fableGlobal   = Price{Input: 10, Output: 50, CacheWrite5m: 12.50, CacheWrite1h: 20, CacheRead: 1}
	fableRegional = Price{Input: 11, Output: 55, CacheWrite5m: 13.75, CacheWrite1h: 22, CacheRead: 1.10}
)

const (
	beta1M   = "context-1m-2025-08-07"
	window1M = LongContextTokens
)

// catalog is the data table. Sources: reference §6.1 (IDs and profiles,
// from Anthropic's "Claude on Amazon Bedrock" page), §7 (cache minimums,
// 1-hour TTL), §8 (prices); maximum output and context windows from AWS
// Bedrock model cards and Anthropic's model pages, as noted. Profiles
// that no source lists are left out: an absent geo makes basalt fall back
// to global, which works, while a listed geo that does not exist fails at
// Bedrock. Uncertain values carry [?].
var catalog = []Model{
	{
		// AWS model card (model-card-anthropic-claude-fable-5-2): 1M
		// context, 128K output, adaptive thinking always on, effort low…max.
		// Profiles us and global: the AI SDK's Bedrock provider lists
		// us.anthropic.claude-fable-5-2 and Bedrock clients route non-US
		// regions to global. Price and cache minimum not found.
		Name: "Claude Fable 5.2", Family: Fable,
		DefaultMaxTokens: 64_000, // [?] as Fable 5 (CC-BIN does not know 5.2)
		FoundationID:     "anthropic.claude-fable-5-2", APIID: "claude-fable-5-2",
		Geos:          []string{"global", "us"},
		ContextWindow: window1M, LongContext: window1M, MaxOutput: 128_000,
		MinCacheTokens: 1024, Cache1H: true, // [?] as Fable 5
		Thinking: true, AdaptiveThinkingOnly: true, Adaptive: true, AlwaysThinks: true, Efforts: effortsAll,
	},
	{
		// AWS model card (model-card-anthropic-claude-fable-5-1): 1M, 128K,
		// adaptive always on, effort low…max, default high. Profiles and
		// cache minimum [?] as Fable 5; $10 / $50 from a reseller's list
		// that quotes Anthropic's rates [?].
		Name: "Claude Fable 5.1", Family: Fable,
		DefaultMaxTokens: 64_000, // [?] as Fable 5 (CC-BIN does not know 5.1)
		FoundationID:     "anthropic.claude-fable-5-1", APIID: "claude-fable-5-1",
		Geos:          []string{"global", "us", "eu"},
		ContextWindow: window1M, LongContext: window1M, MaxOutput: 128_000,
		MinCacheTokens: 1024, Cache1H: true,
		Thinking: true, AdaptiveThinkingOnly: true, Adaptive: true, AlwaysThinks: true, Efforts: effortsAll,
		PricesKnown: true, GlobalPrice: fableGlobal, RegionalPrice: fableRegional,
	},
	{
		// AWS model card (model-card-anthropic-claude-fable-5): 1M context,
		// 128K output, 1,024-token cache minimum, 5-minute and 1-hour TTLs,
		// adaptive thinking always on. $10 / $50 (Anthropic's list, quoted
		// by every write-up). Profiles global, us, eu: the ones clients
		// list for it [?].
		Name: "Claude Fable 5", Family: Fable,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-fable-5", APIID: "claude-fable-5",
		Geos:          []string{"global", "us", "eu"},
		ContextWindow: window1M, LongContext: window1M, MaxOutput: 128_000,
		MinCacheTokens: 1024, Cache1H: true,
		Thinking: true, AdaptiveThinkingOnly: true, Adaptive: true, AlwaysThinks: true, Efforts: effortsAll,
		PricesKnown: true, GlobalPrice: fableGlobal, RegionalPrice: fableRegional,
	},
	{
		// CC-BIN: Claude Code 2.1.197's model table knows Mythos 5
		// (us.anthropic.claude-mythos-5 on Bedrock, anthropic.claude-mythos-5
		// on Mantle; 64K default and 128K maximum output; xhigh effort;
		// $10 / $50), though its catalog entry has no Bedrock ID and no
		// alias names it. Its Fable 5 system text calls Mythos 5 the same
		// underlying model as Fable 5, offered only to approved
		// organisations: so Fable 5's cache, thinking and efforts (Claude
		// Code was recorded sending it adaptive thinking and effort high),
		// and the us profile alone (the only one CC-BIN names).
		Name: "Claude Mythos 5", Family: Fable,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-mythos-5", APIID: "claude-mythos-5",
		Geos: []string{"us"},
		// 200K: CC-BIN gives Mythos 5 no 1M window, and a window too small
		// only compacts early where one too large fails the request.
		ContextWindow: 200_000, MaxOutput: 128_000,
		MinCacheTokens: 1024, Cache1H: true, // [?] as Fable 5
		Thinking: true, AdaptiveThinkingOnly: true, Adaptive: true, AlwaysThinks: true, Efforts: effortsAll,
		PricesKnown: true, GlobalPrice: fableGlobal, RegionalPrice: fableRegional,
		Gated: "Claude Mythos 5 is available only to organisations Anthropic has approved for it; ask your AWS account team, or use Claude Fable 5 (the same underlying model)",
	},
	{
		Name: "Claude Opus 5", Family: Opus,
		DefaultMaxTokens: 64_000, // [?] as Opus 4.8 (CC-BIN does not know Opus 5)
		FoundationID:     "anthropic.claude-opus-5", APIID: "claude-opus-5",
		// [?] No source lists Opus 5's profiles; global, us and eu are the
		// ones every model since Opus 4.5 has.
		Geos:          []string{"global", "us", "eu"},
		ContextWindow: window1M, LongContext: window1M,
		// [?] Opus 5's limits are not in our sources: Opus 4.7's (1M
		// native, 128K output, adaptive thinking only per its AWS model
		// card) are assumed.
		MaxOutput: 128_000,
		// [?] §7's table stops at Opus 4.8 (1,024); assumed the same.
		MinCacheTokens: 1024, Cache1H: true, Thinking: true, AdaptiveThinkingOnly: true,
		Adaptive: true, Efforts: effortsAll,
		// Anthropic's pricing page lists Opus 5 at $5 / $25 like Opus 4.5.
		PricesKnown: true, GlobalPrice: opus45Global, RegionalPrice: opus45Regional,
	},
	{
		Name: "Claude Opus 4.8", Family: Opus,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-opus-4-8", APIID: "claude-opus-4-8",
		Geos:          []string{"global", "us", "eu"}, // [?] as Opus 5
		ContextWindow: window1M, LongContext: window1M,
		// [?] 128K output for Opus 4.6–4.8 per the Anthropic API
		// (Effect-TS ai-anthropic 4.0.0-beta.106 release notes); adaptive
		// thinking only is assumed from Opus 4.7.
		MaxOutput:      128_000,
		MinCacheTokens: 1024, Cache1H: true, Thinking: true, AdaptiveThinkingOnly: true,
		Adaptive: true, Efforts: effortsAll,
		PricesKnown: true, GlobalPrice: opus45Global, RegionalPrice: opus45Regional,
	},
	{
		Name: "Claude Opus 4.7", Family: Opus,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-opus-4-7", APIID: "claude-opus-4-7",
		Geos: []string{"global", "us", "eu"}, // [?] as Opus 5
		// AWS model card: 1M context, 128K output, thinking.type
		// "adaptive" only (budget_tokens gives a 400).
		ContextWindow: window1M, LongContext: window1M, MaxOutput: 128_000,
		MinCacheTokens: 2048, Cache1H: true, Thinking: true, AdaptiveThinkingOnly: true,
		Adaptive: true, Efforts: effortsAll,
		// CC-BIN: default_effort "xhigh", the one model whose default is
		// not high; Claude Code 2.1.197 sends it (docs/models.md).
		DefaultEffort: "xhigh",
		PricesKnown:   true, GlobalPrice: opus45Global, RegionalPrice: opus45Regional,
	},
	{
		Name: "Claude Opus 4.6", Family: Opus,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-opus-4-6-v1", APIID: "claude-opus-4-6",
		Geos: []string{"global", "us", "eu", "jp", "apac"},
		// [?] 1M through [1m] as Claude Code documents it; whether Bedrock
		// still needs the beta now that Anthropic serves 1M natively is
		// not in our sources, and sending it is the safe side.
		ContextWindow: 200_000, LongContext: window1M, LongContextBeta: beta1M,
		MaxOutput:      128_000, // [?] see Opus 4.8
		MinCacheTokens: 4096, Cache1H: true, Thinking: true,
		Adaptive: true, Efforts: effortsMax,
		// [?] No >200K premium: Anthropic bills Opus 4.6 and Sonnet 4.6 at
		// standard price across the 1M window; Bedrock's row is unknown.
		PricesKnown: true, GlobalPrice: opus45Global, RegionalPrice: opus45Regional,
	},
	{
		Name: "Claude Opus 4.5", Family: Opus,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-opus-4-5-20251101-v1:0",
		APIID:            "claude-opus-4-5-20251101", APIAliases: []string{"claude-opus-4-5"},
		Geos:          []string{"global", "us", "eu"},
		ContextWindow: 200_000, MaxOutput: 64_000,
		// No effort: Anthropic's effort page lists Opus 4.5, but CC-BIN gives
		// it no effort capability and Claude Code 2.1.197 sends it budget
		// thinking without output_config (recorded); basalt sends what
		// Bedrock has been seen to take (docs/models.md).
		MinCacheTokens: 4096, Cache1H: true, Thinking: true,
		PricesKnown: true, GlobalPrice: opus45Global, RegionalPrice: opus45Regional,
	},
	{
		Name: "Claude Opus 4.1", Family: Opus,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-opus-4-1-20250805-v1:0",
		APIID:            "claude-opus-4-1-20250805", APIAliases: []string{"claude-opus-4-1"},
		Geos:          []string{"us"},
		ContextWindow: 200_000, MaxOutput: 32_000,
		MinCacheTokens: 1024, Thinking: true,
		PricesKnown: true, GlobalPrice: opus4, RegionalPrice: opus4,
		Deprecation: "Claude Opus 4.1 is retired on the Anthropic API and kept on Bedrock; Claude Opus 4.6 costs a third as much",
	},
	{
		Name: "Claude Opus 4", Family: Opus,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-opus-4-20250514-v1:0",
		APIID:            "claude-opus-4-20250514", APIAliases: []string{"claude-opus-4-0"},
		Geos:          []string{"us"},
		ContextWindow: 200_000, MaxOutput: 32_000,
		MinCacheTokens: 1024, Thinking: true,
		PricesKnown: true, GlobalPrice: opus4, RegionalPrice: opus4,
		Deprecation: "Claude Opus 4 is retired on the Anthropic API and on Bedrock (Anthropic's pricing page); use Claude Opus 4.6",
	},
	{
		// Launched on Bedrock 30 June 2026 as anthropic.claude-sonnet-5;
		// 1M context native and 128K output (Anthropic's models overview);
		// on Bedrock adaptive thinking is always on (the model card's
		// Reasoning line), but CC-BIN names Sonnet 5 among the models that
		// take thinking off, and Claude Code omits thinking for it when
		// alwaysThinkingEnabled is false (recorded): basalt does the same,
		// which is harmless if the model thinks anyway. Profiles [?]:
		// global, us, eu as every model since Sonnet 4.5. Cache minimum
		// [?] as Sonnet 4.6.
		Name: "Claude Sonnet 5", Family: Sonnet,
		DefaultMaxTokens: 64_000,
		FoundationID:     "anthropic.claude-sonnet-5", APIID: "claude-sonnet-5",
		Geos:          []string{"global", "us", "eu"},
		ContextWindow: window1M, LongContext: window1M, MaxOutput: 128_000,
		MinCacheTokens: 1024, Cache1H: true,
		Thinking: true, AdaptiveThinkingOnly: true, Adaptive: true, Efforts: effortsAll,
		PricesKnown: true, GlobalPrice: sonnetGlobal, RegionalPrice: sonnetRegional,
	},
	{
		Name: "Claude Sonnet 4.6", Family: Sonnet,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-sonnet-4-6", APIID: "claude-sonnet-4-6",
		Geos: []string{"global", "us", "eu", "jp"},
		// [?] as Opus 4.6 for the window. Maximum output: 64K at launch
		// (most model listings); a later Anthropic page and CC-BIN (its
		// upper limit for CLAUDE_CODE_MAX_OUTPUT_TOKENS) say 128K, which
		// basalt takes from the newer sources.
		ContextWindow: 200_000, LongContext: window1M, LongContextBeta: beta1M,
		MaxOutput: 128_000,
		// The doc says 1,024; one Bedrock test needed about 2,048 [?].
		MinCacheTokens: 1024, Cache1H: true, Thinking: true,
		Adaptive: true, Efforts: effortsMax,
		PricesKnown: true, GlobalPrice: sonnetGlobal, RegionalPrice: sonnetRegional,
	},
	{
		Name: "Claude Sonnet 4.5", Family: Sonnet,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-sonnet-4-5-20250929-v1:0",
		APIID:            "claude-sonnet-4-5-20250929", APIAliases: []string{"claude-sonnet-4-5"},
		// [?] us-gov: not on Anthropic's page; AWS lists Sonnet 4.5 in
		// GovCloud, and GovCloud has no global profile to fall back to.
		Geos:          []string{"global", "us", "eu", "jp", "us-gov"},
		ContextWindow: 200_000, LongContext: window1M, LongContextBeta: beta1M,
		MaxOutput:      64_000,
		MinCacheTokens: 1024, Cache1H: true, Thinking: true,
		PricesKnown: true, GlobalPrice: sonnetGlobal, RegionalPrice: sonnetRegional,
		LongContextPrice: &sonnetLong,
	},
	{
		Name: "Claude Sonnet 4", Family: Sonnet,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-sonnet-4-20250514-v1:0",
		APIID:            "claude-sonnet-4-20250514", APIAliases: []string{"claude-sonnet-4-0"},
		Geos:          []string{"global", "us", "eu", "apac"},
		ContextWindow: 200_000, LongContext: window1M, LongContextBeta: beta1M,
		MaxOutput:      64_000,
		MinCacheTokens: 1024, Thinking: true,
		PricesKnown: true, GlobalPrice: sonnetGlobal, RegionalPrice: sonnetGlobal,
		LongContextPrice: &sonnetLong,
		// [?] Anthropic's Bedrock page flags Sonnet 4 and 3.7 with a
		// warning sign, read here as deprecation.
		Deprecation: "Claude Sonnet 4 is deprecated; use Claude Sonnet 4.6 at the same price",
	},
	{
		Name: "Claude 3.7 Sonnet", Family: Sonnet,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-3-7-sonnet-20250219-v1:0",
		APIID:            "claude-3-7-sonnet-20250219", APIAliases: []string{"claude-3-7-sonnet-latest"},
		Geos:          []string{"us", "eu", "apac", "us-gov"}, // us-gov [?] as Sonnet 4.5
		ContextWindow: 200_000, MaxOutput: 64_000,
		MinCacheTokens: 1024, Thinking: true,
		PricesKnown: true, GlobalPrice: sonnetGlobal, RegionalPrice: sonnetGlobal,
		Deprecation: "Claude 3.7 Sonnet is deprecated; use Claude Sonnet 4.6 at the same price",
	},
	{
		Name: "Claude Haiku 4.5", Family: Haiku,
		DefaultMaxTokens: 32_000,
		FoundationID:     "anthropic.claude-haiku-4-5-20251001-v1:0",
		APIID:            "claude-haiku-4-5-20251001", APIAliases: []string{"claude-haiku-4-5"},
		Geos: []string{"global", "us", "eu", "us-gov"}, // us-gov [?] as Sonnet 4.5
		// AWS model card: 200K context, 64K output, 4,096-token cache
		// minimum, 5-minute and 1-hour TTLs.
		ContextWindow: 200_000, MaxOutput: 64_000,
		MinCacheTokens: 4096, Cache1H: true, Thinking: true,
		PricesKnown: true, GlobalPrice: haiku45Global, RegionalPrice: haiku45Regional,
	},
	{
		Name: "Claude 3.5 Haiku", Family: Haiku,
		DefaultMaxTokens: 8192,
		FoundationID:     "anthropic.claude-3-5-haiku-20241022-v1:0",
		APIID:            "claude-3-5-haiku-20241022", APIAliases: []string{"claude-3-5-haiku-latest"},
		Geos:          []string{"us"},
		ContextWindow: 200_000, MaxOutput: 8192,
		MinCacheTokens: 2048,
		PricesKnown:    true, GlobalPrice: haiku35, RegionalPrice: haiku35,
	},
}
