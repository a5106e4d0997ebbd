package model

// index maps every first-party ID and foundation-model ID to its catalog
// entry. It is built once from the table, so the table stays the one
// place IDs are written.
var index = buildIndex()

func buildIndex() map[string]*Model {
	idx := make(map[string]*Model)
	for i := range catalog {
		m := &catalog[i]
		idx[m.FoundationID] = m
		idx[m.APIID] = m
		for _, a := range m.APIAliases {
			idx[a] = m
		}
	}
	return idx
}

// Lookup finds the catalog model an ID names. It accepts a foundation-model
// ID, a system inference-profile ID with any geo prefix, an Anthropic API
// ID (dated or not), a system inference-profile or foundation-model ARN in
// any partition, each with or without the "[1m]" suffix. Aliases are not
// IDs (see [Resolve]), and an application-inference-profile ARN names no
// model: the caller learns its backing model from GetInferenceProfile and
// looks that up.
//
// Lookup does not check that a profile exists: it answers which model an
// ID means, and [Model.HasGeo] answers whether the profile is real.
func Lookup(id string) (*Model, bool) {
	id, _ = stripLongContext(id)
	if a, ok := ParseARN(id); ok {
		switch a.Kind {
		case KindSystemProfile, KindFoundationModel:
			id = a.Resource
		default:
			return nil, false
		}
	}
	if m, ok := index[id]; ok {
		return m, true
	}
	if _, fm, ok := splitGeo(id); ok {
		m, ok := index[fm]
		return m, ok
	}
	return nil, false
}
