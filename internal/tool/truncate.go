package tool

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// maxCommandOutput is the most command output one result carries; longer
// output keeps its head and tail.
const maxCommandOutput = 30_000

// headTail is an io.Writer that keeps the first and last limit/2 bytes
// written to it and counts the rest, so a command that prints gigabytes
// costs a fixed amount of memory. It is safe for concurrent use.
type headTail struct {
	mu    sync.Mutex
	half  int
	head  []byte
	ring  []byte // the last bytes, circular once full
	pos   int    // next write position in ring once full
	total int64
}

func newHeadTail(limit int) *headTail { return &headTail{half: limit / 2} }

func (h *headTail) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := len(p)
	h.total += int64(n)
	if room := h.half - len(h.head); room > 0 {
		k := min(room, len(p))
		h.head = append(h.head, p[:k]...)
		p = p[k:]
	}
	if len(p) >= h.half {
		h.ring = append(h.ring[:0], p[len(p)-h.half:]...)
		h.pos = 0
		return n, nil
	}
	for len(p) > 0 {
		if len(h.ring) < h.half {
			k := min(h.half-len(h.ring), len(p))
			h.ring = append(h.ring, p[:k]...)
			p = p[k:]
			continue
		}
		k := copy(h.ring[h.pos:], p)
		h.pos = (h.pos + k) % h.half
		p = p[k:]
	}
	return n, nil
}

// String returns the kept output, with a marker where bytes were dropped.
func (h *headTail) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	tail := make([]byte, 0, len(h.ring))
	tail = append(tail, h.ring[h.pos:]...)
	tail = append(tail, h.ring[:h.pos]...)
	dropped := h.total - int64(len(h.head)) - int64(len(tail))
	if dropped == 0 {
		return string(h.head) + string(tail)
	}
	return joinCut(h.head, tail, dropped)
}

// Len returns the number of bytes written so far.
func (h *headTail) Len() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total
}

// truncateMiddle shortens s to about limit bytes, keeping its head and
// tail.
func truncateMiddle(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	half := limit / 2
	return joinCut([]byte(s[:half]), []byte(s[len(s)-half:]), int64(len(s)-2*half))
}

// joinCut joins head and tail around a marker, moving the cut points to
// character boundaries.
func joinCut(head, tail []byte, dropped int64) string {
	for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
		r, size := utf8.DecodeLastRune(head)
		if r != utf8.RuneError || size > 1 {
			break
		}
		head = head[:len(head)-1]
		dropped++
	}
	for i := 0; i < utf8.UTFMax && len(tail) > 0 && !utf8.RuneStart(tail[0]); i++ {
		tail = tail[1:]
		dropped++
	}
	return fmt.Sprintf("%s\n\n[… %d bytes of output omitted …]\n\n%s", head, dropped, tail)
}
