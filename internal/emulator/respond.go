package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// writeError sends err the way Bedrock does before the first byte of a
// response: status, x-amzn-ErrorType, x-amzn-RequestId and
// {"message":…} (reference §4.1), or {"Message":…} for the errors of
// the authorization layer ([apiError.messageKey]).
func writeError(w http.ResponseWriter, requestID string, err *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-ErrorType", err.Type+":"+err.errorNamespace())
	h.Set("x-amzn-RequestId", requestID)
	body, _ := json.Marshal(map[string]string{err.messageKey(): err.Message})
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(err.Status)
	w.Write(body)
}

// writeMessage answers InvokeModel: the Message JSON and the token and
// latency headers (reference §2.3).
func (s *Server) writeMessage(c *call, m messageJSON, r reply, u cacheUsage, f faultDraw) {
	body, err := json.Marshal(m)
	if err != nil {
		c.fail(errInternal())
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-RequestId", c.id)
	h.Set("X-Amzn-Bedrock-Invocation-Latency", strconv.FormatInt(s.elapsed(c.start).Milliseconds(), 10))
	h.Set("X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(u.InputTokens))
	h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(r.OutputTokens))
	if u.Breakpoints > 0 || u.CacheReadInputTokens > 0 || u.CacheCreationInputTokens > 0 {
		h.Set("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", strconv.Itoa(u.CacheReadInputTokens))
		h.Set("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", strconv.Itoa(u.CacheCreationInputTokens))
	}
	c.rec.Status = http.StatusOK
	if f.disconnect {
		// Half a body, then a cut connection.
		h.Set("Content-Length", strconv.Itoa(len(body)))
		c.w.WriteHeader(http.StatusOK)
		c.w.Write(body[:len(body)/2])
		http.NewResponseController(c.w).Flush()
		c.rec.ErrorType = "disconnect"
		panic(http.ErrAbortHandler)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.Write(body)
}

// elapsed is the time since start by Options.Now, for latency headers and
// metrics, so that tests controlling the clock get predictable values.
func (s *Server) elapsed(start time.Time) time.Duration {
	d := s.opts.Now().Sub(start)
	if d < 0 {
		return 0
	}
	return d
}
