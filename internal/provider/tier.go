package provider

// ServiceTierHeader carries the Bedrock service tier of an InvokeModel
// request (default, flex, priority), as the Bedrock runtime API defines
// it (aws-sdk-go-v2 bedrockruntime: InvokeModelInput.ServiceTier is bound
// to this header) and Claude Code sends ANTHROPIC_BEDROCK_SERVICE_TIER.
// Bedrock answers with the tier that served the request in the same
// response header.
const ServiceTierHeader = "X-Amzn-Bedrock-Service-Tier"
