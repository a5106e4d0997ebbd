package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

const (
	typeSystem      = "SYSTEM_DEFINED"
	typeApplication = "APPLICATION"
)

// profile is one inference profile the emulator serves.
type profile struct {
	ID          string
	ARN         string
	Name        string
	Description string
	Type        string
	Model       *foundationModel
	ModelARNs   []string
	Created     time.Time
}

// profileJSON is the wire shape of an inference profile, shared by
// ListInferenceProfiles summaries and GetInferenceProfile (reference §6.3).
type profileJSON struct {
	InferenceProfileName string         `json:"inferenceProfileName"`
	Description          string         `json:"description,omitempty"`
	CreatedAt            time.Time      `json:"createdAt"`
	UpdatedAt            time.Time      `json:"updatedAt"`
	InferenceProfileArn  string         `json:"inferenceProfileArn"`
	Models               []profileModel `json:"models"`
	InferenceProfileID   string         `json:"inferenceProfileId"`
	Status               string         `json:"status"`
	Type                 string         `json:"type"`
}

type profileModel struct {
	ModelArn string `json:"modelArn"`
}

func (p *profile) wire() profileJSON {
	models := make([]profileModel, len(p.ModelARNs))
	for i, a := range p.ModelARNs {
		models[i] = profileModel{a}
	}
	return profileJSON{
		InferenceProfileName: p.Name,
		Description:          p.Description,
		CreatedAt:            p.Created,
		UpdatedAt:            p.Created,
		InferenceProfileArn:  p.ARN,
		Models:               models,
		InferenceProfileID:   p.ID,
		Status:               "ACTIVE",
		Type:                 p.Type,
	}
}

// profileTable is what one server serves, in listing order: system-defined
// profiles in the order of knownModels, then application profiles.
type profileTable struct {
	region, account string
	list            []*profile
	byID            map[string]*profile
}

// applicationProfiles are the emulator's user-created profiles. Their IDs
// are 12 lowercase alphanumerics like real ones, and, like real ones, do
// not name the model, so clients must call GetInferenceProfile to learn it.
var applicationProfiles = []struct {
	ID, Name, Description, Backing string
	Created                        time.Time
}{
	{"k3v9x2m7q1ab", "basalt-team-sonnet", "Team profile for cost allocation, backed by Claude Sonnet 4.6.",
		"anthropic.claude-sonnet-4-6", day("2026-03-02")},
	{"h7p2r5t8w4cd", "basalt-team-haiku", "Team profile for background calls, backed by Claude Haiku 4.5.",
		"anthropic.claude-haiku-4-5-20251001-v1:0", day("2026-03-02")},
	{"o4n6s1z9e3fg", "basalt-team-opus", "Team profile for planning, backed by Claude Opus 4.6.",
		"anthropic.claude-opus-4-6-v1", day("2026-03-09")},
}

var systemProfileID = lazyre.New(`^(us-gov|global|apac|us|eu|jp|au)\.anthropic\.[a-z0-9][a-z0-9.:-]*$`)

// newProfileTable builds the profiles of region. models, when non-nil,
// restricts them: each entry is a system-defined profile ID (one the table
// does not know is synthesized, so new models can be served) or the ID of
// one of the application profiles; an application profile is also served
// when a served system profile has its model.
func newProfileTable(region, account string, models []string) (*profileTable, error) {
	t := &profileTable{region: region, account: account, byID: map[string]*profile{}}
	geos := geosForRegion(region)
	var system []*profile
	for i := range knownModels {
		m := &knownModels[i]
		for _, g := range geos {
			if slices.Contains(m.Geos, g) {
				system = append(system, t.systemProfile(g, m))
			}
		}
	}
	var apps []*profile
	for _, a := range applicationProfiles {
		backing := preferredProfile(system, a.Backing, geos)
		if backing == nil {
			continue
		}
		apps = append(apps, &profile{
			ID:          a.ID,
			ARN:         fmt.Sprintf("arn:%s:bedrock:%s:%s:application-inference-profile/%s", partition(region), region, account, a.ID),
			Name:        a.Name,
			Description: a.Description,
			Type:        typeApplication,
			Model:       backing.Model,
			ModelARNs:   backing.ModelARNs,
			Created:     a.Created,
		})
	}
	if models == nil {
		t.add(system...)
		t.add(apps...)
		return t, nil
	}
	served := map[string]bool{}
	for _, id := range models {
		switch {
		case slices.ContainsFunc(system, func(p *profile) bool { return p.ID == id }):
			served[id] = true
		case slices.ContainsFunc(apps, func(p *profile) bool { return p.ID == id }):
			served[id] = true
		case systemProfileID().MatchString(id):
			geo, fmID, _ := splitGeo(id)
			if !slices.Contains(geos, geo) {
				return nil, fmt.Errorf("model %s: the %s. prefix is not offered in region %s (it offers %s)", id, geo, region, strings.Join(geos, ", "))
			}
			m, ok := modelByID(fmID)
			if !ok {
				m = synthesizeModel(fmID)
			}
			system = append(system, t.systemProfile(geo, m))
			served[id] = true
		default:
			return nil, fmt.Errorf("model %s: not an inference profile ID (want GEO.anthropic.… with GEO one of %s, or an application profile ID)", id, strings.Join(geoPrefixes, ", "))
		}
	}
	for _, p := range system {
		if served[p.ID] {
			t.add(p)
		}
	}
	for _, a := range apps {
		if served[a.ID] || slices.ContainsFunc(system, func(p *profile) bool { return served[p.ID] && p.Model.ID == a.Model.ID }) {
			t.add(a)
		}
	}
	return t, nil
}

