package emulator_test

// What the ledger says about requests the emulator refused or answered
// without the model, as seen from a real client: the ledger is how we learn
// what Claude Code and the SDKs sent (scripts/conformance-npm.sh prints it),
// so a record must describe the request even when the answer is an error or
// a guardrail intervention.

import (
	"net/http"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/bedrock"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// TestConformanceLedgerRefusedModel: Record.Model is documented as "the
// model ID of the path, decoded"; a request refused by authentication still
// has that path.
func TestConformanceLedgerRefusedModel(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "x")})
	cfg := aws.Config{Region: confRegion, Credentials: credentials.NewStaticCredentialsProvider(confAccessKey, "wrong-secret", confToken)}
	client := anthropic.NewClient(bedrock.WithConfig(cfg), option.WithBaseURL(srv.URL), option.WithMaxRetries(0))
	_, err := client.Messages.New(t.Context(), anthropic.MessageNewParams{
		Model: anthropic.Model(confDatedModel), MaxTokens: 8,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
	})
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	recs := srv.Records()
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	got := struct {
		Status       int
		ErrorType    string
		Operation    string
		Model        string
		AccessKeyID  string
		RequestBytes bool
	}{recs[0].Status, recs[0].ErrorType, recs[0].Operation, recs[0].Model, recs[0].AccessKeyID, recs[0].RequestBytes > 0}
	want := got
	want.Status, want.ErrorType, want.Operation, want.Model, want.AccessKeyID, want.RequestBytes = http.StatusForbidden, "InvalidSignatureException", "InvokeModel", confDatedModel, confAccessKey, true
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ledger record of a refused request mismatch (-want +got):\n%s", diff)
	}
}

// TestConformanceLedgerGuardrailBreakpoints: a guardrail intervention skips
// the prompt cache, but the request still carried its cache breakpoints;
// the ledger's breakpoints and ttls describe the request (DESIGN.md §7), so
// they must not read 0 and [] (seen with Claude Code and
// ANTHROPIC_CUSTOM_HEADERS guardrail headers: bp=3 became 0).
func TestConformanceLedgerGuardrailBreakpoints(t *testing.T) {
	t.Parallel()
	g, err := emulator.ParseGuardrail("gr7xk2m9p4q1:1:(?i)blocked")
	if err != nil {
		t.Fatal(err)
	}
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "x"), Guardrails: []emulator.Guardrail{g}})
	client := confAnthropic(srv.URL,
		option.WithHeader("X-Amzn-Bedrock-GuardrailIdentifier", "gr7xk2m9p4q1"),
		option.WithHeader("X-Amzn-Bedrock-GuardrailVersion", "1"))
	for _, prompt := range []string{"this is blocked", "this passes"} {
		_, err := client.Messages.New(t.Context(), anthropic.MessageNewParams{
			Model: anthropic.Model(confModel), MaxTokens: 8,
			System:   []anthropic.TextBlockParam{{Text: confSystemPrompt, CacheControl: anthropic.NewCacheControlEphemeralParam()}},
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(prompt))},
		})
		if err != nil {
			t.Fatalf("Messages.New(%q): %v", prompt, err)
		}
	}
	type view struct {
		Breakpoints int
		TTLs        []string
	}
	var got []view
	for _, r := range srv.Records() {
		got = append(got, view{r.Breakpoints, r.TTLs})
	}
	want := []view{{1, []string{"5m"}}, {1, []string{"5m"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ledger breakpoints (intervened, then passed) mismatch (-want +got):\n%s", diff)
	}
}
