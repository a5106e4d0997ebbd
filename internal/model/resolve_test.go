package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fixtures used across the table.
const (
	appARN      = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3v9x2m7q1ab"
	govAppARN   = "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/g0v4pp1d0001"
	fmSonnet46  = "anthropic.claude-sonnet-4-6"
	fmSonnet45  = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	fmOpus46    = "anthropic.claude-opus-4-6-v1"
	fmOpus45    = "anthropic.claude-opus-4-5-20251101-v1:0"
	fmOpus41    = "anthropic.claude-opus-4-1-20250805-v1:0"
	fmHaiku45   = "anthropic.claude-haiku-4-5-20251001-v1:0"
	fmHaiku35   = "anthropic.claude-3-5-haiku-20241022-v1:0"
	sysARNSonUS = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6"
)

// result is the part of Resolved a case states; Model is the foundation
// ID, so that a diff reads well.
type result struct {
	ID          string
	Model       string
	IsARN       bool
	ARNKind     string
	LongContext bool
	Source      string
}

type resolveCase struct {
	name string
	req  Request
	want result
	// wantNotices are substrings of the notices, one per notice, in order.
	wantNotices []string
	// wantUnknown expects an *UnknownModelError with these suggestions.
	wantUnknown []string
	// wantErr expects a *ModelError whose message contains it.
	wantErr string
}

func bedrock(region, value, source string) Request {
	return Request{Provider: ProviderBedrock, Region: region, Value: value, Source: source}
}

func anthropic(value, source string) Request {
	return Request{Provider: ProviderAnthropic, Value: value, Source: source}
}

func with(r Request, f func(*Request)) Request { f(&r); return r }

