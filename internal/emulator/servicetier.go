package emulator

import (
	"slices"
	"strings"
)

// Service tiers. The Bedrock runtime API binds InvokeModel's (and
// InvokeModelWithResponseStream's) serviceTier to the
// X-Amzn-Bedrock-Service-Tier request header, an enum of priority,
// default, flex and reserved (aws-sdk-go-v2 bedrockruntime
// schemas.go and types.ServiceTierType), and answers with the tier that
// served the request in the same response header (AWS, "Service tiers for
// optimizing performance and cost": "visible in API response"). The
// emulator checks the value as Bedrock's Smithy validation would, records
// it in the ledger and serves every tier, so a client's cost accounting
// can be checked against the ledger.
const serviceTierHeader = "X-Amzn-Bedrock-Service-Tier"

var serviceTiers = []string{"reserved", "priority", "default", "flex"}

// serviceTier reads, checks and reflects the tier of a model call.
// Operations that bind no tier header ignore it, as a Smithy server
// ignores headers its input does not bind.
func (s *Server) serviceTier(c *call, op string) *apiError {
	switch op {
	case opInvoke, opInvokeStream:
	default: // Converse takes its tier in the body (serviceTier.type)
		return nil
	}
	v := c.r.Header.Get(serviceTierHeader)
	if v == "" {
		return nil
	}
	c.rec.ServiceTier = v
	if !slices.Contains(serviceTiers, v) {
		return errValidation("1 validation error detected: Value '%s' at 'serviceTier' failed to satisfy constraint: Member must satisfy enum value set: [%s]", v, strings.Join(serviceTiers, ", "))
	}
	c.w.Header().Set(serviceTierHeader, v)
	return nil
}
