package emulator

// The service tier of InvokeModel and InvokeModelWithResponseStream is
// the X-Amzn-Bedrock-Service-Tier request header (aws-sdk-go-v2
// bedrockruntime schemas.go binds serviceTier to it), which echoHeaders
// checks against Bedrock's enum and echoes on the response, as Bedrock
// reports the tier that served a request. The ledger records the tier
// asked for, so a client's cost accounting can be checked against it.

// recordServiceTier puts the tier a model call asked for in its ledger
// record. Converse takes its tier in the body (serviceTier.type), so only
// the Invoke operations read the header, as a Smithy server reads only
// the headers its input binds.
func recordServiceTier(c *call, op string) {
	switch op {
	case opInvoke, opInvokeStream:
		c.rec.ServiceTier = c.r.Header.Get(hdrServiceTier)
	}
}
