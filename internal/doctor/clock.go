package doctor

import (
	"net/http"
	"sync"
	"time"
)

// ServerClock is an http.RoundTripper that remembers how far the server's
// clock is from ours, from the Date header of each response (even an
// error response: a request refused for a bad signature still says what
// time the server thinks it is). It is a [SkewSource].
type ServerClock struct {
	Base http.RoundTripper // nil: http.DefaultTransport
	Now  func() time.Time  // nil: time.Now

	mu   sync.Mutex
	skew time.Duration
	ok   bool
}

// RoundTrip sends req through Base and records the response's Date.
func (c *ServerClock) RoundTrip(req *http.Request) (*http.Response, error) {
	base := c.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		// Date has whole seconds; truncating ours the same way keeps a
		// perfect clock at zero skew.
		skew := d.Sub(now().Truncate(time.Second))
		c.mu.Lock()
		c.skew, c.ok = skew, true
		c.mu.Unlock()
	}
	return resp, err
}

// Skew is the server's clock minus ours at the latest response.
func (c *ServerClock) Skew() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skew, c.ok
}
