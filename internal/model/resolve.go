package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Providers a [Request] can name.
const (
	ProviderBedrock   = "bedrock"
	ProviderAnthropic = "anthropic"
)

// Request is what the user asked for, with everything resolution depends
// on. It holds plain values so that this package needs neither config nor
// provider.
type Request struct {
	Provider string // ProviderBedrock or ProviderAnthropic
	Region   string // the region requests go to (Bedrock)
	// Value is what the user asked for: an alias, an ID or an ARN, with or
	// without [1m]. "" means basalt's default (DESIGN.md §4).
	Value string
	// Source says where Value came from, for messages: "flag --model",
	// "env ANTHROPIC_MODEL", "settings .claude/settings.json".
	Source string
	// SmallFast makes "" mean the small/fast model (ANTHROPIC_DEFAULT_HAIKU_MODEL,
	// else the release's default) instead of the primary one.
	SmallFast bool
	// Aliases are ANTHROPIC_DEFAULT_OPUS/SONNET/HAIKU_MODEL: what each
	// alias means when set. Values may be IDs, ARNs or carry [1m].
	Aliases map[Family]string
	// Overrides is the modelOverrides setting: Anthropic model ID → the
	// profile ID or ARN to send instead.
	Overrides map[string]string
	// RegionPrefix is ANTHROPIC_BEDROCK_REGION_PREFIX; "" derives the
	// prefix from Region ([PrefixForRegion]).
	RegionPrefix string
}

// Resolved is the model to call and how basalt got there.
type Resolved struct {
	// ID is exactly what goes in the request: the path's model segment on
	// Bedrock, the body's "model" on the Anthropic API. It never carries
	// [1m].
	ID string
	// Model is the catalog entry, or nil when basalt does not know the
	// model: a newer one, or an application-inference-profile ARN whose
	// backing model the caller must look up (GetInferenceProfile, then
	// [Lookup] on models[0]'s ID).
	Model   *Model
	IsARN   bool
	ARNKind string // KindApplicationProfile, KindSystemProfile, KindFoundationModel, another ARN resource type, or ""
	// LongContext is set when [1m] was asked for: the caller opens the 1M
	// window (Model.LongContextBeta where set).
	LongContext bool
	// Notices are one-line warnings for the user: a converted ID, a profile
	// the region cannot use, a model basalt has no prices for.
	Notices []string
	// Source is where the value came from, with each step basalt took:
	// "flag --model → ANTHROPIC_DEFAULT_OPUS_MODEL → modelOverrides[claude-opus-4-6]".
	Source string
}

// aliasVars names the variable behind each alias, for Source and messages.
var aliasVars = map[Family]string{
	Opus:   "ANTHROPIC_DEFAULT_OPUS_MODEL",
	Sonnet: "ANTHROPIC_DEFAULT_SONNET_MODEL",
	Haiku:  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
	Fable:  "ANTHROPIC_DEFAULT_FABLE_MODEL",
}

// Resolve turns what the user asked for into the ID to send.
//
// On Bedrock:
//   - "" is the release's default (DESIGN.md §4: global.anthropic.claude-sonnet-4-6,
//     or the small/fast one), re-prefixed only where the region cannot use
//     it or RegionPrefix asks for another geo. Nothing newer, ever.
//   - opus, sonnet, haiku (and [1m] forms) go through Aliases, then the
//     catalog's pinned model of the family ([Current]) as the region's
//     profile ([ProfileID]).
//   - An Anthropic API ID (claude-sonnet-4-6) or a bare foundation-model ID
//     (anthropic.claude-…) becomes the region's profile, with a notice:
//     Bedrock serves Claude models on demand only through inference
//     profiles, so sending the ID would fail with "on-demand throughput
//     isn't supported".
//   - A profile ID or an ARN is sent as given, with a notice when its geo
//     or region cannot serve Region.
//   - Overrides (modelOverrides) then replace the ID when basalt chose the
//     profile itself (default, alias, API or foundation ID); their keys
//     may be the API ID (dated or not), the foundation ID, or the exact
//     profile ID. As in Claude Code, a profile ID or ARN the user wrote
//     is never overridden.
//
// On the Anthropic API, aliases become API IDs and Bedrock IDs of known
// models become their API ID with a notice.
//
// Errors match [ErrInvalidModel]: a misspelt name is an
// [*UnknownModelError] with suggestions; other mistakes are
// [*ModelError]s.
func Resolve(req Request) (Resolved, error) {
	r := &resolver{req: req}
	value := strings.TrimSpace(req.Value)
	source := req.Source
	if source == "" && value == "" {
		source = "default"
	}
	var err error
	switch req.Provider {
	case ProviderBedrock:
		if req.RegionPrefix != "" && !ValidPrefix(req.RegionPrefix) {
			return Resolved{}, &ModelError{
				Value: req.RegionPrefix, Source: "ANTHROPIC_BEDROCK_REGION_PREFIX",
				Reason: "not an inference-profile prefix",
				Fix:    "use one of " + strings.Join(Geos, ", ") + ", or unset it to derive the prefix from the region",
			}
		}
		err = r.bedrock(value, source, false)
	case ProviderAnthropic:
		err = r.anthropic(value, source, false)
	default:
		return Resolved{}, &ModelError{
			Value: req.Provider, Source: "provider", Reason: "unknown provider",
			Fix: "use " + ProviderBedrock + " or " + ProviderAnthropic,
		}
	}
	if err != nil {
		return Resolved{}, err
	}
	r.checkLongContext()
	return r.out, nil
}

