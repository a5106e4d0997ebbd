package model

import (
	"github.com/basalt-dev/basalt/internal/editdist"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Geos are the system inference-profile prefixes (reference §6.1: AWS
// CDK's CrossRegionInferenceProfileRegion and Claude Code 2.1.330 agree).
var Geos = []string{"global", "us", "eu", "apac", "jp", "au", "us-gov"}

// LongContextSuffix asks for the 1M-token window, as in Claude Code:
// "sonnet[1m]", "claude-opus-4-6[1m]". It is stripped before the ID is
// sent.
const LongContextSuffix = "[1m]"

// LongContextTokens is the window [1m] asks for. A model basalt does not
// know is planned for with it when the user wrote [1m]: they said so, and
// the catalog cannot say otherwise.
const LongContextTokens = 1_000_000

// ARN kinds, as the resource type in a Bedrock ARN names them.
const (
	KindApplicationProfile = "application-inference-profile"
	KindSystemProfile      = "inference-profile"
	KindFoundationModel    = "foundation-model"
)

// stripLongContext removes a trailing [1m] (any case) and reports whether
// it was there.
func stripLongContext(s string) (string, bool) {
	if len(s) >= len(LongContextSuffix) && strings.EqualFold(s[len(s)-len(LongContextSuffix):], LongContextSuffix) {
		return s[:len(s)-len(LongContextSuffix)], true
	}
	return s, false
}

// splitGeo splits a system inference-profile ID into its prefix and the
// foundation-model ID. "us-gov" is tried before "us" by the dot that
// follows each.
func splitGeo(id string) (geo, foundation string, ok bool) {
	for _, g := range Geos {
		if rest, found := strings.CutPrefix(id, g+"."); found && rest != "" {
			return g, rest, true
		}
	}
	return "", "", false
}

// ARN is a parsed Bedrock ARN:
// arn:PARTITION:bedrock:REGION:ACCOUNT:KIND/RESOURCE (reference §6.2).
type ARN struct {
	Partition string // aws, aws-us-gov, aws-cn, aws-iso, aws-iso-b
	Region    string // empty in the region-less foundation-model form
	Account   string // empty for foundation models
	Kind      string // KindApplicationProfile, KindSystemProfile, KindFoundationModel, or another resource type
	Resource  string // the profile ID, the model ID, or the application profile's ID
}

// ParseARN parses a Bedrock ARN. It reports false for anything else,
// including ARNs of other services.
func ParseARN(s string) (ARN, bool) {
	// The resource may contain colons ("…-v1:0"), so split at most 6 ways.
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "bedrock" {
		return ARN{}, false
	}
	if parts[1] != "aws" && !strings.HasPrefix(parts[1], "aws-") {
		return ARN{}, false
	}
	kind, resource, ok := strings.Cut(parts[5], "/")
	if !ok || kind == "" || resource == "" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Region: parts[3], Account: parts[4], Kind: kind, Resource: resource}, true
}

// Shapes of well-formed Claude IDs. A newer model than the catalog knows
// still matches them, so it can be accepted with unknown prices instead of
// refused (DESIGN.md §4: a new model arrives as an explicit ID).
//
//	API:        claude-opus-4-6, claude-sonnet-4-20250514, claude-3-5-haiku-latest, claude-opus-5
//	foundation: anthropic.<API shape>[-vN[:M]]
//	profile:    <prefix>.<foundation shape>
var (
	apiShape      = lazyre.New(`^claude-(?:([a-z]+)(?:-\d+){1,2}|\d+(?:-\d+)?-([a-z]+))(?:-\d{8})?(?:-latest)?$`)
	versionSuffix = lazyre.New(`-v\d+(?::\d+)?$`)
	prefixShape   = lazyre.New(`^([a-z]{2,6}(?:-[a-z]{2,4})?)\.anthropic\.`)
)

// apiFamily returns the family word of an API-shaped ID ("sonnet" in
// claude-sonnet-4-6, "haiku" in claude-3-5-haiku-20241022).
func apiFamily(id string) (string, bool) {
	m := apiShape().FindStringSubmatch(id)
	if m == nil {
		return "", false
	}
	if m[1] != "" {
		return m[1], true
	}
	return m[2], true
}

// foundationToAPI turns a foundation-model ID into the API-shaped ID it
// is built from: anthropic.claude-opus-4-6-v1 → claude-opus-4-6.
func foundationToAPI(fm string) (string, bool) {
	rest, ok := strings.CutPrefix(fm, "anthropic.")
	if !ok {
		return "", false
	}
	return versionSuffix().ReplaceAllString(rest, ""), true
}

// idKind is what an ID looks like, before the catalog is consulted.
type idKind int

const (
	kindOther      idKind = iota
	kindAlias             // opus, sonnet, haiku, default
	kindAPI               // claude-…
	kindFoundation        // anthropic.claude-…
	kindProfile           // <geo>.anthropic.claude-…
	kindARN               // arn:…:bedrock:…
)

// classify says what s looks like. s has no [1m] suffix.
func classify(s string) idKind {
	switch {
	case isAlias(s):
		return kindAlias
	case strings.HasPrefix(s, "arn:"):
		return kindARN
	case strings.HasPrefix(s, "anthropic."):
		return kindFoundation
	case prefixShape().MatchString(s):
		return kindProfile
	case strings.HasPrefix(s, "claude-"):
		return kindAPI
	}
	return kindOther
}

// isAlias reports whether s is one of the words the aliases use.
func isAlias(s string) bool {
	switch Family(strings.ToLower(s)) {
	case Opus, Sonnet, Haiku:
		return true
	}
	return strings.EqualFold(s, "default")
}

// wellFormed reports whether s (no [1m]) is shaped like a Claude ID of its
// kind, with a family word that is not a near miss of a known one: a
// misspelt family ("claude-sonet-4-6") is a typo, while an unfamiliar
// word far from every family ("claude-fable-5") may be a new line.
func wellFormed(s string) bool {
	api := s
	switch classify(s) {
	case kindProfile:
		_, fm, ok := strings.Cut(s, ".")
		if !ok {
			return false
		}
		if api, ok = foundationToAPI(fm); !ok {
			return false
		}
	case kindFoundation:
		var ok bool
		if api, ok = foundationToAPI(s); !ok {
			return false
		}
	case kindAPI:
	default:
		return false
	}
	fam, ok := apiFamily(api)
	if !ok {
		return false
	}
	for _, f := range Families {
		if fam == string(f) {
			return true
		}
		if editdist.Levenshtein(fam, string(f)) <= 2 {
			return false
		}
	}
	return true
}

// validChars reports whether s could be a model identifier at all: Bedrock
// accepts up to 2,048 characters of [A-Za-z0-9._:/-] (the InvokeModel
// modelId pattern, which ARNs also satisfy).
func validChars(s string) bool {
	if s == "" || len(s) > 2048 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '.', r == '_', r == ':', r == '/', r == '-':
		default:
			return false
		}
	}
	return true
}
