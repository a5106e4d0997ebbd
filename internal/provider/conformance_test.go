package provider_test

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/provider/providertest"
)

// TestConformance runs the provider's conformance suite against the
// emulator, with SigV4 verified. The same suite runs against Bedrock with
// -tags bedrock_live (live_test.go).
func TestConformance(t *testing.T) {
	t.Parallel()
	providertest.Run(t, func(t *testing.T) providertest.Target {
		b := startEmulator(t, emulator.Options{
			Credentials: &emulator.Credentials{Keys: []emulator.Key{{AccessKeyID: "AKIACONF", SecretAccessKey: "s", SessionToken: "t"}}},
			Scenario: &emulator.Scenario{
				Turns:     []emulator.Turn{{Text: "Let me read it.", ToolUse: []emulator.ToolUse{{Name: "Read", Input: []byte(`{"file_path":"/etc/hostname"}`)}}}, {Text: "It says build-host-7."}},
				SideReply: "Hello there.",
			},
		})
		b.env["AWS_ACCESS_KEY_ID"], b.env["AWS_SECRET_ACCESS_KEY"], b.env["AWS_SESSION_TOKEN"] = "AKIACONF", "s", "t"
		return providertest.Target{Client: b.client(t, clientOpts{}), Model: sonnet, Cached: true}
	})
}
