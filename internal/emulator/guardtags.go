package emulator

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Input tags (AWS, "Apply tags to user input to filter content"): on
// InvokeModel a client wraps the text a guardrail's input filters should
// see in <amazon-bedrock-guardrails-guardContent_SUFFIX>…</…>, SUFFIX being
// the body's amazon-bedrock-guardrailConfig.tagSuffix. When tags are
// present only tagged text is evaluated; the Prompt-Attack filter looks at
// tagged text only, so without tags it never fires.
const guardTagPrefix = "amazon-bedrock-guardrails-guardContent_"

// PromptAttackPrefix marks a guardrail rule as the Prompt-Attack filter in
// ParseGuardrail's REGEX part: "ID:VERSION:prompt-attack:REGEX".
const PromptAttackPrefix = "prompt-attack:"

// guardConfig is the amazon-bedrock-guardrailConfig body field.
type guardConfig struct {
	TagSuffix string `json:"tagSuffix"`
}

// taggedText is the text inside the request's input tags, from the system
// prompt and every message, and whether any tag was found. Tags that do
// not carry the body's suffix are ordinary text, as they would be for
// Bedrock.
func taggedText(req *invokeRequest) (string, bool) {
	if req.guardTagSuffix == "" {
		return "", false
	}
	tag := regexp.QuoteMeta(guardTagPrefix + req.guardTagSuffix)
	re := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`)
	var parts []string
	collect := func(raw json.RawMessage) {
		for _, s := range jsonStrings(raw) {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				parts = append(parts, m[1])
			}
		}
	}
	collect(req.System)
	for _, m := range req.Messages {
		collect(m.Content)
	}
	return strings.Join(parts, "\n"), len(parts) > 0
}

// jsonStrings lists every string value inside raw.
func jsonStrings(raw json.RawMessage) []string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// guardInputFor is what a guardrail evaluates for an InvokeModel request:
// the tagged text when tags are present, else the newest user text.
func guardInputFor(req *invokeRequest, trace string) guardInput {
	if text, ok := taggedText(req); ok {
		return guardInput{text: text, trace: trace, tagged: true}
	}
	return guardInput{text: req.lastUserText(), trace: trace}
}

// blocks reports whether g intervenes on in: a content rule on the
// evaluated text, a Prompt-Attack rule only on tagged text.
func (g *Guardrail) blocks(in guardInput) bool {
	if g.PromptAttack {
		return in.tagged && g.Pattern.MatchString(in.text)
	}
	return g.Pattern.MatchString(in.text)
}