func (t *profileTable) add(ps ...*profile) {
	for _, p := range ps {
		if _, dup := t.byID[p.ID]; dup {
			continue
		}
		t.list = append(t.list, p)
		t.byID[p.ID] = p
	}
}

// preferredProfile is the system profile of fmID an application profile
// copies: global when the region has it, else the first geo.
func preferredProfile(system []*profile, fmID string, geos []string) *profile {
	for _, g := range append([]string{"global"}, geos...) {
		for _, p := range system {
			if p.Model.ID == fmID && strings.HasPrefix(p.ID, g+".") {
				return p
			}
		}
	}
	return nil
}

func (t *profileTable) systemProfile(geo string, m *foundationModel) *profile {
	id := geo + "." + m.ID
	part := partition(t.region)
	var arns []string
	var where string
	if geo == "global" {
		// A global profile may route to any commercial region. IAM sees
		// its destination as the region-less foundation-model ARN
		// (reference §6.2); the source region's ARN comes first because
		// clients read models[0].
		arns = []string{
			fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s", part, t.region, m.ID),
			fmt.Sprintf("arn:%s:bedrock:::foundation-model/%s", part, m.ID),
		}
		where = "all commercial AWS Regions"
	} else {
		dests := slices.Clone(geoDestinations[geo])
		if i := slices.Index(dests, t.region); i > 0 {
			dests = append(append([]string{t.region}, dests[:i]...), dests[i+1:]...)
		}
		for _, d := range dests {
			arns = append(arns, fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/%s", part, d, m.ID))
		}
		where = joinRegions(dests)
	}
	return &profile{
		ID:          id,
		ARN:         fmt.Sprintf("arn:%s:bedrock:%s:%s:inference-profile/%s", part, t.region, t.account, id),
		Name:        geoLabels[geo] + " Anthropic " + m.Name,
		Description: "Routes requests to Anthropic " + m.Name + " in " + where + ".",
		Type:        typeSystem,
		Model:       m,
		ModelARNs:   arns,
		Created:     m.Released,
	}
}

func joinRegions(rs []string) string {
	switch len(rs) {
	case 0:
		return ""
	case 1:
		return rs[0]
	default:
		return strings.Join(rs[:len(rs)-1], ", ") + " and " + rs[len(rs)-1]
	}
}

// arn is a parsed Bedrock ARN.
type arn struct {
	Partition, Region, Account, Kind, Resource string
}

func parseARN(s string) (arn, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "bedrock" {
		return arn{}, false
	}
	kind, res, ok := strings.Cut(parts[5], "/")
	if !ok || res == "" {
		return arn{}, false
	}
	return arn{parts[1], parts[3], parts[4], kind, res}, true
}

// lookup finds a served profile by ID or ARN. An ARN must name this
// region, account and partition and the right kind of profile.
func (t *profileTable) lookup(id string) (*profile, bool) {
	if a, ok := parseARN(id); ok {
		if a.Partition != partition(t.region) || a.Region != t.region || a.Account != t.account {
			return nil, false
		}
		p, ok := t.byID[a.Resource]
		if !ok {
			return nil, false
		}
		want := map[string]string{"inference-profile": typeSystem, "application-inference-profile": typeApplication}[a.Kind]
		return p, p.Type == want
	}
	p, ok := t.byID[id]
	return p, ok
}

// foundationModelID returns the model an ID or ARN names when it is a
// bare foundation model (anthropic.… or arn:…:foundation-model/anthropic.…)
// the table knows.
func foundationModelID(id string) (*foundationModel, bool) {
	if a, ok := parseARN(id); ok {
		if a.Kind != "foundation-model" || a.Account != "" {
			return nil, false
		}
		id = a.Resource
	}
	return modelByID(id)
}

// servesModel reports whether some served profile is backed by m, i.e.
// whether the model exists in this emulator's region at all.
func (t *profileTable) servesModel(m *foundationModel) bool {
	return slices.ContainsFunc(t.list, func(p *profile) bool { return p.Model.ID == m.ID })
}
