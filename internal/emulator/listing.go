package emulator

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Pagination of ListInferenceProfiles (reference §1.2): maxResults 1–1000,
// nextToken 1–2048 characters, opaque. The default page holds everything
// the emulator serves.
const (
	maxPage     = 1000
	tokenPrefix = "bsl1"
)

// listProfiles serves ListInferenceProfiles with real pagination: a token
// encodes the type filter and the offset, and is refused with another
// filter.
func (s *Server) listProfiles(c *call) {
	q := c.r.URL.Query()
	typ := q.Get("type")
	if typ != "" && typ != typeSystem && typ != typeApplication {
		c.fail(errEnum("typeEquals", typ, []string{typeSystem, typeApplication}))
		return
	}
	limit := maxPage
	if v, ok := q["maxResults"]; ok {
		n, err := strconv.Atoi(v[0])
		switch {
		case err != nil:
			c.fail(errValidation("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must be an integer", v[0]))
			return
		case n < 1:
			c.fail(errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1", n))
			return
		case n > maxPage:
			c.fail(errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d", n, maxPage))
			return
		}
		limit = n
	}
	var matching []*profile
	for _, p := range c.profiles.list {
		if typ == "" || p.Type == typ {
			matching = append(matching, p)
		}
	}
	offset := 0
	if v, ok := q["nextToken"]; ok {
		off, err := parsePageToken(v[0], typ, len(matching))
		if err != nil {
			c.fail(errValidation("Invalid pagination token: %v.", err))
			return
		}
		offset = off
	}
	end := min(offset+limit, len(matching))
	out := struct {
		Summaries []profileJSON `json:"inferenceProfileSummaries"`
		NextToken string        `json:"nextToken,omitempty"`
	}{Summaries: []profileJSON{}}
	for _, p := range matching[offset:end] {
		out.Summaries = append(out.Summaries, p.wire())
	}
	if end < len(matching) {
		out.NextToken = pageToken(typ, end)
	}
	c.replyJSON(out)
}

func pageToken(typ string, offset int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s|%s|%d", tokenPrefix, typ, offset))
}

func parsePageToken(tok, typ string, n int) (int, error) {
	if len(tok) < 1 || len(tok) > 2048 {
		return 0, fmt.Errorf("length must be 1 to 2048")
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, fmt.Errorf("not a token this service issued")
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != tokenPrefix {
		return 0, fmt.Errorf("not a token this service issued")
	}
	if parts[1] != typ {
		return 0, fmt.Errorf("issued for another type filter")
	}
	off, err := strconv.Atoi(parts[2])
	if err != nil || off < 1 || off > n {
		return 0, fmt.Errorf("not a token this service issued")
	}
	return off, nil
}

// getProfile serves GetInferenceProfile for an ID or an ARN.
func (s *Server) getProfile(c *call) {
	id := c.r.PathValue("id")
	c.rec.Model = id
	p, ok := c.profiles.lookup(id)
	if !ok {
		c.fail(errNotFound(fmt.Sprintf("The inference profile %s was not found.", id)))
		return
	}
	c.replyJSON(p.wire())
}
