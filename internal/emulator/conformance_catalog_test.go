package emulator_test

// The control plane as a caller in another region sees it, and the
// foundation-model catalog, through aws-sdk-go-v2 service/bedrock.

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	rtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// TestConformanceProfilesForSignedRegion: an emulator started for
// us-east-1 answers a client signing for eu-west-1 with eu-west-1's
// profiles (eu. and global., never us.), and serves them for invocation.
func TestConformanceProfilesForSignedRegion(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "from eu")})
	eu := bedrock.New(bedrock.Options{
		Region: "eu-west-1", Credentials: confStaticCreds(), BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
	})
	out, err := eu.ListInferenceProfiles(t.Context(), &bedrock.ListInferenceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range out.InferenceProfileSummaries {
		id := aws.ToString(p.InferenceProfileId)
		ids = append(ids, id)
		if strings.HasPrefix(id, "us.") {
			t.Errorf("eu-west-1 caller got the us. profile %s", id)
		}
		if arn := aws.ToString(p.InferenceProfileArn); !strings.Contains(arn, ":eu-west-1:") {
			t.Errorf("profile ARN %s is not in eu-west-1", arn)
		}
	}
	if !slices.Contains(ids, "eu.anthropic.claude-sonnet-4-6") {
		t.Errorf("eu-west-1 profiles %v lack eu.anthropic.claude-sonnet-4-6", ids)
	}
	if _, err := eu.GetInferenceProfile(t.Context(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("us.anthropic.claude-sonnet-4-6")}); err == nil {
		t.Error("GetInferenceProfile(us.…) from eu-west-1 succeeded, want not found")
	}

	rt := confRuntime(srv.URL, confStaticCreds(), func(o *bedrockruntime.Options) { o.Region = "eu-west-1" })
	if _, err := rt.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("eu.anthropic.claude-sonnet-4-6"), Messages: []rtypes.Message{userText("hi")},
	}); err != nil {
		t.Errorf("Converse with eu. profile from eu-west-1: %v", err)
	}
	_, err = rt.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String("us.anthropic.claude-sonnet-4-6"), Messages: []rtypes.Message{userText("hi")},
	})
	checkAPIError(t, "us. profile from eu-west-1", err, "ValidationException", "The provided model identifier is invalid.", 400)
	recs := srv.Records()
	if recs[0].Region != "eu-west-1" {
		t.Errorf("ledger region %q, want eu-west-1", recs[0].Region)
	}
}

func TestConformanceFoundationModels(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Models: []string{"global.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0"}})
	client := confControl(srv.URL)
	out, err := client.ListFoundationModels(t.Context(), &bedrock.ListFoundationModelsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range out.ModelSummaries {
		ids = append(ids, aws.ToString(m.ModelId))
		if aws.ToString(m.ProviderName) != "Anthropic" || !aws.ToBool(m.ResponseStreamingSupported) ||
			!slices.Contains(m.InferenceTypesSupported, types.InferenceType("INFERENCE_PROFILE")) ||
			m.ModelLifecycle == nil || m.ModelLifecycle.Status != types.FoundationModelLifecycleStatusActive {
			t.Errorf("summary %s: provider %q streaming %v types %v lifecycle %+v", aws.ToString(m.ModelId),
				aws.ToString(m.ProviderName), aws.ToBool(m.ResponseStreamingSupported), m.InferenceTypesSupported, m.ModelLifecycle)
		}
	}
	want := []string{"anthropic.claude-sonnet-4-6", "anthropic.claude-haiku-4-5-20251001-v1:0"}
	if !slices.Equal(ids, want) {
		t.Errorf("ListFoundationModels = %v, want the served models %v", ids, want)
	}
	none, err := client.ListFoundationModels(t.Context(), &bedrock.ListFoundationModelsInput{ByProvider: aws.String("Amazon")})
	if err != nil || len(none.ModelSummaries) != 0 {
		t.Errorf("byProvider=Amazon: %v, %d models, want none", err, len(none.ModelSummaries))
	}

	got, err := client.GetFoundationModel(t.Context(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("anthropic.claude-sonnet-4-6")})
	if err != nil {
		t.Fatal(err)
	}
	if d := got.ModelDetails; aws.ToString(d.ModelName) != "Claude Sonnet 4.6" || aws.ToString(d.ModelArn) != "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6" {
		t.Errorf("GetFoundationModel = %s %s", aws.ToString(d.ModelName), aws.ToString(d.ModelArn))
	}
	_, err = client.GetFoundationModel(t.Context(), &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("anthropic.claude-opus-4-6-v1")})
	var nf *types.ResourceNotFoundException
	if !isType[*types.ResourceNotFoundException](err) {
		t.Errorf("GetFoundationModel of a model not served: %v, want %T", err, nf)
	}
}

// TestErrorBodyCasing: Bedrock's own exceptions carry "message"; the
// authorization layer's access-denied answers carry "Message".
func TestErrorBodyCasing(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{})
	for _, tc := range []struct {
		name, auth, wantKey string
		status              int
	}{
		{"missing Authorization", "", "Message", 403},
		{"unknown API key", "Bearer ABSKnotakey", "Message", 403},
		{"bad request", "Bearer " + confBearer, "message", 400},
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/model/"+confModel+"/converse", strings.NewReader(`{"messages":[]}`))
		req.Header.Set("Content-Type", "application/json")
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m map[string]string
		json.Unmarshal(body, &m)
		if resp.StatusCode != tc.status || len(m) != 1 || m[tc.wantKey] == "" {
			t.Errorf("%s: %d %s, want %d with one %q field", tc.name, resp.StatusCode, body, tc.status, tc.wantKey)
		}
	}
}
