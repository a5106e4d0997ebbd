package emulator

import (
	"fmt"
	"net/url"
	"slices"
)

// Operation names of the control plane's model catalog.
const (
	opListFoundationModels = "ListFoundationModels"
	opGetFoundationModel   = "GetFoundationModel"
)

// foundationModelJSON is FoundationModelSummary, and the details of
// GetFoundationModel, which have the same members (API reference).
type foundationModelJSON struct {
	ModelArn                   string         `json:"modelArn"`
	ModelID                    string         `json:"modelId"`
	ModelName                  string         `json:"modelName"`
	ProviderName               string         `json:"providerName"`
	InputModalities            []string       `json:"inputModalities"`
	OutputModalities           []string       `json:"outputModalities"`
	ResponseStreamingSupported bool           `json:"responseStreamingSupported"`
	CustomizationsSupported    []string       `json:"customizationsSupported"`
	InferenceTypesSupported    []string       `json:"inferenceTypesSupported"`
	ModelLifecycle             map[string]any `json:"modelLifecycle"`
}

// servedModels are the foundation models behind the caller's region's
// profiles, once each, in table order.
func servedModels(t *profileTable) []*foundationModel {
	var out []*foundationModel
	for _, p := range t.list {
		if !slices.Contains(out, p.Model) {
			out = append(out, p.Model)
		}
	}
	return out
}

// Claude models on Bedrock today are reached through inference profiles
// only, so that is their one inference type.
func (t *profileTable) modelJSON(m *foundationModel) foundationModelJSON {
	return foundationModelJSON{
		ModelArn:                   fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s", partition(t.region), t.region, m.ID),
		ModelID:                    m.ID,
		ModelName:                  m.Name,
		ProviderName:               "Anthropic",
		InputModalities:            []string{"TEXT", "IMAGE"},
		OutputModalities:           []string{"TEXT"},
		ResponseStreamingSupported: true,
		CustomizationsSupported:    []string{},
		InferenceTypesSupported:    []string{"INFERENCE_PROFILE"},
		ModelLifecycle:             map[string]any{"status": "ACTIVE"},
	}
}

// listFoundationModels serves ListFoundationModels for the models served
// in the caller's region, with the documented filters.
func (s *Server) listFoundationModels(c *call) {
	q := c.r.URL.Query()
	if aerr := checkModelFilters(q); aerr != nil {
		c.fail(aerr)
		return
	}
	out := struct {
		ModelSummaries []foundationModelJSON `json:"modelSummaries"`
	}{ModelSummaries: []foundationModelJSON{}}
	for _, m := range servedModels(c.profiles) {
		j := c.profiles.modelJSON(m)
		if v := q.Get("byProvider"); v != "" && !equalFoldASCII(v, j.ProviderName) {
			continue
		}
		if v := q.Get("byOutputModality"); v != "" && !slices.Contains(j.OutputModalities, v) {
			continue
		}
		if v := q.Get("byInferenceType"); v != "" && !slices.Contains(j.InferenceTypesSupported, v) {
			continue
		}
		if v := q.Get("byCustomizationType"); v != "" && !slices.Contains(j.CustomizationsSupported, v) {
			continue
		}
		out.ModelSummaries = append(out.ModelSummaries, j)
	}
	c.replyJSON(out)
}

// checkModelFilters validates the enum filters (API reference).
func checkModelFilters(q url.Values) *apiError {
	for _, f := range []struct {
		name   string
		values []string
	}{
		{"byOutputModality", []string{"TEXT", "IMAGE", "EMBEDDING"}},
		{"byInferenceType", []string{"ON_DEMAND", "PROVISIONED"}},
		{"byCustomizationType", []string{"FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"}},
	} {
		if v := q.Get(f.name); v != "" && !slices.Contains(f.values, v) {
			return errEnum(f.name, v, f.values)
		}
	}
	return nil
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// getFoundationModel serves GetFoundationModel for an ID or a
// foundation-model ARN of a model served in the caller's region.
func (s *Server) getFoundationModel(c *call) {
	id := c.r.PathValue("modelIdentifier")
	c.rec.Model = id
	m, ok := s.foundationModel(c.profiles, id)
	if !ok || !c.profiles.servesModel(m) {
		c.fail(errNotFound(fmt.Sprintf("Could not resolve the foundation model from the provided model identifier: %s.", id)))
		return
	}
	c.replyJSON(map[string]any{"modelDetails": c.profiles.modelJSON(m)})
}
