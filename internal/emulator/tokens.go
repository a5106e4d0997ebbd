package emulator

// estimateTokens is the emulator's tokenizer: ⌈bytes/4⌉ of the JSON of a
// block (DESIGN.md §7). It is deliberately simple so tests can compute the
// expected counts by hand.
func estimateTokens(json []byte) int {
	return (len(json) + 3) / 4
}
