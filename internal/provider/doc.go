// Package provider owns streaming Messages calls to Bedrock (through the
// Anthropic Go SDK bedrock adapter plus awsauth) and to the Anthropic API:
// error classification, retries and refresh-and-retry.
//
// It knows nothing about tools or the user interface.
package provider
