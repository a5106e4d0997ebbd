//go:build bedrock_live

package provider_test

import (
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/provider/providertest"
)

// TestLiveBedrock runs the conformance suite against real Amazon Bedrock
// with the machine's AWS credentials:
//
//	AWS_REGION=us-east-1 go test -tags bedrock_live -run Live ./internal/provider/
//
// BASALT_LIVE_MODEL picks the inference profile (default: Haiku 4.5, the
// cheapest). It costs a few cents.
func TestLiveBedrock(t *testing.T) {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	region := env["AWS_REGION"]
	if region == "" {
		t.Skip("set AWS_REGION and AWS credentials to run against Bedrock")
	}
	model := env["BASALT_LIVE_MODEL"]
	if model == "" {
		model = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	}
	providertest.Run(t, func(t *testing.T) providertest.Target {
		auth, err := awsauth.New(t.Context(), awsauth.Options{Env: maps.Clone(env), Region: region})
		if err != nil {
			t.Fatal(err)
		}
		c, err := provider.New(provider.Config{Provider: provider.Bedrock, Region: region, Auth: auth, MaxRetries: 3})
		if err != nil {
			t.Fatal(err)
		}
		return providertest.Target{Client: c, Model: model, Cached: true}
	})
}