type resolver struct {
	req Request
	out Resolved
	// constructed is the profile ID basalt chose itself, before overrides.
	constructed string
}

func (r *resolver) notice(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(r.out.Notices, n) {
		r.out.Notices = append(r.out.Notices, n)
	}
}

// prefix is the geo the user prefers on Bedrock.
func (r *resolver) prefix() string {
	if r.req.RegionPrefix != "" {
		return r.req.RegionPrefix
	}
	return PrefixForRegion(r.req.Region)
}

// bedrock resolves value for Bedrock. viaAlias is set while resolving an
// alias's value, so that "opus" naming "sonnet" cannot loop.
func (r *resolver) bedrock(value, source string, viaAlias bool) error {
	r.out.Source = source
	if value == "" {
		return r.bedrockDefault(source, viaAlias)
	}
	value, long := stripLongContext(value)
	r.out.LongContext = r.out.LongContext || long
	if !validChars(value) {
		return r.unknown(value, source, long)
	}
	if ok, err := r.named(value, source, viaAlias, r.bedrock); ok {
		return err
	}
	switch classify(value) {
	case kindAlias:
		if strings.EqualFold(value, "default") {
			return r.bedrockDefault(source, viaAlias)
		}
		fam := Family(strings.ToLower(value))
		if v := strings.TrimSpace(r.req.Aliases[fam]); v != "" && !viaAlias {
			return r.bedrock(v, step(source, aliasVars[fam]), true)
		}
		m, _ := Current(fam)
		return r.bedrockProfile(m, r.prefix())

	case kindARN:
		a, ok := ParseARN(value)
		if !ok {
			return &ModelError{Value: value, Source: source, Reason: "not a Bedrock ARN",
				Fix: "an ARN here is arn:aws:bedrock:REGION:ACCOUNT:inference-profile/ID or …:application-inference-profile/ID"}
		}
		r.setARN(value, a)
		switch a.Kind {
		case KindApplicationProfile:
			// The provider learns the backing model with GetInferenceProfile.
		case KindSystemProfile, KindFoundationModel:
			m, known := Lookup(a.Resource)
			if !known {
				r.unknownNotice(value)
				break
			}
			r.setModel(m)
			if a.Kind == KindSystemProfile {
				if geo, _, ok := splitGeo(a.Resource); ok {
					r.checkGeo(a.Resource, geo, m)
				}
			} else if id, err := ProfileID(m, r.req.Region, r.prefix()); err == nil {
				r.notice("%s invokes %s on demand in one region; if Bedrock answers that on-demand throughput isn't supported, use the inference profile %s", value, m.Name, id)
			}
		default:
			r.notice("%s is a Bedrock %s; basalt cannot tell which model serves it, so its prices and limits are unknown", value, a.Kind)
		}
		return nil

	case kindProfile:
		if !wellFormed(value) {
			return r.unknown(value, source, long)
		}
		r.out.ID = value
		geo, _, ok := splitGeo(value)
		if !ok {
			r.notice("%s has the prefix %q, which is not one basalt knows (%s); it is sent as given", value, strings.SplitN(value, ".", 2)[0], strings.Join(Geos, ", "))
		}
		m, known := Lookup(value)
		if !known {
			r.unknownNotice(value)
		} else {
			r.setModel(m)
		}
		if ok {
			r.checkGeo(value, geo, m)
		}
		return nil

	case kindFoundation:
		return r.toProfile(value, source, long, "", "%s is a foundation-model ID, which Bedrock does not serve on demand; using the inference profile %s instead")
	case kindAPI:
		return r.toProfile(value, source, long, "anthropic.", "%s is an Anthropic API ID; on Bedrock basalt uses the inference profile %s")
	}

	// Something that is not a Claude ID but could be a Bedrock one (a
	// gateway's name, another provider's model): sent as given.
	return r.sendAsGiven(value, source, long)
}

