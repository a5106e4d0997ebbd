package emulator_test

// Shared set-up for the conformance suites: each test starts its own
// emulator on loopback and points a client we did not write at it
// (aws-sdk-go-v2, the Anthropic Go SDK, net/http's h2c transport).

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// Fake credentials; nothing here ever leaves loopback.
const (
	confRegion    = "us-east-1"
	confAccount   = "123456789012"
	confAccessKey = "AKIAEMULATORCONFORM1"
	confSecretKey = "conformance/secret/key/0123456789abcdefABCD"
	confToken     = "FwoGZXIvYXdzEConformanceSessionToken//////////"
	confBearer    = "ABSKY29uZm9ybWFuY2UtYmVhcmVyLXRva2Vu"

	// confModel is a system-defined inference profile every default table
	// for us-east-1 serves (DESIGN.md §4 default primary model).
	confModel = "global.anthropic.claude-sonnet-4-6"
	// confDatedModel carries a ':' that clients escape differently.
	confDatedModel = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	// confAppProfile is one of the emulator's application inference
	// profiles (backed by Sonnet 4.6); its ID does not name the model.
	confAppProfile = "k3v9x2m7q1ab"
)

// confCredentials is what the emulator accepts in the conformance tests.
func confCredentials() *emulator.Credentials {
	return &emulator.Credentials{
		Keys:         []emulator.Key{{AccessKeyID: confAccessKey, SecretAccessKey: confSecretKey, SessionToken: confToken}},
		BearerTokens: []string{confBearer},
	}
}

// confStaticCreds is the client side of confCredentials.
func confStaticCreds() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(confAccessKey, confSecretKey, confToken)
}

// confOptions fills in region, account and (unless the test set its own
// or allows unsigned requests) the verifying credentials.
func confOptions(opts emulator.Options) emulator.Options {
	if opts.Region == "" {
		opts.Region = confRegion
	}
	if opts.Account == "" {
		opts.Account = confAccount
	}
	if opts.Credentials == nil && !opts.AllowUnsigned {
		opts.Credentials = confCredentials()
	}
	return opts
}

// confServer builds an emulator from opts (see confOptions) without
// serving it, for a test that serves it its own way (TLS).
func confServer(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(confOptions(opts))
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	return srv
}

// confStart serves an emulator built from opts (see confOptions) on a
// loopback port, over HTTP/1.1 and h2c as `basalt emulator` does.
func confStart(t *testing.T, opts emulator.Options) *emulator.Running {
	t.Helper()
	return emulatortest.New(t, confOptions(opts))
}

// confScenario writes a scenario file for v and loads it the way the CLI
// does.
func confScenario(t *testing.T, v any, vars map[string]string) *emulator.Scenario {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := emulator.LoadScenario(path, vars)
	if err != nil {
		t.Fatalf("LoadScenario: %v", err)
	}
	return sc
}

// confFaults parses a fault spec or fails the test.
func confFaults(t *testing.T, spec string) emulator.Faults {
	t.Helper()
	f, err := emulator.ParseFaults(spec)
	if err != nil {
		t.Fatalf("ParseFaults(%q): %v", spec, err)
	}
	return f
}

// confSideReply is a scenario whose only answer is the side reply: the AWS
// SDK tests send no tools, so every request they make is a side request.
func confSideReply(t *testing.T, reply string) *emulator.Scenario {
	t.Helper()
	return confScenario(t, map[string]any{
		"turns":      []any{map[string]any{"text": "main turn"}},
		"side_reply": reply,
	}, nil)
}
