package emulator

import (
	"slices"
	"strings"
	"time"
)

// foundationModel is one Anthropic model as Bedrock knows it. The emulator
// keeps its own table (DESIGN.md §2: it must not import internal/model), so
// the client's catalog and this table check each other.
type foundationModel struct {
	ID      string // anthropic.claude-…, the foundation-model ID
	Name    string // "Claude Sonnet 4.5"
	APIName string // the "model" field of a response message
	// Geos are the inference-profile prefixes the model has (reference §6.1).
	Geos     []string
	Released time.Time
	// MinCache is the minimum cacheable prompt length in tokens (reference
	// §7): a prefix shorter than this is silently not cached.
	MinCache int
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err) // a typo in the table below, caught by every test
	}
	return t
}

// knownModels is the table behind every served profile. Geos follow
// reference §6.1 where it is explicit; for Opus 4.7, 4.8 and 5 it is silent,
// so they get Opus 4.6's set plus au (an assumption). us-gov availability is
// not documented either: Sonnet 4.5, Haiku 4.5 and Sonnet 3.7 get it so that
// GovCloud regions serve something. Release dates of the undated models are
// illustrative; they only feed createdAt/updatedAt.
var knownModels = []foundationModel{
	// Fable and Sonnet 5: profiles as basalt's docs/models.md records them
	// (AWS model cards and clients' lists), cache minimum from the Fable 5
	// model card.
	{"anthropic.claude-fable-5-2", "Claude Fable 5.2", "claude-fable-5-2",
		[]string{"global", "us"}, day("2026-11-09"), 1024},
	{"anthropic.claude-fable-5-1", "Claude Fable 5.1", "claude-fable-5-1",
		[]string{"global", "us", "eu"}, day("2026-09-01"), 1024},
	{"anthropic.claude-fable-5", "Claude Fable 5", "claude-fable-5",
		[]string{"global", "us", "eu"}, day("2026-06-09"), 1024},
	// Mythos 5: the us profile Claude Code 2.1.197's model table names
	// (us.anthropic.claude-mythos-5); Fable 5's cache minimum, being the
	// same underlying model.
	{"anthropic.claude-mythos-5", "Claude Mythos 5", "claude-mythos-5",
		[]string{"us"}, day("2026-06-09"), 1024},
	{"anthropic.claude-sonnet-5", "Claude Sonnet 5", "claude-sonnet-5",
		[]string{"global", "us", "eu"}, day("2026-06-30"), 1024},
	{"anthropic.claude-opus-5", "Claude Opus 5", "claude-opus-5",
		[]string{"global", "us", "eu", "jp", "apac", "au"}, day("2026-08-05"), 1024},
	{"anthropic.claude-opus-4-8", "Claude Opus 4.8", "claude-opus-4-8",
		[]string{"global", "us", "eu", "jp", "apac", "au"}, day("2026-06-10"), 1024},
	{"anthropic.claude-opus-4-7", "Claude Opus 4.7", "claude-opus-4-7",
		[]string{"global", "us", "eu", "jp", "apac", "au"}, day("2026-04-16"), 2048},
	{"anthropic.claude-opus-4-6-v1", "Claude Opus 4.6", "claude-opus-4-6",
		[]string{"global", "us", "eu", "jp", "apac"}, day("2026-02-05"), 4096},
	{"anthropic.claude-sonnet-4-6", "Claude Sonnet 4.6", "claude-sonnet-4-6",
		[]string{"global", "us", "eu", "jp"}, day("2026-02-17"), 1024},
	{"anthropic.claude-opus-4-5-20251101-v1:0", "Claude Opus 4.5", "claude-opus-4-5-20251101",
		[]string{"global", "us", "eu"}, day("2025-11-24"), 4096},
	{"anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "claude-sonnet-4-5-20250929",
		[]string{"global", "us", "eu", "jp", "us-gov"}, day("2025-09-29"), 1024},
	{"anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "claude-haiku-4-5-20251001",
		[]string{"global", "us", "eu", "us-gov"}, day("2025-10-15"), 4096},
	{"anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "claude-opus-4-1-20250805",
		[]string{"us"}, day("2025-08-05"), 1024},
	{"anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "claude-sonnet-4-20250514",
		[]string{"global", "us", "eu", "apac"}, day("2025-05-22"), 1024},
	{"anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", "claude-3-7-sonnet-20250219",
		[]string{"us", "eu", "apac", "us-gov"}, day("2025-02-24"), 1024},
	{"anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", "claude-3-5-haiku-20241022",
		[]string{"us"}, day("2024-11-04"), 2048},
}

