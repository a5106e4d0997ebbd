package emulator

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// Stream event shapes: the Anthropic streaming events, one per chunk
// (reference §3.4).
type (
	evMessageStart struct {
		Type    string      `json:"type"`
		Message messageJSON `json:"message"`
	}
	evBlockStart struct {
		Type         string `json:"type"`
		Index        int    `json:"index"`
		ContentBlock any    `json:"content_block"`
	}
	evBlockDelta struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
		Delta any    `json:"delta"`
	}
	evBlockStop struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
	}
	evMessageDelta struct {
		Type  string `json:"type"`
		Delta struct {
			StopReason   string  `json:"stop_reason"`
			StopSequence *string `json:"stop_sequence"`
		} `json:"delta"`
		Usage struct {
			OutputTokens int `json:"output_tokens"`
		} `json:"usage"`
	}
	evMessageStop struct {
		Type            string          `json:"type"`
		Metrics         metricsJSON     `json:"amazon-bedrock-invocationMetrics"`
		GuardrailAction string          `json:"amazon-bedrock-guardrailAction,omitempty"`
		Trace           json.RawMessage `json:"amazon-bedrock-trace,omitempty"`
	}
	metricsJSON struct {
		InputTokenCount           int   `json:"inputTokenCount"`
		OutputTokenCount          int   `json:"outputTokenCount"`
		InvocationLatency         int64 `json:"invocationLatency"`
		FirstByteLatency          int64 `json:"firstByteLatency"`
		CacheReadInputTokenCount  int   `json:"cacheReadInputTokenCount"`
		CacheWriteInputTokenCount int   `json:"cacheWriteInputTokenCount"`
	}
	textDelta struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	thinkingDelta struct {
		Type     string `json:"type"`
		Thinking string `json:"thinking"`
	}
	signatureDelta struct {
		Type      string `json:"type"`
		Signature string `json:"signature"`
	}
	inputDelta struct {
		Type        string `json:"type"`
		PartialJSON string `json:"partial_json"`
	}
)

// pieceSize is how much text one delta carries, about what a model emits
// per chunk on Bedrock.
const pieceSize = 48

// streamEvents renders a reply as its Anthropic events, all but the final
// message_stop, whose metrics are only known at the end.
func streamEvents(m messageJSON, r reply) []any {
	start := m
	start.Content = []block{}
	start.StopReason, start.StopSequence = nil, nil
	start.Trace = nil
	start.Usage.OutputTokens = min(1, r.OutputTokens)
	evs := []any{evMessageStart{"message_start", start}}
	for i, b := range r.Blocks {
		switch b.Type {
		case "thinking":
			evs = append(evs, evBlockStart{"content_block_start", i, block{Type: "thinking"}})
			for _, p := range pieces(b.Text) {
				evs = append(evs, evBlockDelta{"content_block_delta", i, thinkingDelta{"thinking_delta", p}})
			}
			evs = append(evs, evBlockDelta{"content_block_delta", i, signatureDelta{"signature_delta", b.Signature}})
		case "tool_use":
			evs = append(evs, evBlockStart{"content_block_start", i, struct {
				Type  string          `json:"type"`
				ID    string          `json:"id"`
				Name  string          `json:"name"`
				Input json.RawMessage `json:"input"`
			}{"tool_use", b.ID, b.Name, json.RawMessage("{}")}})
			input := string(b.Input)
			if b.truncated {
				input = b.Partial
			}
			// Models open a tool call with an empty delta.
			evs = append(evs, evBlockDelta{"content_block_delta", i, inputDelta{"input_json_delta", ""}})
			for _, p := range pieces(input) {
				evs = append(evs, evBlockDelta{"content_block_delta", i, inputDelta{"input_json_delta", p}})
			}
		default:
			evs = append(evs, evBlockStart{"content_block_start", i, textDelta{"text", ""}})
			for _, p := range pieces(b.Text) {
				evs = append(evs, evBlockDelta{"content_block_delta", i, textDelta{"text_delta", p}})
			}
		}
		evs = append(evs, evBlockStop{"content_block_stop", i})
	}
	md := evMessageDelta{Type: "message_delta"}
	md.Delta.StopReason = r.StopReason
	if r.StopSequence != "" {
		md.Delta.StopSequence = &r.StopSequence
	}
	md.Usage.OutputTokens = r.OutputTokens
	return append(evs, md)
}

