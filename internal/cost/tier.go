package cost

import (
	"strings"

	"github.com/basalt-dev/basalt/internal/model"
)

// Tier is a Bedrock service tier (ANTHROPIC_BEDROCK_SERVICE_TIER, and the
// X-Amzn-Bedrock-Service-Tier header Bedrock answers with): the same
// tokens cost more on priority and less on flex.
//
// The multipliers are relative to the standard (on-demand) price the
// catalog holds. Sources: AWS, "Service tiers for optimizing performance
// and cost" (docs.aws.amazon.com/bedrock/latest/userguide/service-tiers-inference.html:
// priority is "a price premium over standard on-demand pricing", flex "a
// pricing discount", the tier that served a request is in the response)
// and the tier columns of aws.amazon.com/bedrock/pricing, which price the
// models offered on all three tiers at 1.75× standard on priority and
// 0.5× on flex. The search corpus this was written from held the first
// page but not the pricing table itself: the two ratios are
// docs/service-tiers.md's record of it, to be checked against the pricing
// page when it changes. For a model AWS has not priced per tier, basalt
// applies the same ratios and the README says so.
type Tier string

// The tiers a request may ask for; "" is the standard tier.
const (
	TierDefault  Tier = "default"
	TierFlex     Tier = "flex"
	TierPriority Tier = "priority"
)

// Multiplier is the tier's price relative to the standard tier: 1 for
// default, "" and any tier basalt does not know (reserved capacity is
// billed separately, not per token).
func (t Tier) Multiplier() float64 {
	switch Tier(strings.ToLower(string(t))) {
	case TierPriority:
		return 1.75
	case TierFlex:
		return 0.5
	}
	return 1
}

// apply prices c at the tier.
func (t Tier) apply(c Cost) Cost {
	c.USD *= t.Multiplier()
	return c
}

// OfTier is [Of] at a service tier.
func OfTier(m *model.Model, id string, t Tier, u Usage) Cost { return t.apply(Of(m, id, u)) }
