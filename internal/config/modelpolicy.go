package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// ModelPolicy is which models may be used, and what a turn falls back to
// (Claude Code's availableModels, enforceAvailableModels, fallbackModel).
type ModelPolicy struct {
	// Available is availableModels: family aliases (opus), version
	// prefixes (opus-4-6, sonnet-5) or model IDs, each matching a model
	// whose name starts with it. Unset: every model. An empty list allows
	// only the default model.
	Available Value[[]string]
	// Enforce is enforceAvailableModels in the managed policy: the list
	// also binds the default model, and no other file may widen a managed
	// list.
	Enforce Value[bool]
	// Fallback is fallbackModel: the models, in order, a turn goes on with
	// when the primary is overloaded. --fallback-model wins; the files do
	// not merge (the highest-precedence one is the whole chain).
	Fallback Value[[]string]
}

func (c *Config) resolveModelPolicy(p *problems) {
	mp := &c.Models
	var b bool
	if src, ok, v := c.rawSetting("enforceAvailableModels", &b); ok {
		if src.Kind != SourceManaged {
			c.warnf("enforceAvailableModels (%s) applies only in the managed policy; ignored", src)
		} else {
			mp.Enforce = Value[bool]{Value: b, Source: src, Set: true}
		}
	} else if v != nil {
		c.warnf("%s", v)
	}
	// availableModels: the managed list, widened by the other files' lists
	// unless enforced; without a managed list, the highest-precedence one.
	var merged []string
	var src Source
	set := false
	if m := c.managedFile(); m != nil {
		if l, ok := stringsIn(m, "availableModels"); ok {
			merged, src, set = l, m.source("availableModels"), true
		}
	}
	if !set || !mp.Enforce.Value {
		for _, f := range c.filesByPrecedence() {
			if l, ok := stringsIn(f, "availableModels"); ok {
				if !set {
					merged, src, set = l, f.source("availableModels"), true
					break
				}
				for _, e := range l {
					if !slices.Contains(merged, e) {
						merged = append(merged, e)
					}
				}
			}
		}
	}
	if set {
		mp.Available = Value[[]string]{Value: merged, Source: src, Set: true}
	}

	var one string
	var list []string
	if s, ok, _ := c.rawSetting("fallbackModel", &one); ok {
		if one = strings.TrimSpace(one); one != "" {
			mp.Fallback = Value[[]string]{Value: []string{one}, Source: s, Set: true}
		}
	} else if s, ok, _ := c.rawSetting("fallbackModel", &list); ok {
		mp.Fallback = Value[[]string]{Value: list, Source: s, Set: true}
	} else if _, _, v := c.rawSetting("fallbackModel", &list); v != nil {
		c.warnf("%s", strings.Replace(v.Error(), "want an array of strings", "want a model name or an array of them", 1))
	}
}

func stringsIn(f *File, key string) ([]string, bool) {
	if f.Settings == nil {
		return nil, false
	}
	raw, ok := f.Settings.Raw[key]
	if !ok {
		return nil, false
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, false
	}
	return l, true
}

// AllowsModel reports whether the policy lets r (what the user named as
// asked) be used, with the error to show when not. Claude Code's matching:
// an alias allows its family, anything else allows the models whose ID
// starts with it, in any of its spellings (API ID, foundation ID,
// inference profile).
func (c *Config) AllowsModel(asked string, r model.Resolved) error {
	av := c.Models.Available
	if !av.Set {
		return nil
	}
	if slices.ContainsFunc(av.Value, func(e string) bool { return modelMatches(e, asked, r) }) {
		return nil
	}
	allowed := "none but the default model"
	if len(av.Value) > 0 {
		allowed = strings.Join(av.Value, ", ")
	}
	return fmt.Errorf("model %s (%s) is not allowed by availableModels (%s): allowed are %s; pick one of them with --model or /model", r.ID, asked, av.Source, allowed)
}

func modelMatches(entry, asked string, r model.Resolved) bool {
	e := strings.ToLower(strings.TrimSpace(entry))
	if e == "" {
		return false
	}
	if strings.EqualFold(e, asked) || strings.EqualFold(e, r.ID) {
		return true
	}
	m := r.Model
	if m == nil {
		return strings.HasPrefix(strings.ToLower(r.ID), e)
	}
	if slices.Contains(model.Families, model.Family(e)) {
		return m.Family == model.Family(e)
	}
	for _, id := range []string{m.APIID, m.FoundationID, r.ID, "claude-" + strings.TrimPrefix(m.APIID, "claude-")} {
		id = strings.ToLower(id)
		if strings.HasPrefix(id, e) || strings.HasPrefix(strings.TrimPrefix(id, "claude-"), e) || strings.HasPrefix(strings.TrimPrefix(id, "anthropic."), e) {
			return true
		}
	}
	return false
}

// checkModelPolicy applies availableModels to the primary model at load:
// a model the user chose (flag, env, a settings file) that the list does
// not allow is a configuration error (exit 2), named with the list's file;
// the built-in default is checked only under enforceAvailableModels, and
// then replaced by the first allowed model, as Claude Code does.
func (c *Config) checkModelPolicy(p *problems) {
	if !c.Models.Available.Set || c.Provider.Value == ProviderNone || c.Resolved.ID == "" {
		return
	}
	err := c.AllowsModel(c.Model.Value, c.Resolved)
	if err == nil {
		return
	}
	if c.Model.Set {
		p.add(err)
		return
	}
	if !c.Models.Enforce.Value {
		return
	}
	if len(c.Models.Available.Value) == 0 {
		p.add(fmt.Errorf("availableModels (%s) is empty and enforced, so no model is left to use; ask your administrator", c.Models.Available.Source))
		return
	}
	first := c.Models.Available.Value[0]
	c.Model = Value[string]{Value: first, Source: c.Models.Available.Source, Set: true}
	r, rerr := model.Resolve(c.ModelRequest(false))
	if rerr != nil {
		p.add(rerr)
		return
	}
	c.warnf("the default model %s is not in availableModels (%s, enforced); using %s, the first allowed model", c.Resolved.ID, c.Models.Available.Source, r.ID)
	c.Resolved = r
}
