package model

import (
	"fmt"
	"slices"
	"strings"
)

// PrefixForRegion is the inference-profile prefix Claude Code picks for a
// region (reference §6.1, §9): us-gov-* → "us-gov", us-* → "us",
// eu-* → "eu", ap-* → "apac", anything else → "global".
//
// It never answers "jp" or "au", exactly like Claude Code: those geos
// cover only ap-northeast-1/3 and ap-southeast-2/4, and many models lack
// them, so they are used only when asked for with
// ANTHROPIC_BEDROCK_REGION_PREFIX (Request.RegionPrefix). Where a model
// has no apac profile, [ProfileID] falls back to global.
func PrefixForRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "us-gov"
	case strings.HasPrefix(region, "us-"):
		return "us"
	case strings.HasPrefix(region, "eu-"):
		return "eu"
	case strings.HasPrefix(region, "ap-"):
		return "apac"
	}
	return "global"
}

// serves says whether Bedrock serves a geo's profiles from a source
// region: yes, no, or unknown. A geo profile is callable only from the
// source regions of its geography; global profiles from commercial
// regions only (AWS cross-region-inference docs). Regions outside the
// us/eu/ap families (ca-, sa-, me-, il-, mx-, af-) are unknown: AWS adds
// source regions to geographies over time, and a wrong "no" would block a
// working setup, so basalt warns only when it is sure.
type serves int

const (
	servesUnknown serves = iota
	servesYes
	servesNo
)

func geoServes(geo, region string) serves {
	if region == "" {
		return servesUnknown
	}
	gov := strings.HasPrefix(region, "us-gov-")
	isolated := strings.HasPrefix(region, "cn-") || strings.HasPrefix(region, "us-iso")
	known := func(yes bool) serves {
		if yes {
			return servesYes
		}
		if gov || isolated || strings.HasPrefix(region, "us-") || strings.HasPrefix(region, "eu-") || strings.HasPrefix(region, "ap-") {
			return servesNo
		}
		return servesUnknown
	}
	switch geo {
	case "global":
		if gov || isolated {
			return servesNo
		}
		return servesYes
	case "us-gov":
		if gov {
			return servesYes
		}
		return servesNo
	case "us":
		return known(strings.HasPrefix(region, "us-") && !gov && !isolated)
	case "eu":
		return known(strings.HasPrefix(region, "eu-"))
	case "apac":
		return known(strings.HasPrefix(region, "ap-"))
	case "jp":
		return known(region == "ap-northeast-1" || region == "ap-northeast-3")
	case "au":
		return known(region == "ap-southeast-2" || region == "ap-southeast-4")
	}
	return servesUnknown
}

// ValidPrefix reports whether p is a geo prefix ANTHROPIC_BEDROCK_REGION_PREFIX
// may name.
func ValidPrefix(p string) bool { return slices.Contains(Geos, p) }

// ProfileID returns the system inference profile to invoke m through from
// region. It tries, in order, preferredPrefix (when set), the region's own
// prefix ([PrefixForRegion]) and global, taking the first that exists for
// m and that Bedrock serves from region. It fails when none does, for
// example a model without a us-gov profile in GovCloud, where global
// profiles do not exist.
func ProfileID(m *Model, region, preferredPrefix string) (string, error) {
	if m == nil {
		return "", fmt.Errorf("profile ID: no model")
	}
	for _, geo := range candidateGeos(region, preferredPrefix) {
		if m.HasGeo(geo) && geoServes(geo, region) != servesNo {
			return m.ProfileIDFor(geo), nil
		}
	}
	return "", &ModelError{
		Value:  m.FoundationID,
		Reason: fmt.Sprintf("%s has no inference profile that region %s can use (it has %s)", m.Name, region, strings.Join(m.Geos, ", ")),
		Fix:    noProfileHint(m, region),
	}
}

// candidateGeos is the order ProfileID tries prefixes in.
func candidateGeos(region, preferred string) []string {
	out := make([]string, 0, 3)
	for _, g := range []string{preferred, PrefixForRegion(region), "global"} {
		if g != "" && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// noProfileHint names models that do have a profile the region can use.
func noProfileHint(m *Model, region string) string {
	var names []string
	for i := range catalog {
		c := &catalog[i]
		if c.Family != m.Family || (c.Gated != "" && c != m) {
			continue // a gated model is no way out for most accounts
		}
		for _, g := range c.Geos {
			if geoServes(g, region) == servesYes {
				names = append(names, c.ProfileIDFor(g))
				break
			}
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("basalt knows no %s model with an inference profile in %s; choose another region (AWS_REGION)", m.Family, region)
	}
	return fmt.Sprintf("in %s, use %s, or another region (AWS_REGION)", region, strings.Join(names, " or "))
}
