package provider

import "github.com/anthropics/anthropic-sdk-go"

// countDelta adds up the bytes of generated content that arrived, so
// that an attempt cut before its final usage can still say roughly how
// much output it was billed for.
func (r *Response) countDelta(ev anthropic.MessageStreamEventUnion) {
	if ev.Type != "content_block_delta" {
		return
	}
	d := ev.Delta
	r.deltaBytes += len(d.Text) + len(d.Thinking) + len(d.PartialJSON)
}

// voidUsage is the usage of an attempt that did not complete: the input
// counts of message_start, and the output the service reported or, when
// its final count never came, an estimate of ⌈bytes/4⌉ of the deltas
// that arrived (the same rule Bedrock's token estimates follow).
func (r *Response) voidUsage() anthropic.Usage {
	u := r.Message.Usage
	if est := int64((r.deltaBytes + 3) / 4); est > u.OutputTokens {
		u.OutputTokens = est
	}
	return u
}
