package cost

import "github.com/anthropics/anthropic-sdk-go"

// Usage counts the tokens of one or more API calls by how they are billed.
// The JSON names are the transcript's (internal/session): keep them stable.
type Usage struct {
	InputTokens  int `json:"input_tokens,omitempty"` // uncached input
	OutputTokens int `json:"output_tokens,omitempty"`
	CacheWrite5m int `json:"cache_write_5m_tokens,omitempty"`
	CacheWrite1h int `json:"cache_write_1h_tokens,omitempty"`
	CacheRead    int `json:"cache_read_tokens,omitempty"`
}

// FromAnthropic converts the usage of one response. Bedrock and the
// Anthropic API split cache writes by TTL in cache_creation; where that
// split is absent (older models, gateways, the emulator without 1-hour
// breakpoints) every cache_creation_input_tokens token is taken as a
// 5-minute write, the TTL basalt uses unless told otherwise. When the
// split covers less than the total, the rest is a 5-minute write, so the
// authoritative total is never lost.
func FromAnthropic(u anthropic.Usage) Usage {
	total := int(u.CacheCreationInputTokens)
	w5 := int(u.CacheCreation.Ephemeral5mInputTokens)
	w1 := int(u.CacheCreation.Ephemeral1hInputTokens)
	if w5+w1 < total {
		w5 = total - w1
	}
	return Usage{
		InputTokens:  int(u.InputTokens),
		OutputTokens: int(u.OutputTokens),
		CacheWrite5m: w5,
		CacheWrite1h: w1,
		CacheRead:    int(u.CacheReadInputTokens),
	}
}

// Add returns the sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		InputTokens:  u.InputTokens + v.InputTokens,
		OutputTokens: u.OutputTokens + v.OutputTokens,
		CacheWrite5m: u.CacheWrite5m + v.CacheWrite5m,
		CacheWrite1h: u.CacheWrite1h + v.CacheWrite1h,
		CacheRead:    u.CacheRead + v.CacheRead,
	}
}

// CacheWrite is the cache writes of both TTLs: the API's
// cache_creation_input_tokens.
func (u Usage) CacheWrite() int { return u.CacheWrite5m + u.CacheWrite1h }

// TotalInput is every input token the model read: uncached input, cache
// writes and cache reads. It is the count the >200K long-context rule
// looks at.
func (u Usage) TotalInput() int { return u.InputTokens + u.CacheWrite() + u.CacheRead }

// CacheHitRatio is the share of the input read from the cache, 0 when
// there was no input.
func (u Usage) CacheHitRatio() float64 {
	total := u.TotalInput()
	if total == 0 {
		return 0
	}
	return float64(u.CacheRead) / float64(total)
}