// sendAsGiven sends a name basalt does not know as written, with the
// "not in the catalog" notice, as Claude Code would: a gateway may map it,
// and refusing to start helps nobody. A near miss of a known name
// ("sonet", "opsu") is the exception: it can only be a typo, and "did you
// mean" at start beats a failed request on every turn.
func (r *resolver) sendAsGiven(value, source string, long bool) error {
	if len(suggest(value)) > 0 && !strings.ContainsAny(value, "./") {
		return r.unknown(value, source, long)
	}
	r.out.ID = value
	r.unknownNotice(value)
	return nil
}

// bedrockDefault resolves the release's default model.
func (r *resolver) bedrockDefault(source string, viaAlias bool) error {
	def := DefaultBedrockPrimary
	if r.req.SmallFast {
		if v := strings.TrimSpace(r.req.Aliases[Haiku]); v != "" && !viaAlias {
			return r.bedrock(v, step(source, aliasVars[Haiku]), true)
		}
		def = DefaultBedrockSmallFast
	}
	m, _ := Lookup(def)
	geo, _, _ := splitGeo(def)
	// The default keeps its own geo unless the user prefers another or
	// the region cannot use it (the small/fast default is a us. profile,
	// which eu-west-1 cannot call: peers.md §3 complaint 7).
	want := geo
	if r.req.RegionPrefix != "" {
		want = r.req.RegionPrefix
	} else if geoServes(geo, r.req.Region) == servesNo {
		want = PrefixForRegion(r.req.Region)
	}
	return r.bedrockProfile(m, want)
}

// bedrockProfile sets the profile basalt chose for m, preferring geo, and
// applies modelOverrides to it.
func (r *resolver) bedrockProfile(m *Model, geo string) error {
	id, err := ProfileID(m, r.req.Region, geo)
	if err != nil {
		if e, ok := err.(*ModelError); ok {
			e.Value, e.Source = cmpOr(r.req.Value, e.Value), r.out.Source
		}
		return err
	}
	r.setModel(m)
	r.out.ID = id
	r.constructed = id
	if got, _, _ := splitGeo(id); got != geo {
		r.notice("%s has no %s. inference profile usable from %s; using %s", m.Name, geo, regionOrUnknown(r.req.Region), id)
	}
	r.applyOverride(m, id)
	return nil
}

// applyOverride replaces the ID basalt chose for m with the modelOverrides
// entry for it. The most specific key wins: the exact profile ID, then the
// API ID, its undated aliases, the foundation-model ID.
func (r *resolver) applyOverride(m *Model, profile string) {
	if len(r.req.Overrides) == 0 {
		return
	}
	byKey := make(map[string]string, len(r.req.Overrides))
	keyName := make(map[string]string, len(r.req.Overrides))
	// Sorted, so that two spellings of one key resolve the same way every run.
	for _, k := range slices.Sorted(maps.Keys(r.req.Overrides)) {
		nk, _ := stripLongContext(strings.TrimSpace(k))
		if _, dup := byKey[nk]; !dup {
			byKey[nk] = r.req.Overrides[k]
			keyName[nk] = k
		}
	}
	keys := append([]string{profile, m.APIID}, m.APIAliases...)
	keys = append(keys, m.FoundationID)
	for _, k := range keys {
		v, ok := byKey[k]
		if !ok {
			continue
		}
		v, long := stripLongContext(strings.TrimSpace(v))
		if v == "" {
			continue
		}
		r.out.ID = v
		r.out.LongContext = r.out.LongContext || long
		r.out.Source = step(r.out.Source, "modelOverrides["+keyName[k]+"]")
		r.out.IsARN, r.out.ARNKind = false, ""
		if a, ok := ParseARN(v); ok {
			r.setARN(v, a)
		}
		return
	}
}

