package webfetch

import (
	"sync"
	"time"
)

// CacheTTL is how long a fetched page is reused, as in Claude Code.
const CacheTTL = 15 * time.Minute

// maxCacheBytes bounds the text the cache holds: past it, the pages
// fetched longest ago go first.
const maxCacheBytes = 50 << 20

// cache keeps pages by key for [CacheTTL]. Every store sweeps out what
// has expired, so the cache cleans itself without a goroutine.
type cache struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]cacheEntry
	bytes   int
}

type cacheEntry struct {
	page    Page
	stored  time.Time
	expires time.Time
}

func newCache(now func() time.Time) *cache {
	return &cache{now: now, entries: map[string]cacheEntry{}}
}

func (c *cache) get(key string) (Page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return Page{}, false
	}
	if !c.now().Before(e.expires) {
		c.drop(key, e)
		return Page{}, false
	}
	return e.page, true
}

func (c *cache) put(key string, p Page) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if old, ok := c.entries[key]; ok {
		c.drop(key, old)
	}
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			c.drop(k, e)
		}
	}
	size := len(p.Content)
	if size > maxCacheBytes {
		return
	}
	for c.bytes+size > maxCacheBytes {
		oldest, first := "", true
		var at time.Time
		for k, e := range c.entries {
			if first || e.stored.Before(at) {
				oldest, at, first = k, e.stored, false
			}
		}
		c.drop(oldest, c.entries[oldest])
	}
	c.entries[key] = cacheEntry{page: p, stored: now, expires: now.Add(CacheTTL)}
	c.bytes += size
}

func (c *cache) drop(key string, e cacheEntry) {
	delete(c.entries, key)
	c.bytes -= len(e.page.Content)
}

// len is the number of pages held, expired ones included until a store
// sweeps them (tests).
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