// midConversationSystem are the models that take a message with role
// "system" inside messages, which Claude Code 2.1.197 sends them (its
// catalog's mid_conv_system capability: Sonnet 5, Opus 4.8, Fable 5;
// recorded on Sonnet 5 and Fable 5). Any other model refuses the role.
var midConversationSystem = map[string]bool{
	"anthropic.claude-sonnet-5": true,
	"anthropic.claude-opus-4-8": true,
	"anthropic.claude-fable-5":  true,
}

// geoPrefixes are the system-defined profile prefixes, longest first so that
// "us-gov." is not mistaken for "us." (reference §6.1).
var geoPrefixes = []string{"us-gov", "global", "apac", "us", "eu", "jp", "au"}

// geosForRegion is which profile prefixes a source region offers. It follows
// the rule Claude Code uses to pick a prefix (reference §6.1), plus jp and au
// in the regions those geos route within, and global everywhere except
// GovCloud.
func geosForRegion(region string) []string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return []string{"us-gov"}
	case strings.HasPrefix(region, "us-"):
		return []string{"us", "global"}
	case strings.HasPrefix(region, "eu-"):
		return []string{"eu", "global"}
	case region == "ap-northeast-1" || region == "ap-northeast-3":
		return []string{"jp", "apac", "global"}
	case region == "ap-southeast-2" || region == "ap-southeast-4":
		return []string{"au", "apac", "global"}
	case strings.HasPrefix(region, "ap-"):
		return []string{"apac", "global"}
	default:
		return []string{"global"}
	}
}

// geoDestinations are the regions a geo profile routes to; at most 5,
// because a profile's models list holds 1–5 entries (reference §6.3).
var geoDestinations = map[string][]string{
	"us":     {"us-east-1", "us-east-2", "us-west-2"},
	"eu":     {"eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-3"},
	"apac":   {"ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2"},
	"jp":     {"ap-northeast-1", "ap-northeast-3"},
	"au":     {"ap-southeast-2", "ap-southeast-4"},
	"us-gov": {"us-gov-west-1", "us-gov-east-1"},
}

var geoLabels = map[string]string{
	"us": "US", "eu": "EU", "apac": "APAC", "jp": "JP", "au": "AU", "us-gov": "US-GOV", "global": "Global",
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	default:
		return "aws"
	}
}

// splitGeo splits a system-defined profile ID into its geo prefix and the
// foundation-model ID.
func splitGeo(id string) (geo, fm string, ok bool) {
	for _, g := range geoPrefixes {
		if rest, found := strings.CutPrefix(id, g+"."); found {
			return g, rest, true
		}
	}
	return "", "", false
}

// modelByID finds a known foundation model.
func modelByID(id string) (*foundationModel, bool) {
	i := slices.IndexFunc(knownModels, func(m foundationModel) bool { return m.ID == id })
	if i < 0 {
		return nil, false
	}
	return &knownModels[i], true
}

// synthesizeModel makes a table entry for an Anthropic foundation-model ID
// the table does not know yet, so `--models` can serve a model released
// after this emulator. Its minimum cacheable length is the common 1,024.
func synthesizeModel(fmID string) *foundationModel {
	api := strings.TrimPrefix(fmID, "anthropic.")
	if i := strings.LastIndex(api, "-v"); i > 0 && strings.Contains(api[i:], ":") {
		api = api[:i]
	}
	return &foundationModel{
		ID:       fmID,
		Name:     "Claude " + strings.TrimPrefix(api, "claude-"),
		APIName:  api,
		Released: day("2026-01-01"),
		MinCache: 1024,
	}
}
