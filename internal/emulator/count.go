package emulator

// countInputTokens is the whole input of a request body, as CountTokens
// reports it and as a request the model never sees (a guardrail
// intervention) is billed. It counts blocks exactly as the prompt cache
// does, so CountTokens equals the sum of the three usage counters of the
// same request.
func countInputTokens(body []byte) (int, *apiError) {
	blocks, aerr := cacheBlocks(body)
	if aerr != nil {
		return 0, aerr
	}
	n := 0
	for _, b := range blocks {
		n += b.tokens
	}
	return n, nil
}