// setARN records an ARN as the ID and warns when its region is not the
// one requests go to: Bedrock resolves an ARN in the region that receives
// the call.
func (r *resolver) setARN(value string, a ARN) {
	r.out.ID = value
	r.out.IsARN = true
	r.out.ARNKind = a.Kind
	if a.Region != "" && r.req.Region != "" && a.Region != r.req.Region {
		r.notice("%s is in region %s but requests go to %s; Bedrock looks an ARN up in the region it is called in, so set AWS_REGION=%s or use an ARN from %s", value, a.Region, r.req.Region, a.Region, r.req.Region)
	}
}

// checkGeo warns about a profile that does not exist or cannot be called
// from the region. m may be nil.
func (r *resolver) checkGeo(id, geo string, m *Model) {
	alt := "choose another model"
	if m != nil {
		if p, err := ProfileID(m, r.req.Region, ""); err == nil && p != id {
			alt = "use " + p
		}
		if !m.HasGeo(geo) {
			r.notice("basalt's catalog lists no %s. profile for %s (it lists %s); if Bedrock says the model identifier is invalid, %s", geo, m.Name, strings.Join(m.Geos, ", "), alt)
		}
	}
	if geoServes(geo, r.req.Region) == servesNo {
		r.notice("Bedrock serves %s only from %s, and requests go to %s: %s, or set AWS_REGION", id, geoRegions(geo), r.req.Region, alt)
	}
}