// pieces splits s into deltas of about pieceSize bytes, at a space when
// there is one, never inside a rune.
func pieces(s string) []string {
	var out []string
	for len(s) > pieceSize {
		cut := strings.LastIndexByte(s[:pieceSize], ' ') + 1
		if cut <= 0 {
			cut = pieceSize
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			if cut == 0 {
				_, cut = utf8.DecodeRuneInString(s)
			}
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// stream answers InvokeModelWithResponseStream: 200, then one event-stream
// frame per event, flushed one by one, with the faults of f on the way.
func (s *Server) stream(c *call, m messageJSON, r reply, u cacheUsage, f faultDraw) {
	evs := streamEvents(m, r)
	h := c.w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("X-Amzn-Bedrock-Content-Type", "application/json")
	h.Set("x-amzn-RequestId", c.id)
	c.w.WriteHeader(http.StatusOK)
	c.rec.Status = http.StatusOK

	frames := len(evs) + 1
	cut := f.cutAt(frames)
	fw := newFrameWriter(c.w)
	var firstByte int64
	for i := 0; i < frames; i++ {
		if !s.beforeFrame(c, f, i, cut, func(e *apiError) { fw.exception(e) }) {
			return
		}
		var ev any
		if i < len(evs) {
			ev = evs[i]
		} else {
			ev = evMessageStop{
				Type: "message_stop",
				Metrics: metricsJSON{
					InputTokenCount:           u.InputTokens,
					OutputTokenCount:          r.OutputTokens,
					InvocationLatency:         s.elapsed(c.start).Milliseconds(),
					FirstByteLatency:          firstByte,
					CacheReadInputTokenCount:  u.CacheReadInputTokens,
					CacheWriteInputTokenCount: u.CacheCreationInputTokens,
				},
				GuardrailAction: r.GuardrailAction,
				Trace:           r.Trace,
			}
		}
		if err := fw.event(ev); err != nil {
			c.rec.ErrorType = "client-closed"
			return
		}
		if i == 0 {
			firstByte = s.elapsed(c.start).Milliseconds()
		}
	}
}

// streamFault is the exception frame of a stream-error fault.
// cutAt is the frame of a stream of frames that f's fault strikes
// before, -1 when it injects none. A fault strikes after at least one
// frame and before the last, so the client has already seen a 200 and a
// partial message.
func (f faultDraw) cutAt(frames int) int {
	if !f.disconnect && !f.streamError {
		return -1
	}
	return 1 + int(f.at*float64(frames-1))
}

// beforeFrame applies f before frame i of a stream whose fault strikes at
// cut: a disconnect aborts the connection; a stream error is written by
// fail, in the stream's own framing; and a client that went away during
// an injected latency ends the stream too. It reports whether the stream
// goes on. Every streaming API of the emulator uses it, so they fail
// alike.
func (s *Server) beforeFrame(c *call, f faultDraw, i, cut int, fail func(*apiError)) bool {
	if i == cut {
		if f.disconnect {
			c.rec.ErrorType = "disconnect"
			panic(http.ErrAbortHandler)
		}
		e := streamFault(f)
		c.rec.ErrorType = e.streamType()
		fail(e)
		return false
	}
	if !sleep(c.r.Context(), s.opts.Faults.Latency) {
		c.rec.ErrorType = "client-closed"
		return false
	}
	return true
}

func streamFault(f faultDraw) *apiError {
	if f.modelStreamError {
		return &apiError{424, "ModelStreamErrorException", "The model encountered an unexpected error while streaming. Try your request again."}
	}
	return errThrottling("Too many requests, please wait before trying again.")
}

// frameWriter writes event-stream frames with the AWS SDK's encoder
// (reference §3) and flushes each one, so a client sees every event as it
// is produced.
type frameWriter struct {
	w   io.Writer
	rc  *http.ResponseController
	enc *eventstream.Encoder
	buf []byte
}

func newFrameWriter(w http.ResponseWriter) *frameWriter {
	return &frameWriter{w: w, rc: http.NewResponseController(w), enc: eventstream.NewEncoder()}
}

var (
	chunkHeaders = eventstream.Headers{
		{Name: ":event-type", Value: eventstream.StringValue("chunk")},
		{Name: ":content-type", Value: eventstream.StringValue("application/json")},
		{Name: ":message-type", Value: eventstream.StringValue("event")},
	}
	// padAlphabet is what Bedrock pads chunks with to hide their length.
	padAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// event sends one Anthropic event as a chunk: {"bytes":base64,"p":pad}.
func (fw *frameWriter) event(ev any) error {
	j, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	pad := padAlphabet[:1+len(j)%len(padAlphabet)]
	fw.buf = append(fw.buf[:0], `{"bytes":"`...)
	fw.buf = base64.StdEncoding.AppendEncode(fw.buf, j)
	fw.buf = append(fw.buf, `","p":"`...)
	fw.buf = append(fw.buf, pad...)
	fw.buf = append(fw.buf, `"}`...)
	return fw.send(eventstream.Message{Headers: chunkHeaders, Payload: fw.buf})
}

// exception sends e as a modeled stream exception: lowercase-first
// :exception-type (reference §3.5), {"message":…}.
func (fw *frameWriter) exception(e *apiError) error {
	payload := map[string]any{"message": e.Message}
	if e.Type == "ModelStreamErrorException" {
		payload["originalStatusCode"] = 500
		payload["originalMessage"] = "Internal server error"
	}
	b, _ := json.Marshal(payload)
	return fw.send(eventstream.Message{
		Headers: eventstream.Headers{
			{Name: ":exception-type", Value: eventstream.StringValue(e.streamType())},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("exception")},
		},
		Payload: b,
	})
}

func (fw *frameWriter) send(m eventstream.Message) error {
	if err := fw.enc.Encode(fw.w, m); err != nil {
		return err
	}
	return fw.rc.Flush()
}
