package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// ThinkingConfig is what the user said about extended thinking and effort
// (Claude Code's names; README, Thinking and effort).
type ThinkingConfig struct {
	// Effort is CLAUDE_CODE_EFFORT_LEVEL, else the effortLevel setting:
	// low, medium, high, xhigh, max or auto. Empty: not set.
	Effort Value[string]
	// Always is alwaysThinkingEnabled; unset means "not said".
	Always             Value[bool]
	Disable            Value[bool] // CLAUDE_CODE_DISABLE_THINKING
	DisableAdaptive    Value[bool] // CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING
	DisableInterleaved Value[bool] // DISABLE_INTERLEAVED_THINKING
}

// ThinkingOff reports whether the user turned thinking off
// (alwaysThinkingEnabled false or CLAUDE_CODE_DISABLE_THINKING); absent,
// thinking is on for the models that support it, as in Claude Code.
func (c *Config) ThinkingOff() bool {
	t := c.Thinking
	return t.Disable.Value || (t.Always.Set && !t.Always.Value)
}

// EffortValues are the levels effortLevel, CLAUDE_CODE_EFFORT_LEVEL and
// /effort take: Anthropic's five and Claude Code's auto (the model's
// default, nothing sent).
var EffortValues = []string{"low", "medium", "high", "xhigh", "max", "auto"}

// ExtraBodyOwned are the request-body fields CLAUDE_CODE_EXTRA_BODY may not
// set, each with the setting that controls it: basalt builds them, and a
// replaced one would break the conversation (messages, system, tools),
// the endpoint's contract (model, stream, anthropic_version) or a limit
// basalt enforces and shows (max_tokens, thinking, effort, the betas, the
// guardrail's tags).
var ExtraBodyOwned = map[string]string{
	"messages":                       "the conversation itself",
	"system":                         "the system prompt (--system-prompt, --append-system-prompt, outputStyle)",
	"tools":                          "the tools (permissions, --allowed-tools)",
	"tool_choice":                    "the agent loop",
	"model":                          "choose it with --model or ANTHROPIC_MODEL",
	"stream":                         "basalt always streams the answer",
	"anthropic_version":              "the endpoint's API version",
	"max_tokens":                     "set it with CLAUDE_CODE_MAX_OUTPUT_TOKENS",
	"thinking":                       "set it with MAX_THINKING_TOKENS, alwaysThinkingEnabled or CLAUDE_CODE_DISABLE_THINKING",
	"output_config":                  "set the effort with effortLevel or CLAUDE_CODE_EFFORT_LEVEL",
	"anthropic_beta":                 "add betas with ANTHROPIC_BETAS",
	"amazon-bedrock-guardrailConfig": "set by the guardrail headers and basaltGuardrailInputTags",
}

// GuardrailInputTagValues are what basaltGuardrailInputTags may list.
var GuardrailInputTagValues = []string{"prompt", "system", "toolResults"}

func (c *Config) resolveThinking(p *problems) {
	t := &c.Thinking
	t.Effort = c.stringVar("CLAUDE_CODE_EFFORT_LEVEL")
	if !t.Effort.Set {
		var s string
		if src, ok, v := c.rawSetting("effortLevel", &s); ok {
			t.Effort = Value[string]{Value: s, Source: src, Set: true}
		} else if v != nil {
			c.warnf("%s", v)
		}
	}
	if t.Effort.Set {
		t.Effort.Value = strings.ToLower(strings.TrimSpace(t.Effort.Value))
		if !slices.Contains(EffortValues, t.Effort.Value) {
			c.warnf("effort level %q (%s) is not one of %s; no effort is sent", t.Effort.Value, t.Effort.Source, strings.Join(EffortValues, ", "))
			t.Effort = defaultValue("")
		}
	}
	var b bool
	if src, ok, v := c.rawSetting("alwaysThinkingEnabled", &b); ok {
		t.Always = Value[bool]{Value: b, Source: src, Set: true}
	} else if v != nil {
		c.warnf("%s", v)
	}
	t.Disable = p.boolVar(c, "CLAUDE_CODE_DISABLE_THINKING")
	t.DisableAdaptive = p.boolVar(c, "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING")
	t.DisableInterleaved = p.boolVar(c, "DISABLE_INTERLEAVED_THINKING")

	c.Betas = defaultValue[[]string](nil)
	if v, ok := c.Env("ANTHROPIC_BETAS"); ok && strings.TrimSpace(v.Value) != "" {
		var betas []string
		for _, b := range strings.Split(v.Value, ",") {
			if b = strings.TrimSpace(b); b != "" && !slices.Contains(betas, b) {
				betas = append(betas, b)
			}
		}
		c.Betas = Value[[]string]{Value: betas, Source: v.Source, Set: true}
	}

	c.ExtraBody = defaultValue[map[string]json.RawMessage](nil)
	if v, ok := c.Env("CLAUDE_CODE_EXTRA_BODY"); ok && strings.TrimSpace(v.Value) != "" {
		var body map[string]json.RawMessage
		if err := json.Unmarshal([]byte(v.Value), &body); err != nil || body == nil {
			p.add(fmt.Errorf("CLAUDE_CODE_EXTRA_BODY (%s): want a JSON object of request fields, e.g. {\"temperature\":0.2}: %v", v.Source, errOr(err, "not an object")))
		} else {
			for _, k := range sortedNames(body) {
				if why, owned := ExtraBodyOwned[k]; owned {
					p.add(fmt.Errorf("CLAUDE_CODE_EXTRA_BODY (%s): %q is set by basalt and may not be replaced (%s)", v.Source, k, why))
				}
			}
			c.ExtraBody = Value[map[string]json.RawMessage]{Value: body, Source: v.Source, Set: true}
		}
	}

	c.GuardrailInputTags = Value[[]string]{Value: []string{"prompt"}, Source: Source{Kind: SourceDefault}}
	var tags []string
	if src, ok, v := c.rawSetting("basaltGuardrailInputTags", &tags); ok {
		var keep []string
		for _, t := range tags {
			if !slices.Contains(GuardrailInputTagValues, t) {
				c.warnf("basaltGuardrailInputTags (%s): %q is not one of %s; ignored", src, t, strings.Join(GuardrailInputTagValues, ", "))
				continue
			}
			keep = append(keep, t)
		}
		c.GuardrailInputTags = Value[[]string]{Value: keep, Source: src, Set: true}
	} else if v != nil {
		c.warnf("%s", v)
	}
}

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// rawSetting decodes key from the highest-precedence file that sets it,
// the managed policy first, into into. ok is false when no file sets it;
// then problem is non-nil when a file set it with the wrong type (a
// warning naming the file and line: the rest of the file applies).
func (c *Config) rawSetting(key string, into any) (src Source, ok bool, problem error) {
	files := c.filesByPrecedence()
	if m := c.managedFile(); m != nil {
		files = append([]*File{m}, files...)
	}
	for _, f := range files {
		if f.Settings == nil {
			continue
		}
		raw, has := f.Settings.Raw[key]
		if !has {
			continue
		}
		if err := json.Unmarshal(raw, into); err != nil {
			return Source{}, false, &ParseError{Path: f.Path, Line: f.Settings.Lines[key], Col: 1, Key: key, Msg: fmt.Sprintf("want %s; ignored", kindOf(into))}
		}
		return f.source(key), true, nil
	}
	return Source{}, false, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case *string:
		return "a string"
	case *bool:
		return "true or false"
	case *[]string:
		return "an array of strings"
	}
	return "another type"
}