var resolveCases = []resolveCase{
	// The release's defaults (DESIGN.md §4), never anything newer.
	{name: "default us-east-1", req: bedrock("us-east-1", "", ""),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "default"}},
	{name: "default eu-west-1 stays global", req: bedrock("eu-west-1", "", ""),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "default"}},
	{name: "default ap-northeast-1", req: bedrock("ap-northeast-1", "", ""),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "default"}},
	{name: "default sa-east-1", req: bedrock("sa-east-1", "", ""),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "default"}},
	{name: "default keeps the given source", req: bedrock("us-east-1", "", "settings ~/.claude/settings.json"),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "settings ~/.claude/settings.json"}},
	{name: "default with a region prefix", req: with(bedrock("eu-west-1", "", ""), func(r *Request) { r.RegionPrefix = "eu" }),
		want: result{ID: "eu.anthropic.claude-sonnet-4-6", Model: fmSonnet46, Source: "default"}},
	{name: "default with the jp prefix", req: with(bedrock("ap-northeast-1", "", ""), func(r *Request) { r.RegionPrefix = "jp" }),
		want: result{ID: "jp.anthropic.claude-sonnet-4-6", Model: fmSonnet46, Source: "default"}},
	{name: "default in GovCloud has no profile", req: bedrock("us-gov-west-1", "", ""),
		wantErr: "Claude Sonnet 4.6 has no inference profile that region us-gov-west-1 can use"},
	{name: "default through modelOverrides", req: with(bedrock("us-east-1", "", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": appARN}
	}),
		want: result{ID: appARN, Model: fmSonnet46, IsARN: true, ARNKind: KindApplicationProfile, Source: "default → modelOverrides[claude-sonnet-4-6]"}},
	{name: "the word default", req: bedrock("us-east-1", "default", "flag --model"),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "flag --model"}},
	{name: "blank is the default", req: bedrock("us-east-1", "   ", ""),
		want: result{ID: DefaultBedrockPrimary, Model: fmSonnet46, Source: "default"}},

	// The small/fast default is a us. profile: other geos get their own.
	{name: "small/fast us-east-1", req: with(bedrock("us-east-1", "", ""), func(r *Request) { r.SmallFast = true }),
		want: result{ID: DefaultBedrockSmallFast, Model: fmHaiku45, Source: "default"}},
	{name: "small/fast eu-west-1", req: with(bedrock("eu-west-1", "", ""), func(r *Request) { r.SmallFast = true }),
		want: result{ID: "eu.anthropic.claude-haiku-4-5-20251001-v1:0", Model: fmHaiku45, Source: "default"}},
	{name: "small/fast ap-southeast-2", req: with(bedrock("ap-southeast-2", "", ""), func(r *Request) { r.SmallFast = true }),
		want:        result{ID: "global.anthropic.claude-haiku-4-5-20251001-v1:0", Model: fmHaiku45, Source: "default"},
		wantNotices: []string{"Claude Haiku 4.5 has no apac. inference profile usable from ap-southeast-2; using global.anthropic.claude-haiku-4-5-20251001-v1:0"}},
	{name: "small/fast us-gov-west-1", req: with(bedrock("us-gov-west-1", "", ""), func(r *Request) { r.SmallFast = true }),
		want: result{ID: "us-gov.anthropic.claude-haiku-4-5-20251001-v1:0", Model: fmHaiku45, Source: "default"}},
	{name: "small/fast through ANTHROPIC_DEFAULT_HAIKU_MODEL", req: with(bedrock("us-east-1", "", ""), func(r *Request) {
		r.SmallFast = true
		r.Aliases = map[Family]string{Haiku: "us." + fmHaiku35}
	}),
		want: result{ID: "us." + fmHaiku35, Model: fmHaiku35, Source: "default → ANTHROPIC_DEFAULT_HAIKU_MODEL"}},

	// Aliases: ANTHROPIC_DEFAULT_*_MODEL, else the pinned catalog model
	// as the region's profile.
	{name: "sonnet us-east-1", req: bedrock("us-east-1", "sonnet", "flag --model"),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46, Source: "flag --model"}},
	{name: "opus eu-west-1", req: bedrock("eu-west-1", "opus", "env ANTHROPIC_MODEL"),
		want: result{ID: "eu." + fmOpus46, Model: fmOpus46, Source: "env ANTHROPIC_MODEL"}},
	{name: "haiku ap-northeast-1 falls back to global", req: bedrock("ap-northeast-1", "haiku", ""),
		want:        result{ID: "global." + fmHaiku45, Model: fmHaiku45},
		wantNotices: []string{"Claude Haiku 4.5 has no apac. inference profile usable from ap-northeast-1"}},
	{name: "opus[1m] ap-northeast-1", req: bedrock("ap-northeast-1", "opus[1m]", ""),
		want: result{ID: "apac." + fmOpus46, Model: fmOpus46, LongContext: true}},
	{name: "sonnet[1m] sa-east-1", req: bedrock("sa-east-1", "sonnet[1m]", ""),
		want: result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46, LongContext: true}},
	{name: "alias in capitals", req: bedrock("us-east-1", "Sonnet", ""),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "haiku ca-central-1", req: bedrock("ca-central-1", "haiku", ""),
		want: result{ID: "global." + fmHaiku45, Model: fmHaiku45}},
	{name: "sonnet with prefix global", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) { r.RegionPrefix = "global" }),
		want: result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "sonnet with prefix jp", req: with(bedrock("ap-northeast-1", "sonnet", ""), func(r *Request) { r.RegionPrefix = "jp" }),
		want: result{ID: "jp.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "sonnet with prefix apac it lacks", req: with(bedrock("ap-northeast-1", "sonnet", ""), func(r *Request) { r.RegionPrefix = "apac" }),
		want:        result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"no apac. inference profile"}},
	{name: "opus in GovCloud", req: bedrock("us-gov-west-1", "opus", "flag --model"),
		wantErr: `model "opus" (flag --model): Claude Opus 4.6 has no inference profile that region us-gov-west-1 can use`},
	{name: "haiku[1m] has no long context: ignored with a notice", req: bedrock("us-east-1", "haiku[1m]", "flag --model"),
		want:        result{ID: "us." + fmHaiku45, Model: fmHaiku45, Source: "flag --model"},
		wantNotices: []string{"Claude Haiku 4.5 has no 1M-token context window, so [1m] is ignored and its 200000-token window is used"}},
	{name: "opus 4.5 ID with [1m]", req: bedrock("us-east-1", "us."+fmOpus45+"[1m]", ""),
		want:        result{ID: "us." + fmOpus45, Model: fmOpus45},
		wantNotices: []string{"Claude Opus 4.5 has no 1M-token context window"}},

	// Claude Code's other names (model-config): opusplan, fable, best.
	{name: "opusplan runs Opus with one notice", req: bedrock("us-east-1", "opusplan", "env ANTHROPIC_MODEL"),
		want:        result{ID: "us." + fmOpus46, Model: fmOpus46, Source: "env ANTHROPIC_MODEL"},
		wantNotices: []string{"opusplan: basalt has no plan mode that switches models yet, so Opus runs every turn"}},
	{name: "opusplan follows ANTHROPIC_DEFAULT_OPUS_MODEL", req: with(bedrock("eu-west-1", "OpusPlan", ""), func(r *Request) {
		r.Aliases = map[Family]string{Opus: "eu." + fmOpus45}
	}),
		want:        result{ID: "eu." + fmOpus45, Model: fmOpus45, Source: "ANTHROPIC_DEFAULT_OPUS_MODEL"},
		wantNotices: []string{"opusplan: basalt has no plan mode"}},
	{name: "opusplan[1m]", req: bedrock("us-east-1", "opusplan[1m]", ""),
		want:        result{ID: "us." + fmOpus46, Model: fmOpus46, LongContext: true},
		wantNotices: []string{"opusplan: basalt has no plan mode"}},
	{name: "fable on Bedrock: Fable 5 from the catalog", req: bedrock("us-east-1", "fable", ""),
		want:        result{ID: "us.anthropic.claude-fable-5", Model: "anthropic.claude-fable-5"},
		wantNotices: []string{"fable means Claude Fable 5; on Bedrock basalt uses the inference profile us.anthropic.claude-fable-5"}},
	{name: "fable[1m] in eu-central-1", req: bedrock("eu-central-1", "fable[1m]", ""),
		want:        result{ID: "eu.anthropic.claude-fable-5", Model: "anthropic.claude-fable-5", LongContext: true},
		wantNotices: []string{"inference profile eu.anthropic.claude-fable-5"}},
	{name: "fable pinned by ANTHROPIC_DEFAULT_FABLE_MODEL", req: with(bedrock("us-east-1", "fable", ""), func(r *Request) {
		r.Aliases = map[Family]string{Fable: appARN}
	}),
		want: result{ID: appARN, IsARN: true, ARNKind: KindApplicationProfile, Source: "ANTHROPIC_DEFAULT_FABLE_MODEL"}},
	{name: "best means fable", req: bedrock("us-west-2", "best", "settings"),
		want:        result{ID: "us.anthropic.claude-fable-5", Model: "anthropic.claude-fable-5", Source: "settings"},
		wantNotices: []string{"best means fable", "fable means Claude Fable 5"}},
	{name: "sonnet pinned to a profile", req: with(bedrock("us-east-1", "sonnet", "flag --model"), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "us." + fmSonnet45}
	}),
		want: result{ID: "us." + fmSonnet45, Model: fmSonnet45, Source: "flag --model → ANTHROPIC_DEFAULT_SONNET_MODEL"}},
	{name: "opus pinned to an application profile", req: with(bedrock("us-east-1", "opus", ""), func(r *Request) {
		r.Aliases = map[Family]string{Opus: appARN}
	}),
		want: result{ID: appARN, IsARN: true, ARNKind: KindApplicationProfile, Source: "ANTHROPIC_DEFAULT_OPUS_MODEL"}},
	{name: "opus[1m] pinned to an API ID", req: with(bedrock("us-east-1", "opus[1m]", ""), func(r *Request) {
		r.Aliases = map[Family]string{Opus: "claude-opus-4-6"}
	}),
		want:        result{ID: "us." + fmOpus46, Model: fmOpus46, LongContext: true, Source: "ANTHROPIC_DEFAULT_OPUS_MODEL"},
		wantNotices: []string{"claude-opus-4-6 is an Anthropic API ID; on Bedrock basalt uses the inference profile us." + fmOpus46}},
	{name: "pinned value with [1m]", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "global.anthropic.claude-sonnet-4-6[1m]"}
	}),
		want: result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46, LongContext: true, Source: "ANTHROPIC_DEFAULT_SONNET_MODEL"}},
	{name: "alias naming an alias does not loop", req: with(bedrock("us-east-1", "opus", ""), func(r *Request) {
		r.Aliases = map[Family]string{Opus: "sonnet", Sonnet: "opus"}
	}),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46, Source: "ANTHROPIC_DEFAULT_OPUS_MODEL"}},
	{name: "misspelt pin", req: with(bedrock("us-east-1", "sonnet", "flag --model"), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "claude-sonet-4-6"}
	}),
		wantUnknown: []string{"claude-sonnet-4-6"}},

	// Foundation-model IDs are not served on demand: the region's profile.
	{name: "foundation ID us-east-1", req: bedrock("us-east-1", fmSonnet46, "env ANTHROPIC_MODEL"),
		want:        result{ID: "us." + fmSonnet46, Model: fmSonnet46, Source: "env ANTHROPIC_MODEL"},
		wantNotices: []string{"anthropic.claude-sonnet-4-6 is a foundation-model ID, which Bedrock does not serve on demand; using the inference profile us.anthropic.claude-sonnet-4-6 instead"}},
	{name: "foundation ID ap-northeast-1", req: bedrock("ap-northeast-1", fmOpus46, ""),
		want:        result{ID: "apac." + fmOpus46, Model: fmOpus46},
		wantNotices: []string{"using the inference profile apac." + fmOpus46}},
	{name: "foundation ID us-gov-west-1", req: bedrock("us-gov-west-1", fmSonnet45, ""),
		want:        result{ID: "us-gov." + fmSonnet45, Model: fmSonnet45},
		wantNotices: []string{"using the inference profile us-gov." + fmSonnet45}},
	{name: "foundation ID with [1m] eu-west-1", req: bedrock("eu-west-1", fmSonnet46+"[1m]", ""),
		want:        result{ID: "eu." + fmSonnet46, Model: fmSonnet46, LongContext: true},
		wantNotices: []string{"using the inference profile eu." + fmSonnet46}},
	{name: "foundation ID with no profile in the geo", req: bedrock("ap-southeast-2", fmHaiku45, ""),
		want:        result{ID: "global." + fmHaiku45, Model: fmHaiku45},
		wantNotices: []string{"no apac. inference profile", "using the inference profile global." + fmHaiku45}},
	{name: "unknown foundation ID", req: bedrock("us-east-1", "anthropic.claude-opus-9", ""),
		want:        result{ID: "us.anthropic.claude-opus-9"},
		wantNotices: []string{"foundation-model ID", "us.anthropic.claude-opus-9 is not in basalt's model catalog"}},

	// Anthropic API IDs on Bedrock.
	{name: "API ID eu-west-1", req: bedrock("eu-west-1", "claude-sonnet-4-6", ""),
		want:        result{ID: "eu." + fmSonnet46, Model: fmSonnet46},
		wantNotices: []string{"claude-sonnet-4-6 is an Anthropic API ID; on Bedrock basalt uses the inference profile eu.anthropic.claude-sonnet-4-6"}},
	{name: "undated API alias", req: bedrock("us-east-1", "claude-haiku-4-5", ""),
		want:        result{ID: "us." + fmHaiku45, Model: fmHaiku45},
		wantNotices: []string{"inference profile us." + fmHaiku45}},
	{name: "us-only model outside the US", req: bedrock("ap-northeast-1", "claude-opus-4-1", ""),
		wantErr: "Claude Opus 4.1 has no inference profile that region ap-northeast-1 can use"},
	{name: "unknown API ID", req: bedrock("eu-west-1", "claude-sonnet-4-7", ""),
		want:        result{ID: "eu.anthropic.claude-sonnet-4-7"},
		wantNotices: []string{"Anthropic API ID", "not in basalt's model catalog"}},
	{name: "deprecated model", req: bedrock("us-east-1", "claude-3-7-sonnet-20250219", ""),
		want:        result{ID: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", Model: "anthropic.claude-3-7-sonnet-20250219-v1:0"},
		wantNotices: []string{"Claude 3.7 Sonnet is deprecated", "Anthropic API ID"}},

	// modelOverrides: keyed by API ID (dated or not), foundation ID or the
	// exact profile; applied only to IDs basalt chose.
	{name: "override by API ID", req: with(bedrock("us-east-1", "claude-sonnet-4-6", "flag --model"), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": appARN}
	}),
		want: result{ID: appARN, Model: fmSonnet46, IsARN: true, ARNKind: KindApplicationProfile, Source: "flag --model → modelOverrides[claude-sonnet-4-6]"}},
	{name: "override by dated API ID", req: with(bedrock("us-east-1", "opus", ""), func(r *Request) {
		r.Aliases = map[Family]string{Opus: "claude-opus-4-5"}
		r.Overrides = map[string]string{"claude-opus-4-5-20251101": govAppARN}
	}),
		want:        result{ID: govAppARN, Model: fmOpus45, IsARN: true, ARNKind: KindApplicationProfile, Source: "ANTHROPIC_DEFAULT_OPUS_MODEL → modelOverrides[claude-opus-4-5-20251101]"},
		wantNotices: []string{"is in region us-gov-west-1 but requests go to us-east-1"}},
	{name: "override by foundation ID", req: with(bedrock("eu-west-1", fmOpus45, ""), func(r *Request) {
		r.Overrides = map[string]string{fmOpus45: "global." + fmOpus45}
	}),
		want: result{ID: "global." + fmOpus45, Model: fmOpus45, Source: "modelOverrides[" + fmOpus45 + "]"}},
	{name: "exact profile key beats API ID key", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": appARN, "us.anthropic.claude-sonnet-4-6": sysARNSonUS}
	}),
		want: result{ID: sysARNSonUS, Model: fmSonnet46, IsARN: true, ARNKind: KindSystemProfile, Source: "modelOverrides[us.anthropic.claude-sonnet-4-6]"}},
	{name: "API ID key beats foundation ID key", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{fmSonnet46: "global." + fmSonnet46, "claude-sonnet-4-6": appARN}
	}),
		want: result{ID: appARN, Model: fmSonnet46, IsARN: true, ARNKind: KindApplicationProfile, Source: "modelOverrides[claude-sonnet-4-6]"}},
	{name: "override with [1m] on the key", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{" claude-sonnet-4-6[1m] ": appARN}
	}),
		want: result{ID: appARN, Model: fmSonnet46, IsARN: true, ARNKind: KindApplicationProfile, Source: "modelOverrides[ claude-sonnet-4-6[1m] ]"}},
	{name: "an explicit profile is not overridden", req: with(bedrock("us-east-1", "us.anthropic.claude-sonnet-4-6", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": appARN}
	}),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "an override for another model does not apply", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-opus-4-6": appARN, "claude-sonet-4-6": appARN}
	}),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "an empty override is ignored", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": "  "}
	}),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},

	// Profile IDs are used as given, with a warning when the region
	// cannot call them.
	{name: "global profile", req: bedrock("us-east-1", "global.anthropic.claude-sonnet-4-6", ""),
		want: result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "us profile from eu-west-1", req: bedrock("eu-west-1", DefaultBedrockSmallFast, ""),
		want:        result{ID: DefaultBedrockSmallFast, Model: fmHaiku45},
		wantNotices: []string{"Bedrock serves us." + fmHaiku45 + " only from us-* regions, and requests go to eu-west-1: use eu." + fmHaiku45}},
	{name: "eu profile from us-east-1", req: bedrock("us-east-1", "eu.anthropic.claude-sonnet-4-6", ""),
		want:        result{ID: "eu.anthropic.claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"only from eu-* regions, and requests go to us-east-1: use us.anthropic.claude-sonnet-4-6"}},
	{name: "jp profile in Tokyo", req: bedrock("ap-northeast-1", "jp.anthropic.claude-sonnet-4-6", ""),
		want: result{ID: "jp.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "jp profile in Singapore", req: bedrock("ap-southeast-1", "jp.anthropic.claude-sonnet-4-6", ""),
		want:        result{ID: "jp.anthropic.claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"only from ap-northeast-1 and ap-northeast-3"}},
	{name: "profile the catalog does not list", req: bedrock("ap-southeast-1", "apac.anthropic.claude-sonnet-4-6", ""),
		want:        result{ID: "apac.anthropic.claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"basalt's catalog lists no apac. profile for Claude Sonnet 4.6 (it lists global, us, eu, jp); if Bedrock says the model identifier is invalid, use global.anthropic.claude-sonnet-4-6"}},
	{name: "unknown but well-formed profile", req: bedrock("us-east-1", "us.anthropic.claude-opus-9", "flag --model"),
		want:        result{ID: "us.anthropic.claude-opus-9", Source: "flag --model"},
		wantNotices: []string{"us.anthropic.claude-opus-9 is not in basalt's model catalog: it is sent as given, and its prices"}},
	{name: "GovCloud profile", req: bedrock("us-gov-west-1", "us-gov."+fmSonnet45, ""),
		want: result{ID: "us-gov." + fmSonnet45, Model: fmSonnet45}},
	{name: "global profile from GovCloud", req: bedrock("us-gov-west-1", "global.anthropic.claude-sonnet-4-6", ""),
		want:        result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"only from commercial regions (not GovCloud), and requests go to us-gov-west-1: choose another model"}},
	{name: "deprecated profile", req: bedrock("us-east-1", "us."+fmOpus41, ""),
		want:        result{ID: "us." + fmOpus41, Model: fmOpus41},
		wantNotices: []string{"Claude Opus 4.1 is retired on the Anthropic API"}},
	{name: "unknown prefix", req: bedrock("ca-central-1", "ca.anthropic.claude-sonnet-4-6", ""),
		want:        result{ID: "ca.anthropic.claude-sonnet-4-6"},
		wantNotices: []string{`has the prefix "ca"`, "not in basalt's model catalog"}},
	{name: "us profile from ca-central-1 is not second-guessed", req: bedrock("ca-central-1", "us.anthropic.claude-sonnet-4-6", ""),
		want: result{ID: "us.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},
	{name: "global profile from ca-central-1", req: bedrock("ca-central-1", "global.anthropic.claude-sonnet-4-6", ""),
		want: result{ID: "global.anthropic.claude-sonnet-4-6", Model: fmSonnet46}},

	// ARNs are used as given.
	{name: "system profile ARN", req: bedrock("us-east-1", sysARNSonUS, ""),
		want: result{ID: sysARNSonUS, Model: fmSonnet46, IsARN: true, ARNKind: KindSystemProfile}},
	{name: "GovCloud system profile ARN", req: bedrock("us-gov-west-1", "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov."+fmHaiku45, ""),
		want: result{ID: "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov." + fmHaiku45, Model: fmHaiku45, IsARN: true, ARNKind: KindSystemProfile}},
	{name: "application profile ARN", req: bedrock("us-east-1", appARN, "env ANTHROPIC_MODEL"),
		want: result{ID: appARN, IsARN: true, ARNKind: KindApplicationProfile, Source: "env ANTHROPIC_MODEL"}},
	{name: "GovCloud application profile ARN", req: bedrock("us-gov-west-1", govAppARN, ""),
		want: result{ID: govAppARN, IsARN: true, ARNKind: KindApplicationProfile}},
	{name: "application profile ARN with [1m]", req: bedrock("us-east-1", appARN+"[1m]", ""),
		want: result{ID: appARN, IsARN: true, ARNKind: KindApplicationProfile, LongContext: true}},
	{name: "ARN from another region", req: bedrock("us-west-2", appARN, ""),
		want:        result{ID: appARN, IsARN: true, ARNKind: KindApplicationProfile},
		wantNotices: []string{"is in region us-east-1 but requests go to us-west-2"}},
	{name: "foundation-model ARN", req: bedrock("us-east-1", "arn:aws:bedrock:us-east-1::foundation-model/"+fmSonnet46, ""),
		want:        result{ID: "arn:aws:bedrock:us-east-1::foundation-model/" + fmSonnet46, Model: fmSonnet46, IsARN: true, ARNKind: KindFoundationModel},
		wantNotices: []string{"on demand in one region; if Bedrock answers that on-demand throughput isn't supported, use the inference profile us.anthropic.claude-sonnet-4-6"}},
	{name: "region-less foundation-model ARN", req: bedrock("eu-west-1", "arn:aws:bedrock:::foundation-model/"+fmSonnet46, ""),
		want:        result{ID: "arn:aws:bedrock:::foundation-model/" + fmSonnet46, Model: fmSonnet46, IsARN: true, ARNKind: KindFoundationModel},
		wantNotices: []string{"use the inference profile eu.anthropic.claude-sonnet-4-6"}},
	{name: "provisioned-model ARN", req: bedrock("us-east-1", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123", ""),
		want:        result{ID: "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123", IsARN: true, ARNKind: "provisioned-model"},
		wantNotices: []string{"is a Bedrock provisioned-model; basalt cannot tell which model serves it"}},
	{name: "system profile ARN of an unknown model", req: bedrock("us-east-1", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-9", ""),
		want:        result{ID: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-9", IsARN: true, ARNKind: KindSystemProfile},
		wantNotices: []string{"not in basalt's model catalog"}},
	{name: "an S3 ARN", req: bedrock("us-east-1", "arn:aws:s3:::bucket", "flag --model"),
		wantErr: "not a Bedrock ARN"},

	// Misspellings are usage errors with suggestions in the user's form.
	{name: "sonet", req: bedrock("us-east-1", "sonet", "flag --model"), wantUnknown: []string{"sonnet"}},
	{name: "opuss", req: bedrock("us-east-1", "opuss", ""), wantUnknown: []string{"opus"}},
	{name: "haiku4", req: bedrock("us-east-1", "haiku4", ""), wantUnknown: []string{"haiku"}},
	{name: "sonet[1m]", req: bedrock("us-east-1", "sonet[1m]", ""), wantUnknown: []string{"sonnet[1m]"}},
	{name: "claude-sonet-4-6", req: bedrock("us-east-1", "claude-sonet-4-6", ""), wantUnknown: []string{"claude-sonnet-4-6"}},
	{name: "claude-opus-4.6", req: bedrock("us-east-1", "claude-opus-4.6", ""), wantUnknown: []string{"claude-opus-4-6"}},
	{name: "opus-4-6", req: bedrock("us-east-1", "opus-4-6", ""), wantUnknown: []string{"claude-opus-4-6"}},
	{name: "misspelt foundation ID", req: bedrock("us-east-1", "anthropic.claude-sonet-4-6", ""), wantUnknown: []string{fmSonnet46}},
	{name: "misspelt profile", req: bedrock("eu-west-1", "eu.anthropic.claude-haiku-4-5-20251001-v1:0x", ""), wantUnknown: []string{"eu." + fmHaiku45}},
	{name: "misspelt family in a profile", req: bedrock("us-east-1", "us.anthropic.claude-sonet-4-6", ""), wantUnknown: []string{"us.anthropic.claude-sonnet-4-6"}},
	{name: "claude-sonnet without version", req: bedrock("us-east-1", "claude-sonnet", ""),
		wantUnknown: []string{"claude-sonnet-5"}},
	{name: "spaces", req: bedrock("us-east-1", "son net", ""), wantUnknown: []string{"sonnet"}},
	{name: "a name basalt does not know is sent as given", req: bedrock("us-east-1", "gpt-4o", ""),
		want: result{ID: "gpt-4o"}, wantNotices: []string{"gpt-4o is not in basalt's model catalog: it is sent as given"}},
	{name: "a near miss of an alias is a typo", req: bedrock("us-east-1", "opsu", ""), wantUnknown: []string{"opus"}},

	// Other providers' or gateways' IDs on Bedrock are sent as given.
	{name: "non-Claude Bedrock ID", req: bedrock("us-east-1", "meta.llama3-70b-instruct-v1:0", ""),
		want:        result{ID: "meta.llama3-70b-instruct-v1:0"},
		wantNotices: []string{"not in basalt's model catalog"}},

	// The Anthropic API.
	{name: "anthropic default", req: anthropic("", ""),
		want: result{ID: DefaultAnthropicPrimary, Model: fmSonnet46, Source: "default"}},
	{name: "anthropic small/fast", req: with(anthropic("", ""), func(r *Request) { r.SmallFast = true }),
		want: result{ID: DefaultAnthropicSmallFast, Model: fmHaiku45, Source: "default"}},
	{name: "anthropic small/fast pinned", req: with(anthropic("", ""), func(r *Request) {
		r.SmallFast = true
		r.Aliases = map[Family]string{Haiku: "claude-3-5-haiku-20241022"}
	}),
		want: result{ID: "claude-3-5-haiku-20241022", Model: fmHaiku35, Source: "default → ANTHROPIC_DEFAULT_HAIKU_MODEL"}},
	{name: "anthropic sonnet", req: anthropic("sonnet", "flag --model"),
		want: result{ID: "claude-sonnet-4-6", Model: fmSonnet46, Source: "flag --model"}},
	{name: "anthropic opus[1m]", req: anthropic("opus[1m]", ""),
		want: result{ID: "claude-opus-4-6", Model: fmOpus46, LongContext: true}},
	{name: "anthropic haiku is the dated ID", req: anthropic("haiku", ""),
		want: result{ID: "claude-haiku-4-5-20251001", Model: fmHaiku45}},
	{name: "anthropic pinned sonnet", req: with(anthropic("sonnet", ""), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "claude-sonnet-4-5-20250929"}
	}),
		want: result{ID: "claude-sonnet-4-5-20250929", Model: fmSonnet45, Source: "ANTHROPIC_DEFAULT_SONNET_MODEL"}},
	{name: "anthropic pinned to a Bedrock profile", req: with(anthropic("sonnet", ""), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "us." + fmSonnet45}
	}),
		want:        result{ID: "claude-sonnet-4-5-20250929", Model: fmSonnet45, Source: "ANTHROPIC_DEFAULT_SONNET_MODEL"},
		wantNotices: []string{"us." + fmSonnet45 + " is a Bedrock ID; the Anthropic API calls Claude Sonnet 4.5 claude-sonnet-4-5-20250929"}},
	{name: "anthropic API alias as given", req: anthropic("claude-opus-4-5", ""),
		want: result{ID: "claude-opus-4-5", Model: fmOpus45}},
	{name: "anthropic unknown API ID", req: anthropic("claude-opus-9", ""),
		want:        result{ID: "claude-opus-9"},
		wantNotices: []string{"claude-opus-9 is not in basalt's model catalog"}},
	{name: "anthropic foundation ID", req: anthropic(fmHaiku45, ""),
		want:        result{ID: "claude-haiku-4-5-20251001", Model: fmHaiku45},
		wantNotices: []string{"is a Bedrock ID"}},
	{name: "anthropic system profile ARN", req: anthropic(sysARNSonUS, ""),
		want:        result{ID: "claude-sonnet-4-6", Model: fmSonnet46},
		wantNotices: []string{"is a Bedrock ID"}},
	{name: "anthropic application profile ARN", req: anthropic(appARN, "flag --model"),
		wantErr: "an application-inference-profile ARN is a Bedrock resource"},
	{name: "anthropic unknown Bedrock ID", req: anthropic("us.anthropic.claude-opus-9", ""),
		wantErr: "its Anthropic API ID is unknown"},
	{name: "anthropic misspelt", req: anthropic("claude-sonet-4-6", ""), wantUnknown: []string{"claude-sonnet-4-6"}},
	{name: "anthropic haiku[1m]", req: anthropic("haiku[1m]", ""),
		want:        result{ID: "claude-haiku-4-5-20251001", Model: fmHaiku45},
		wantNotices: []string{"Claude Haiku 4.5 has no 1M-token context window, so [1m] is ignored"}},
	{name: "anthropic fable", req: anthropic("fable", ""),
		want: result{ID: "claude-fable-5", Model: "anthropic.claude-fable-5"}},
	{name: "anthropic opusplan", req: anthropic("opusplan", "env ANTHROPIC_MODEL"),
		want:        result{ID: "claude-opus-4-6", Model: fmOpus46, Source: "env ANTHROPIC_MODEL"},
		wantNotices: []string{"opusplan: basalt has no plan mode"}},
	{name: "anthropic gateway name", req: anthropic("my-gateway/claude-opus-4-6", ""),
		want:        result{ID: "my-gateway/claude-opus-4-6"},
		wantNotices: []string{"not in basalt's model catalog"}},
	{name: "anthropic ignores modelOverrides", req: with(anthropic("sonnet", ""), func(r *Request) {
		r.Overrides = map[string]string{"claude-sonnet-4-6": appARN}
	}),
		want: result{ID: "claude-sonnet-4-6", Model: fmSonnet46}},

	// Bad requests.
	{name: "no provider", req: Request{Value: "sonnet"}, wantErr: "unknown provider"},
	{name: "bad region prefix", req: with(bedrock("us-east-1", "sonnet", ""), func(r *Request) { r.RegionPrefix = "ca" }),
		wantErr: "not an inference-profile prefix"},
}

func TestResolve(t *testing.T) {
	t.Parallel()
	for _, tt := range resolveCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(tt.req)
			switch {
			case tt.wantUnknown != nil:
				var u *UnknownModelError
				if !errors.As(err, &u) {
					t.Fatalf("Resolve = %+v, %v; want an *UnknownModelError", got, err)
				}
				if diff := cmp.Diff(tt.wantUnknown, u.Suggestions, cmpEmpty); diff != "" {
					t.Errorf("suggestions mismatch (-want +got):\n%s", diff)
				}
				if !errors.Is(err, ErrInvalidModel) {
					t.Errorf("%v does not match ErrInvalidModel", err)
				}
				return
			case tt.wantErr != "":
				var m *ModelError
				if !errors.As(err, &m) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve = %+v, %v; want a *ModelError containing %q", got, err, tt.wantErr)
				}
				if !errors.Is(err, ErrInvalidModel) {
					t.Errorf("%v does not match ErrInvalidModel", err)
				}
				if m.Hint() == "" {
					t.Errorf("%v has no hint", err)
				}
				return
			case err != nil:
				t.Fatalf("Resolve: %v", err)
			}
			r := result{ID: got.ID, IsARN: got.IsARN, ARNKind: got.ARNKind, LongContext: got.LongContext, Source: got.Source}
			if got.Model != nil {
				r.Model = got.Model.FoundationID
			}
			if diff := cmp.Diff(tt.want, r); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if len(got.Notices) != len(tt.wantNotices) {
				t.Fatalf("notices = %q, want %d like %q", got.Notices, len(tt.wantNotices), tt.wantNotices)
			}
			for i, want := range tt.wantNotices {
				if !strings.Contains(got.Notices[i], want) {
					t.Errorf("notice %d = %q, want it to contain %q", i, got.Notices[i], want)
				}
			}
		})
	}
}

var cmpEmpty = cmp.Transformer("nilToEmpty", func(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
})

func TestUnknownModelErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := Resolve(bedrock("us-east-1", "sonet", "flag --model"))
	want := `unknown model "sonet" (flag --model); did you mean "sonnet"?`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	var u *UnknownModelError
	if errors.As(err, &u) && !strings.Contains(u.Hint(), "basalt models") {
		t.Errorf("hint %q does not point to basalt models", u.Hint())
	}
	_, err = Resolve(with(bedrock("us-east-1", "sonnet", "flag --model"), func(r *Request) {
		r.Aliases = map[Family]string{Sonnet: "sonet"}
	}))
	want = `unknown model "sonet" (flag --model → ANTHROPIC_DEFAULT_SONNET_MODEL); did you mean "sonnet"?`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// TestResolveNeverUpgrades holds the defaults to the release's constants
// in every region where they can be served as written.
func TestResolveNeverUpgrades(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2", "sa-east-1", "ca-central-1"} {
		got, err := Resolve(bedrock(region, "", ""))
		if err != nil || got.ID != DefaultBedrockPrimary {
			t.Errorf("%s: default = %q, %v; want %s", region, got.ID, err, DefaultBedrockPrimary)
		}
	}
}

func TestUnknownOverrideKeys(t *testing.T) {
	t.Parallel()
	got := UnknownOverrideKeys(map[string]string{
		"claude-sonnet-4-6":        appARN,
		"claude-opus-4-5-20251101": appARN,
		fmHaiku45:                  appARN,
		"claude-sonet-4-6":         appARN,
		"opus":                     appARN,
	})
	if diff := cmp.Diff([]string{"claude-sonet-4-6", "opus"}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
