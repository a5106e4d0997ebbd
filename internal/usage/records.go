// Package usage adds up what stored sessions cost — tokens by how they
// are billed, dollars, cache savings — for `basalt usage`: as a text
// table, as JSON that several engineers' exports can be merged from, and
// as one self-contained HTML page.
//
// The unit everything is built from is the [Record]: one session's calls
// with one model on one local calendar day. Records are small, carry the
// session's project, first prompt, user and team, and add up exactly, so
// a report of merged exports is the same as one made from the
// transcripts themselves.
package usage

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/session"
)

// Record is one session's calls with one model on one local day.
type Record struct {
	Day         string            `json:"day"` // YYYY-MM-DD, the user's local calendar day
	Session     string            `json:"session"`
	Project     string            `json:"project"`
	FirstPrompt string            `json:"first_prompt,omitempty"`
	User        string            `json:"user,omitempty"`
	Team        string            `json:"team,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Model       string            `json:"model"`
	Calls       int               `json:"calls"`
	Tokens      Tokens            `json:"tokens"`
	// CostUSD is the cost of the priced calls; UnpricedCalls counts the
	// others (a model whose price basalt does not know).
	CostUSD       float64 `json:"cost_usd"`
	UnpricedCalls int     `json:"unpriced_calls,omitempty"`
	// SavingsUSD is what prompt caching saved on the priced calls: their
	// cost with every input token billed as uncached, minus their cost.
	SavingsUSD float64 `json:"cache_savings_usd"`
}

// Tokens are counted by how they are billed.
type Tokens struct {
	Input        int `json:"input"` // uncached input
	Output       int `json:"output"`
	CacheRead    int `json:"cache_read"`
	CacheWrite5m int `json:"cache_write_5m"`
	CacheWrite1h int `json:"cache_write_1h"`
}

func (t Tokens) add(u Tokens) Tokens {
	return Tokens{t.Input + u.Input, t.Output + u.Output, t.CacheRead + u.CacheRead, t.CacheWrite5m + u.CacheWrite5m, t.CacheWrite1h + u.CacheWrite1h}
}

// CacheHitRatio is the share of input tokens read from the cache.
func (t Tokens) CacheHitRatio() float64 {
	in := t.Input + t.CacheRead + t.CacheWrite5m + t.CacheWrite1h
	if in == 0 {
		return 0
	}
	return float64(t.CacheRead) / float64(in)
}

func tokensOf(u cost.Usage) Tokens {
	return Tokens{u.InputTokens, u.OutputTokens, u.CacheRead, u.CacheWrite5m, u.CacheWrite1h}
}

// FromSessions turns stored sessions into records, counting only calls
// made at or after since (zero: all). Days are local calendar days.
func FromSessions(sessions []session.Summary, since time.Time) []Record {
	var out []Record
	for _, s := range sessions {
		idx := map[[2]string]int{}
		for _, c := range s.Calls {
			if !since.IsZero() && c.Time.Before(since) {
				continue
			}
			m := cmp.Or(c.Model, "(unknown model)")
			key := [2]string{c.Time.Local().Format(time.DateOnly), m}
			i, ok := idx[key]
			if !ok {
				i = len(out)
				idx[key] = i
				out = append(out, Record{
					Day: key[0], Session: s.ID, Project: cmp.Or(s.ProjectRoot, s.ProjectKey),
					FirstPrompt: s.FirstPrompt, User: userOf(s.Labels, s.User), Team: teamOf(s.Labels),
					Labels: s.Labels, Model: m,
				})
			}
			r := &out[i]
			r.Calls++
			r.Tokens = r.Tokens.add(tokensOf(c.Usage))
			if !c.Cost.Known {
				r.UnpricedCalls++
				continue
			}
			r.CostUSD += c.Cost.USD
			mod, _ := model.Lookup(c.Model)
			if sv := cost.Savings(mod, c.Model, c.Usage); sv.Known {
				r.SavingsUSD += sv.USD
			}
		}
	}
	return out
}

// userLabels and teamLabels are the resource attributes that name a user
// and a team, most specific first: OpenTelemetry's semantic conventions
// and the ones Claude Code's monitoring guide shows.
var (
	userLabels = []string{"user.email", "user.id", "enduser.id", "user.name"}
	teamLabels = []string{"team.id", "team.name", "team", "department"}
)

func userOf(labels map[string]string, login string) string {
	for _, k := range userLabels {
		if v := labels[k]; v != "" {
			return v
		}
	}
	return login
}

func teamOf(labels map[string]string) string {
	for _, k := range teamLabels {
		if v := labels[k]; v != "" {
			return v
		}
	}
	return ""
}

// Since drops the records of days before since's local day. Exports
// keep days, not call times, so a merged report filters by whole days.
func Since(rs []Record, since time.Time) []Record {
	if since.IsZero() {
		return rs
	}
	day := since.Local().Format(time.DateOnly)
	return slices.DeleteFunc(slices.Clone(rs), func(r Record) bool { return r.Day < day })
}

// ReadExports reads the records of `basalt usage --json` files, in the
// order given. A file without records (an export of an older basalt)
// or with a record that does not add up is an error naming the file:
// a report that silently skipped an engineer would be wrong.
//
// Exports may overlap (this week's and last month's of one engineer): a
// session's record for a day and model is a running total, so where two
// files hold the same one, the one with more calls is kept, never both.
func ReadExports(paths []string) ([]Record, error) {
	var out []Record
	seen := map[[3]string]int{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Records *[]Record `json:"records"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: not a `basalt usage --json` export: %w", p, err)
		}
		if doc.Records == nil {
			return nil, fmt.Errorf("%s: has no \"records\": export it again with `basalt usage --json` of this version", p)
		}
		for i, r := range *doc.Records {
			if err := r.check(); err != nil {
				return nil, fmt.Errorf("%s: record %d: %w", p, i+1, err)
			}
			key := [3]string{r.Session, r.Day, r.Model}
			if j, ok := seen[key]; ok {
				if r.Calls > out[j].Calls {
					out[j] = r
				}
				continue
			}
			seen[key] = len(out)
			out = append(out, r)
		}
	}
	return out, nil
}

func (r Record) check() error {
	if _, err := time.Parse(time.DateOnly, r.Day); err != nil {
		return fmt.Errorf("day %q is not YYYY-MM-DD", r.Day)
	}
	t := r.Tokens
	if r.Calls < 0 || r.UnpricedCalls < 0 || r.UnpricedCalls > r.Calls || t.Input < 0 || t.Output < 0 || t.CacheRead < 0 || t.CacheWrite5m < 0 || t.CacheWrite1h < 0 || r.CostUSD < 0 {
		return fmt.Errorf("negative or inconsistent counts")
	}
	if strings.TrimSpace(r.Session) == "" {
		return fmt.Errorf("no session ID")
	}
	return nil
}
