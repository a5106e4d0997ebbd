package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Guardrail is a Bedrock guardrail reduced to one regular expression: when
// a request names it (X-Amzn-Bedrock-GuardrailIdentifier and -Version)
// and the newest user text matches Pattern, the model is not called and
// the answer is the guardrail's blocked-input message (reference §12).
type Guardrail struct {
	ID      string
	Version string
	Pattern *regexp.Regexp
	// PromptAttack makes the rule the Prompt-Attack filter: it sees only
	// text inside input tags (guardtags.go).
	PromptAttack bool
}

// blockedMessage is the console's default blocked-input messaging; real
// guardrails configure their own.
const blockedMessage = "Sorry, the model cannot answer this question."

// Patterns of the guardrail headers (API reference, InvokeModel).
var (
	guardrailIDPattern      = lazyre.New(`^[a-z0-9]+$`)
	guardrailARNPattern     = lazyre.New(`^arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):guardrail/([a-z0-9]+)$`)
	guardrailVersionPattern = lazyre.New(`^([1-9][0-9]{0,7}|DRAFT)$`)
)

// ParseGuardrail reads "ID:VERSION:REGEX". The regular expression is
// everything after the second colon, so it may contain colons itself.
func ParseGuardrail(spec string) (Guardrail, error) {
	id, rest, ok1 := strings.Cut(spec, ":")
	version, expr, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 {
		return Guardrail{}, fmt.Errorf("guardrail %q: want ID:VERSION:REGEX", spec)
	}
	if !guardrailIDPattern().MatchString(id) {
		return Guardrail{}, fmt.Errorf("guardrail %q: ID %q: want lowercase letters and digits", spec, id)
	}
	if !guardrailVersionPattern().MatchString(version) {
		return Guardrail{}, fmt.Errorf("guardrail %q: version %q: want 1 to 99999999 or DRAFT", spec, version)
	}
	attack := false
	if rest, ok := strings.CutPrefix(expr, PromptAttackPrefix); ok {
		attack, expr = true, rest
	}
	if expr == "" {
		return Guardrail{}, fmt.Errorf("guardrail %q: empty regular expression", spec)
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return Guardrail{}, fmt.Errorf("guardrail %q: %w", spec, err)
	}
	return Guardrail{ID: id, Version: version, Pattern: re, PromptAttack: attack}, nil
}

// guardrailFor returns the guardrail a request applies, nil for none, or
// the error Bedrock gives for the headers. The working draft (DRAFT)
// exists for every guardrail; a numbered version must be the configured
// one.
func (s *Server) guardrailFor(r *http.Request, req *invokeRequest) (*Guardrail, *apiError) {
	ident := r.Header.Get(hdrGuardrailID)
	version := r.Header.Get(hdrGuardrailVersion)
	if ident == "" {
		if req.hasGuardrailConfig {
			return nil, errValidation("The amazon-bedrock-guardrailConfig field requires a guardrail identifier; set the %s header.", hdrGuardrailID)
		}
		if version != "" {
			return nil, errValidation("A guardrail version was provided without a guardrail identifier; set the %s header.", hdrGuardrailID)
		}
		return nil, nil
	}
	if version == "" {
		return nil, errValidation("A guardrail identifier was provided without a guardrail version; set the %s header.", hdrGuardrailVersion)
	}
	return s.lookupGuardrail(ident, version)
}

// lookupGuardrail finds the guardrail an identifier (ID or ARN) and a
// version name, with the Smithy pattern errors Bedrock gives for bad ones.
func (s *Server) lookupGuardrail(ident, version string) (*Guardrail, *apiError) {
	id := ident
	if m := guardrailARNPattern().FindStringSubmatch(ident); m != nil {
		if m[2] != s.opts.Region || m[3] != s.opts.Account {
			return nil, errGuardrailMissing()
		}
		id = m[4]
	} else if !guardrailIDPattern().MatchString(ident) || len(ident) > 2048 {
		return nil, errValidation("1 validation error detected: Value '%s' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))", ident)
	}
	if !guardrailVersionPattern().MatchString(version) {
		return nil, errValidation("1 validation error detected: Value '%s' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))", version)
	}
	g, ok := s.guards[id]
	if !ok || (version != "DRAFT" && version != g.Version) {
		return nil, errGuardrailMissing()
	}
	return &g, nil
}

// errGuardrailMissing is Bedrock's answer to a guardrail that does not
// exist in the account and region (reference §12).
func errGuardrailMissing() *apiError {
	return errValidation("The guardrail identifier or version provided in the request does not exist.")
}

// intervention is the reply that replaces the model's: the blocked-input
// message as an ordinary text block with stop_reason end_turn, flagged by
// amazon-bedrock-guardrailAction, with the guardrail's assessment in
// amazon-bedrock-trace when the request enabled the trace.
func (g *Guardrail) intervention(text, trace string) reply {
	b := block{Type: "text", Text: blockedMessage}
	r := reply{
		Blocks:          []block{b},
		StopReason:      "end_turn",
		OutputTokens:    b.tokens(),
		GuardrailAction: "INTERVENED",
	}
	if trace == "ENABLED" || trace == "ENABLED_FULL" {
		match := g.Pattern.FindString(text)
		r.Trace = mustJSON(map[string]any{
			"guardrail": map[string]any{
				"input": map[string]any{
					g.ID: g.assessment(match),
				},
				"actionReason": "Guardrail blocked.",
			},
		})
	}
	return r
}

// assessment is the trace's account of what blocked: the Prompt-Attack
// content filter, or a regex of the sensitive-information policy.
func (g *Guardrail) assessment(match string) map[string]any {
	if g.PromptAttack {
		return map[string]any{"contentPolicy": map[string]any{"filters": []map[string]any{{
			"type": "PROMPT_ATTACK", "confidence": "HIGH", "filterStrength": "HIGH", "action": "BLOCKED",
		}}}}
	}
	return map[string]any{
		"sensitiveInformationPolicy": map[string]any{
			"regexes": []map[string]any{{
				"name":   "basalt-emulator",
				"match":  match,
				"regex":  g.Pattern.String(),
				"action": "BLOCKED",
			}},
		},
	}
}

// guardrailConfigKey is the body field that tunes a header-selected
// guardrail on InvokeModel (API reference).
const guardrailConfigKey = "amazon-bedrock-guardrailConfig"
