package model

// The models basalt uses when nothing is configured. They change only with
// a release, never on their own (DESIGN.md §4): a user who did not pin a
// model still never gets a more expensive one silently.
const (
	DefaultBedrockPrimary     = "global.anthropic.claude-sonnet-4-6"
	DefaultBedrockSmallFast   = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	DefaultAnthropicPrimary   = "claude-sonnet-4-6"
	DefaultAnthropicSmallFast = "claude-haiku-4-5"
)
