package emulator

import (
	"crypto/rand"
	"fmt"
)

// idSource makes the identifiers Bedrock puts on the wire. They come from
// crypto/rand, not from the fault generator, so that turning faults on or
// off never changes which faults a seed produces.
type idSource struct{}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func (idSource) text(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = base62[int(b[i])%len(base62)]
	}
	return string(b)
}

// requestID is a UUID, the shape of x-amzn-RequestId.
func (idSource) requestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// messageID has Bedrock's msg_bdrk_ prefix (reference §2.3).
func (s idSource) messageID() string { return "msg_bdrk_01" + s.text(22) }

// toolUseID has Bedrock's toolu_bdrk_ prefix.
func (s idSource) toolUseID() string { return "toolu_bdrk_01" + s.text(22) }

// signature stands in for the opaque signature of a thinking block.
func (s idSource) signature() string { return "RW11bGF0ZWQ" + s.text(86) }