// step appends one resolution step to a source.
func step(source, next string) string {
	if source == "" {
		return next
	}
	return source + " → " + next
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// geoRegions describes a geo's source regions for messages.
func geoRegions(geo string) string {
	switch geo {
	case "global":
		return "commercial regions (not GovCloud)"
	case "us-gov":
		return "GovCloud regions (us-gov-*)"
	case "us":
		return "us-* regions"
	case "eu":
		return "eu-* regions"
	case "apac":
		return "ap-* regions"
	case "jp":
		return "ap-northeast-1 and ap-northeast-3"
	case "au":
		return "ap-southeast-2 and ap-southeast-4"
	}
	return geo + " regions"
}

func regionOrUnknown(region string) string {
	if region == "" {
		return "an unset region"
	}
	return region
}

// anthropic resolves value for the Anthropic API.
func (r *resolver) anthropic(value, source string, viaAlias bool) error {
	r.out.Source = source
	if value == "" || strings.EqualFold(value, "default") {
		def := DefaultAnthropicPrimary
		if r.req.SmallFast {
			if v := strings.TrimSpace(r.req.Aliases[Haiku]); v != "" && !viaAlias {
				return r.anthropic(v, step(source, aliasVars[Haiku]), true)
			}
			def = DefaultAnthropicSmallFast
		}
		m, _ := Lookup(def)
		r.setModel(m)
		r.out.ID = def
		return nil
	}
	value, long := stripLongContext(value)
	r.out.LongContext = r.out.LongContext || long
	if !validChars(value) {
		return r.unknown(value, source, long)
	}
	if ok, err := r.named(value, source, viaAlias, r.anthropic); ok {
		return err
	}
	switch classify(value) {
	case kindAlias:
		if strings.EqualFold(value, "default") {
			return r.anthropic("", source, viaAlias)
		}
		fam := Family(strings.ToLower(value))
		if v := strings.TrimSpace(r.req.Aliases[fam]); v != "" && !viaAlias {
			return r.anthropic(v, step(source, aliasVars[fam]), true)
		}
		m, _ := Current(fam)
		r.setModel(m)
		r.out.ID = m.APIID
		return nil

	case kindAPI:
		if !wellFormed(value) {
			return r.unknown(value, source, long)
		}
		r.out.ID = value
		if m, ok := Lookup(value); ok {
			r.setModel(m)
		} else {
			r.unknownNotice(value)
		}
		return nil

	case kindARN, kindProfile, kindFoundation:
		a, isARN := ParseARN(value)
		if isARN && a.Kind == KindApplicationProfile {
			return &ModelError{Value: value, Source: source,
				Reason: "an application-inference-profile ARN is a Bedrock resource, which the Anthropic API cannot call",
				Fix:    "set CLAUDE_CODE_USE_BEDROCK=1 to use Bedrock, or name the model by its Anthropic API ID, e.g. " + DefaultAnthropicPrimary}
		}
		m, known := Lookup(value)
		if !known {
			if !isARN && !wellFormed(value) {
				return r.unknown(value, source, long)
			}
			return &ModelError{Value: value, Source: source,
				Reason: "a Bedrock ID of a model basalt does not know, so its Anthropic API ID is unknown",
				Fix:    "name the model by its Anthropic API ID (claude-…), or set CLAUDE_CODE_USE_BEDROCK=1 to use Bedrock"}
		}
		r.setModel(m)
		r.out.ID = m.APIID
		r.notice("%s is a Bedrock ID; the Anthropic API calls %s %s", value, m.Name, m.APIID)
		return nil
	}
	// Gateways behind ANTHROPIC_BASE_URL may name models their own way.
	return r.sendAsGiven(value, source, long)
}

// setModel records the catalog model and its deprecation notice.
func (r *resolver) setModel(m *Model) {
	r.out.Model = m
	if m.Deprecation != "" {
		r.notice("%s", m.Deprecation)
	}
}

// unknownNotice says that basalt sends id without knowing its model.
func (r *resolver) unknownNotice(id string) {
	msg := fmt.Sprintf("%s is not in basalt's model catalog: it is sent as given, and its prices, context window and cache minimum are unknown (cost shows as unknown)", id)
	if s := suggest(id); len(s) > 0 {
		msg += "; known models close to it: " + strings.Join(s, ", ")
	}
	r.notice("%s", msg)
}

// unknown is the error for a name basalt cannot make sense of.
func (r *resolver) unknown(value, source string, long bool) error {
	if long {
		value += LongContextSuffix
	}
	return &UnknownModelError{Value: value, Source: source, Suggestions: suggest(value)}
}

// checkLongContext drops [1m] on a model without a 1M window, with a
// notice: Claude Code starts with such a setting, and the request works
// with the model's own window, so refusing to start would help nobody.
func (r *resolver) checkLongContext() {
	m := r.out.Model
	if !r.out.LongContext || m == nil || m.LongContext > 0 {
		return
	}
	var with []string
	for i := range catalog {
		if c := &catalog[i]; c.Family == m.Family && c.LongContext > 0 {
			with = append(with, c.Name)
		}
	}
	msg := fmt.Sprintf("%s has no 1M-token context window, so [1m] is ignored and its %d-token window is used", m.Name, m.ContextWindow)
	if len(with) > 0 {
		msg += "; models with a 1M window: " + strings.Join(with, ", ")
	}
	r.out.LongContext = false
	r.notice("%s", msg)
}

// UnknownOverrideKeys returns the modelOverrides keys that name no catalog
// model, sorted. Resolve ignores them, as Claude Code does; doctor reports
// them, since a misspelt key silently leaves a model un-overridden.
func UnknownOverrideKeys(overrides map[string]string) []string {
	var out []string
	for k := range overrides {
		if _, ok := Lookup(strings.TrimSpace(k)); !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// toProfile turns a foundation-model or Anthropic API ID into the region's
// inference profile, with a notice saying so (notice has two %s: the value
// and the profile). An ID basalt does not know gets the region's prefix
// (before idPrefix) and a notice that its prices are unknown.
func (r *resolver) toProfile(value, source string, long bool, idPrefix, notice string) error {
	if !wellFormed(value) {
		return r.unknown(value, source, long)
	}
	m, known := Lookup(value)
	if !known {
		id := r.prefix() + "." + idPrefix + value
		r.out.ID = id
		r.notice(notice, value, id)
		r.unknownNotice(id)
		return nil
	}
	if err := r.bedrockProfile(m, r.prefix()); err != nil {
		return err
	}
	if r.out.ID == r.constructed {
		r.notice(notice, value, r.out.ID)
	}
	return nil
}
