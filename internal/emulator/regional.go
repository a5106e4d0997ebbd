package emulator

import "sync"

// regionalProfiles holds the profile tables of the regions callers sign
// for other than the server's own. Bedrock is a regional service: a
// client configured for eu-west-1 that reaches this endpoint expects
// eu-west-1's inference profiles (eu.… and global.…), not those of the
// region the emulator was started for.
type regionalProfiles struct {
	mu     sync.Mutex
	tables map[string]*profileTable
}

// maxRegionalTables bounds the tables kept for signed regions, so a
// client inventing region names cannot grow the server without limit.
const maxRegionalTables = 64

// regionProfiles returns the table for the region of a SigV4 credential
// scope: the server's own for its region, for bearer and unsigned
// requests (which name no region) and for a name that is not a region.
// With Options.Models the same restriction applies; a model that the
// region does not offer is simply not served there, as on Bedrock.
func (s *Server) regionProfiles(region string) *profileTable {
	if region == "" || region == s.opts.Region || !regionPattern().MatchString(region) {
		return s.profiles
	}
	rp := &s.regional
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if t, ok := rp.tables[region]; ok {
		return t
	}
	t, err := newProfileTable(region, s.opts.Account, s.opts.Models)
	if err != nil {
		// Some of the served models are not offered in the region: serve
		// the ones that are.
		t = s.restrictedTable(region)
	}
	if rp.tables == nil {
		rp.tables = map[string]*profileTable{}
	}
	if len(rp.tables) < maxRegionalTables {
		rp.tables[region] = t
	}
	return t
}

// restrictedTable is region's table limited to the entries of
// Options.Models it offers.
func (s *Server) restrictedTable(region string) *profileTable {
	var keep []string
	for _, id := range s.opts.Models {
		if _, err := newProfileTable(region, s.opts.Account, []string{id}); err == nil {
			keep = append(keep, id)
		}
	}
	if len(keep) == 0 {
		return &profileTable{region: region, account: s.opts.Account, byID: map[string]*profile{}}
	}
	t, err := newProfileTable(region, s.opts.Account, keep)
	if err != nil {
		return &profileTable{region: region, account: s.opts.Account, byID: map[string]*profile{}}
	}
	return t
}
