// Package emulator is a local Amazon Bedrock for Anthropic models: the
// runtime operations (InvokeModel, InvokeModelWithResponseStream,
// CountTokens) and the inference-profile operations of the control plane,
// served on one port over HTTP/1.1 and h2c, with SigV4 and bearer
// verification, a scripted model, prompt-cache accounting, seeded faults,
// guardrail interventions and a request ledger.
//
// It is an independent implementation of the wire protocol
// (shared/reference/bedrock-protocol.md): it must not import provider,
// awsauth, model or agent, so that the client and the server check each
// other.
package emulator
