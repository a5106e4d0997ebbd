package emulator_test

// aws-sdk-go-v2 service/bedrockruntime against the emulator: InvokeModel and
// InvokeModelWithResponseStream with SigV4 verification on, and every error
// class decoded into the SDK's own typed errors.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// confRuntime returns a bedrockruntime client for baseURL that signs with
// creds, never retries (so a fault shows on the first try) and keeps the raw
// HTTP response in the result metadata.
func confRuntime(baseURL string, creds aws.CredentialsProvider, optFns ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	opts := bedrockruntime.Options{
		Region:           confRegion,
		Credentials:      creds,
		BaseEndpoint:     aws.String(baseURL),
		RetryMaxAttempts: 1,
		APIOptions:       []func(*middleware.Stack) error{awsmiddleware.AddRawResponseToMetadata},
	}
	return bedrockruntime.New(opts, optFns...)
}

// confBody is an Invoke body as Claude Code sends it, minus tools.
func confBody(prompt string) []byte {
	return []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":` +
		mustJSON(prompt) + `}]}]}`)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// invokeResult is the part of an Anthropic message the tests compare.
type invokeResult struct {
	Type       string
	Role       string
	Text       string
	StopReason string
}

func decodeMessage(t *testing.T, body []byte) (invokeResult, map[string]any) {
	t.Helper()
	var m struct {
		Type    string `json:"type"`
		Role    string `json:"role"`
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
		StopReason string         `json:"stop_reason"`
		Usage      map[string]any `json:"usage"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decode message %q: %v", body, err)
	}
	r := invokeResult{Type: m.Type, Role: m.Role, StopReason: m.StopReason}
	for _, c := range m.Content {
		if c.Type == "text" {
			r.Text += c.Text
		}
	}
	return r, m.Usage
}

func TestConformanceAWSSDKInvokeModel(t *testing.T) {
	t.Parallel()
	const reply = "pong from the emulator"
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, reply)})
	url := srv.URL
	client := confRuntime(url, confStaticCreds())

	arn := "arn:aws:bedrock:" + confRegion + ":" + confAccount + ":inference-profile/" + confDatedModel
	tests := []struct {
		name  string
		model string
	}{
		{"global profile", confModel},
		{"profile with colon", confDatedModel},
		{"system profile ARN", arn},
		{"application profile ARN", "arn:aws:bedrock:" + confRegion + ":" + confAccount + ":application-inference-profile/" + confAppProfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
				ModelId:     aws.String(tt.model),
				Body:        confBody("ping"),
				ContentType: aws.String("application/json"),
				Accept:      aws.String("application/json"),
			})
			if err != nil {
				t.Fatalf("InvokeModel(%s): %v", tt.model, err)
			}
			got, usage := decodeMessage(t, out.Body)
			want := invokeResult{Type: "message", Role: "assistant", Text: reply, StopReason: "end_turn"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
			if n, _ := usage["input_tokens"].(float64); n <= 0 {
				t.Errorf("usage.input_tokens = %v, want > 0", usage["input_tokens"])
			}
			if got := aws.ToString(out.ContentType); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); !ok || id == "" {
				t.Errorf("no x-amzn-RequestId in the response")
			}
			raw, _ := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response)
			if raw == nil {
				t.Fatal("no raw response in the metadata")
			}
			for _, h := range []string{"X-Amzn-Bedrock-Input-Token-Count", "X-Amzn-Bedrock-Output-Token-Count", "X-Amzn-Bedrock-Invocation-Latency"} {
				if raw.Header.Get(h) == "" {
					t.Errorf("response lacks header %s", h)
				}
			}
		})
	}
	t.Cleanup(func() {
		models := map[string]bool{}
		for _, r := range srv.Records() {
			got := ledgerView{r.Operation, r.Status, r.Auth, r.AccessKeyID, r.Region, r.Stream, r.MaxTokens}
			want := ledgerView{"InvokeModel", http.StatusOK, "sigv4", confAccessKey, confRegion, false, 256}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ledger record mismatch (-want +got):\n%s", diff)
			}
			models[r.Model] = true
		}
		for _, tt := range tests {
			if !models[tt.model] {
				t.Errorf("ledger lacks a record for model %s (has %v)", tt.model, models)
			}
		}
	})
}

// ledgerView is the part of a ledger record the tests compare.
type ledgerView struct {
	Operation   string
	Status      int
	Auth        string
	AccessKeyID string
	Region      string
	Stream      bool
	MaxTokens   int
}

// streamEvent is one decoded Anthropic event from a chunk.
type streamEvent struct {
	Type    string          `json:"type"`
	Delta   json.RawMessage `json:"delta"`
	Metrics map[string]any  `json:"amazon-bedrock-invocationMetrics"`
}

func TestConformanceAWSSDKInvokeModelWithResponseStream(t *testing.T) {
	t.Parallel()
	const reply = "streamed pong"
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, reply)})
	url := srv.URL
	client := confRuntime(url, confStaticCreds())

	for _, model := range []string{confModel, confDatedModel} {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			out, err := client.InvokeModelWithResponseStream(t.Context(), &bedrockruntime.InvokeModelWithResponseStreamInput{
				ModelId:     aws.String(model),
				Body:        confBody("ping"),
				ContentType: aws.String("application/json"),
				Accept:      aws.String("application/json"),
			})
			if err != nil {
				t.Fatalf("InvokeModelWithResponseStream: %v", err)
			}
			stream := out.GetStream()
			defer stream.Close()
			var types_ []string
			var text strings.Builder
			var last streamEvent
			for ev := range stream.Events() {
				chunk, ok := ev.(*types.ResponseStreamMemberChunk)
				if !ok {
					t.Fatalf("unexpected stream member %T", ev)
				}
				var e streamEvent
				if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
					t.Fatalf("chunk bytes %q: %v", chunk.Value.Bytes, err)
				}
				types_ = append(types_, e.Type)
				if e.Type == "content_block_delta" {
					var d struct{ Type, Text string }
					if err := json.Unmarshal(e.Delta, &d); err != nil {
						t.Fatal(err)
					}
					text.WriteString(d.Text)
				}
				last = e
			}
			if err := stream.Err(); err != nil {
				t.Fatalf("stream.Err: %v", err)
			}
			if got := text.String(); got != reply {
				t.Errorf("streamed text = %q, want %q", got, reply)
			}
			if len(types_) < 5 {
				t.Fatalf("events %v: want at least message_start, one block and message_delta/stop", types_)
			}
			outer := []string{types_[0], types_[1], types_[len(types_)-3], types_[len(types_)-2], types_[len(types_)-1]}
			wantOuter := []string{"message_start", "content_block_start", "content_block_stop", "message_delta", "message_stop"}
			if diff := cmp.Diff(wantOuter, outer); diff != "" {
				t.Errorf("event order mismatch (-want +got):\n%s\nall: %v", diff, types_)
			}
			for _, typ := range types_ {
				if typ == "ping" {
					t.Errorf("Bedrock sends no ping events; got %v", types_)
					break
				}
			}
			if last.Metrics == nil {
				t.Fatalf("message_stop lacks amazon-bedrock-invocationMetrics")
			}
			for _, k := range []string{"inputTokenCount", "outputTokenCount", "invocationLatency", "firstByteLatency"} {
				if _, ok := last.Metrics[k]; !ok {
					t.Errorf("invocation metrics lack %s: %v", k, last.Metrics)
				}
			}
		})
	}
}

// TestConformanceAWSSDKErrors checks that each error the emulator sends
// before the first byte decodes into the SDK's typed error (or, for the
// front-door auth errors that the service model does not list, a
// smithy.APIError with that code).
func TestConformanceAWSSDKErrors(t *testing.T) {
	t.Parallel()
	wrongSecret := credentials.NewStaticCredentialsProvider(confAccessKey, "not-the-secret", confToken)
	unknownKey := credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", confSecretKey, confToken)
	tests := []struct {
		name     string
		opts     emulator.Options
		creds    aws.CredentialsProvider
		model    string
		body     []byte
		unsigned bool // strip the signature, as a gateway client sends
		warmups  int  // successful requests before the one that must fail
		wantCode string
		wantMsg  string // exact, or a prefix when it ends with "…"
		wantHTTP int
		typed    func(error) bool
	}{
		{
			name:     "bare foundation model",
			model:    "anthropic.claude-sonnet-4-6",
			wantCode: "ValidationException",
			wantMsg:  "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
			wantHTTP: http.StatusBadRequest,
			typed:    isType[*types.ValidationException],
		},
		{
			name:     "unknown profile",
			model:    "us.anthropic.claude-nonexistent-9-v1:0",
			wantCode: "ValidationException",
			wantMsg:  "The provided model identifier is invalid.",
			wantHTTP: http.StatusBadRequest,
			typed:    isType[*types.ValidationException],
		},
		{
			name:     "extraneous model key",
			body:     []byte(`{"anthropic_version":"bedrock-2023-05-31","model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`),
			wantCode: "ValidationException",
			wantMsg:  "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.",
			wantHTTP: http.StatusBadRequest,
			typed:    isType[*types.ValidationException],
		},
		{
			name:     "missing anthropic_version",
			body:     []byte(`{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`),
			wantCode: "ValidationException",
			wantMsg:  "…",
			wantHTTP: http.StatusBadRequest,
			typed:    isType[*types.ValidationException],
		},
		{
			name:     "throttled",
			opts:     emulator.Options{Faults: confFaults(t, "throttle=1,seed=1")},
			wantCode: "ThrottlingException",
			wantMsg:  "Too many …",
			wantHTTP: http.StatusTooManyRequests,
			typed:    isType[*types.ThrottlingException],
		},
		{
			name:     "unavailable",
			opts:     emulator.Options{Faults: confFaults(t, "unavailable=1,seed=1")},
			wantCode: "ServiceUnavailableException",
			wantMsg:  "…",
			wantHTTP: http.StatusServiceUnavailable,
			typed:    isType[*types.ServiceUnavailableException],
		},
		{
			name:     "wrong secret",
			creds:    wrongSecret,
			wantCode: "InvalidSignatureException",
			wantMsg:  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.…",
			wantHTTP: http.StatusForbidden,
		},
		{
			name:     "unknown key",
			creds:    unknownKey,
			wantCode: "UnrecognizedClientException",
			wantMsg:  "The security token included in the request is invalid.",
			wantHTTP: http.StatusForbidden,
		},
		{
			name:     "unsigned",
			unsigned: true,
			wantCode: "AccessDeniedException",
			wantMsg:  "Authorization header is missing",
			wantHTTP: http.StatusForbidden,
			typed:    isType[*types.AccessDeniedException],
		},
		{
			name:     "extraneous stream key",
			body:     []byte(`{"anthropic_version":"bedrock-2023-05-31","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`),
			wantCode: "ValidationException",
			wantMsg:  "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.",
			wantHTTP: http.StatusBadRequest,
			typed:    isType[*types.ValidationException],
		},
		{
			name:     "expired after one request",
			opts:     emulator.Options{Faults: confFaults(t, "expire-after=1")},
			warmups:  1,
			wantCode: "ExpiredTokenException",
			wantMsg:  "The security token included in the request is expired",
			wantHTTP: http.StatusForbidden,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Scenario = confSideReply(t, "ok")
			url := confStart(t, opts).URL
			creds := tt.creds
			if creds == nil {
				creds = confStaticCreds()
			}
			model, body := tt.model, tt.body
			if model == "" {
				model = confModel
			}
			if body == nil {
				body = confBody("hello")
			}
			for i := range tt.warmups {
				if _, err := confRuntime(url, confStaticCreds()).InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
					ModelId: aws.String(model), Body: confBody("warm-up"), ContentType: aws.String("application/json"),
				}); err != nil {
					t.Fatalf("warm-up %d: %v", i, err)
				}
			}
			var optFns []func(*bedrockruntime.Options)
			if tt.unsigned {
				optFns = append(optFns, unsigned)
			}
			client := confRuntime(url, creds, optFns...)
			for _, op := range []string{"invoke", "invoke-with-response-stream"} {
				var err error
				if op == "invoke" {
					_, err = client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
						ModelId: aws.String(model), Body: body, ContentType: aws.String("application/json"),
					})
				} else {
					_, err = client.InvokeModelWithResponseStream(t.Context(), &bedrockruntime.InvokeModelWithResponseStreamInput{
						ModelId: aws.String(model), Body: body, ContentType: aws.String("application/json"),
					})
				}
				checkAPIError(t, op, err, tt.wantCode, tt.wantMsg, tt.wantHTTP)
				if tt.typed != nil && !tt.typed(err) {
					t.Errorf("%s: error %T (%v) is not the SDK's typed %s", op, unwrapAPI(err), err, tt.wantCode)
				}
			}
		})
	}
}

func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func unwrapAPI(err error) any {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae
	}
	return err
}

// checkAPIError asserts that err is a smithy.APIError with code, a message
// matching want (exact, or a prefix when want ends with "…"), and status.
func checkAPIError(t *testing.T, op string, err error, code, want string, status int) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %s", op, code)
		return
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s: error %T %v is not a smithy.APIError", op, err, err)
		return
	}
	if ae.ErrorCode() != code {
		t.Errorf("%s: ErrorCode() = %q, want %q (%v)", op, ae.ErrorCode(), code, err)
	}
	msg := ae.ErrorMessage()
	if prefix, ok := strings.CutSuffix(want, "…"); ok {
		if !strings.HasPrefix(msg, prefix) || msg == "" {
			t.Errorf("%s: ErrorMessage() = %q, want a non-empty message starting %q", op, msg, prefix)
		}
	} else if msg != want {
		t.Errorf("%s: ErrorMessage() mismatch (-want +got):\n%s", op, cmp.Diff(want, msg))
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) {
		t.Errorf("%s: error carries no HTTP response", op)
		return
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("%s: HTTP status %d, want %d", op, re.HTTPStatusCode(), status)
	}
}

// TestConformanceAWSSDKStreamError checks exception frames after the 200:
// the SDK must surface each from the event stream's Err() as its typed
// error. stream-error=1 sends throttlingException or
// modelStreamErrorException, drawn from the seeded generator; enough
// requests are made that both kinds are decoded.
func TestConformanceAWSSDKStreamError(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "this answer is cut by an exception frame"), Faults: confFaults(t, "stream-error=1,seed=1")})
	url := srv.URL
	client := confRuntime(url, confStaticCreds())
	const requests = 12
	seen := map[string]int{}
	for i := range requests {
		out, err := client.InvokeModelWithResponseStream(t.Context(), &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: aws.String(confModel), Body: confBody("hello"), ContentType: aws.String("application/json"),
		})
		if err != nil {
			t.Fatalf("request %d: %v (want a 200 and an in-stream exception)", i, err)
		}
		stream := out.GetStream()
		chunks := 0
		for range stream.Events() {
			chunks++
		}
		stream.Close()
		if chunks == 0 {
			t.Errorf("request %d: the exception came before any chunk; it must follow a partial message", i)
		}
		err = stream.Err()
		var throttle *types.ThrottlingException
		var modelErr *types.ModelStreamErrorException
		switch {
		case errors.As(err, &throttle):
			seen["throttlingException"]++
			if want := "Too many requests, please wait before trying again."; throttle.ErrorMessage() != want {
				t.Errorf("ThrottlingException message %q, want %q", throttle.ErrorMessage(), want)
			}
		case errors.As(err, &modelErr):
			seen["modelStreamErrorException"]++
			if modelErr.ErrorMessage() == "" || modelErr.OriginalStatusCode == nil || aws.ToString(modelErr.OriginalMessage) == "" {
				t.Errorf("ModelStreamErrorException lacks message, originalStatusCode or originalMessage: %+v", modelErr)
			}
		default:
			t.Fatalf("request %d: stream.Err() = %T %v, want *types.ThrottlingException or *types.ModelStreamErrorException", i, err, err)
		}
	}
	if len(seen) != 2 {
		t.Errorf("exception kinds over %d requests: %v, want both", requests, seen)
	}
	ledger := map[string]int{}
	for _, r := range srv.Records() {
		if r.Status != http.StatusOK || !r.Stream {
			t.Errorf("ledger: status %d stream %v for an in-stream exception, want 200 and stream", r.Status, r.Stream)
		}
		ledger[r.ErrorType]++
	}
	if diff := cmp.Diff(seen, ledger); diff != "" {
		t.Errorf("ledger error types mismatch (-client +ledger):\n%s", diff)
	}
}

// TestConformanceAWSSDKDisconnect cuts the connection mid-response: the SDK
// must not hang or return a complete-looking answer. InvokeModel fails.
// The event stream does not: smithy-go's event-stream codec treats
// io.ErrUnexpectedEOF like io.EOF (internal/eventstream/codec.go isEOF), so
// a cut stream just ends, and Err() is nil; the only sign is that no
// message_stop arrived. A client on this SDK has to check for it.
func TestConformanceAWSSDKDisconnect(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, strings.Repeat("a long answer that is cut ", 20)), Faults: confFaults(t, "disconnect=1,seed=2")})
	url := srv.URL
	client := confRuntime(url, confStaticCreds())
	t.Run("invoke", func(t *testing.T) {
		out, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
			ModelId: aws.String(confModel), Body: confBody("hello"), ContentType: aws.String("application/json"),
		})
		if err == nil {
			t.Fatalf("InvokeModel over a cut connection succeeded with %q", out.Body)
		}
	})
	t.Run("stream", func(t *testing.T) {
		out, err := client.InvokeModelWithResponseStream(t.Context(), &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: aws.String(confModel), Body: confBody("hello"), ContentType: aws.String("application/json"),
		})
		if err != nil {
			return // cut before the SDK returned: also a reported failure
		}
		stream := out.GetStream()
		var last string
		for ev := range stream.Events() {
			if chunk, ok := ev.(*types.ResponseStreamMemberChunk); ok {
				var e streamEvent
				if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
					t.Fatalf("chunk %q: %v", chunk.Value.Bytes, err)
				}
				last = e.Type
			}
		}
		stream.Close()
		if stream.Err() == nil && last == "message_stop" {
			t.Fatal("stream over a cut connection looked complete: no error and a message_stop")
		}
	})
	for _, r := range srv.Records() {
		if r.ErrorType != "disconnect" {
			t.Errorf("ledger error_type %q, want disconnect", r.ErrorType)
		}
	}
}

// TestConformanceAWSSDKCountTokens calls CountTokens the way Claude Code
// does (a foundation-model ID, the Invoke body inside input.invokeModel):
// the count equals the total input the same body is billed for.
func TestConformanceAWSSDKCountTokens(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "counted")})
	client := confRuntime(srv.URL, confStaticCreds())
	body := confBody(strings.Repeat("count these tokens ", 50))
	out, err := client.CountTokens(t.Context(), &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-sonnet-4-6"),
		Input:   &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: body}},
	})
	if err != nil {
		t.Fatalf("CountTokens: %v", err)
	}
	inv, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(confModel), Body: body, ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatalf("InvokeModel: %v", err)
	}
	_, usage := decodeMessage(t, inv.Body)
	total := usage["input_tokens"].(float64) + usage["cache_creation_input_tokens"].(float64) + usage["cache_read_input_tokens"].(float64)
	if got := aws.ToInt32(out.InputTokens); got <= 0 || float64(got) != total {
		t.Errorf("CountTokens = %d, want the invocation's total input %v", got, total)
	}
	_, err = client.CountTokens(t.Context(), &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-nonexistent-9"),
		Input:   &types.CountTokensInputMemberInvokeModel{Value: types.InvokeModelTokensRequest{Body: body}},
	})
	checkAPIError(t, "CountTokens(unknown model)", err, "ValidationException", "The provided model identifier is invalid.", http.StatusBadRequest)
}

// TestConformanceAWSSDKGuardrail selects a guardrail through the SDK's own
// GuardrailIdentifier/GuardrailVersion/Trace members (so the header names are
// the SDK's, not ours): a matching prompt gets the intervention as a 200.
func TestConformanceAWSSDKGuardrail(t *testing.T) {
	t.Parallel()
	g, err := emulator.ParseGuardrail("gr7xk2m9p4q1:3:(?i)secret project")
	if err != nil {
		t.Fatal(err)
	}
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "model answer"), Guardrails: []emulator.Guardrail{g}})
	client := confRuntime(srv.URL, confStaticCreds())
	tests := []struct {
		name, ident, version, prompt string
		wantText, wantAction         string
		wantErr                      string
	}{
		{"intervenes", "gr7xk2m9p4q1", "3", "Tell me about the Secret Project", "Sorry, the model cannot answer this question.", "INTERVENED", ""},
		{"passes", "gr7xk2m9p4q1", "3", "Tell me about the weather", "model answer", "NONE", ""},
		{"by ARN, DRAFT", "arn:aws:bedrock:" + confRegion + ":" + confAccount + ":guardrail/gr7xk2m9p4q1", "DRAFT", "secret project plans", "Sorry, the model cannot answer this question.", "INTERVENED", ""},
		{"unknown guardrail", "nosuchguardrail", "1", "hi", "", "", "The guardrail identifier or version provided in the request does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
				ModelId: aws.String(confModel), Body: confBody(tt.prompt), ContentType: aws.String("application/json"),
				GuardrailIdentifier: aws.String(tt.ident), GuardrailVersion: aws.String(tt.version), Trace: types.TraceEnabled,
			})
			if tt.wantErr != "" {
				checkAPIError(t, "InvokeModel", err, "ValidationException", tt.wantErr, http.StatusBadRequest)
				return
			}
			if err != nil {
				t.Fatalf("InvokeModel: %v", err)
			}
			got, _ := decodeMessage(t, out.Body)
			if got.Text != tt.wantText || got.StopReason != "end_turn" {
				t.Errorf("reply %+v, want text %q and end_turn", got, tt.wantText)
			}
			var extra map[string]any
			if err := json.Unmarshal(out.Body, &extra); err != nil {
				t.Fatal(err)
			}
			if extra["amazon-bedrock-guardrailAction"] != tt.wantAction {
				t.Errorf("amazon-bedrock-guardrailAction = %v, want %s", extra["amazon-bedrock-guardrailAction"], tt.wantAction)
			}
			if tt.wantAction == "INTERVENED" && extra["amazon-bedrock-trace"] == nil {
				t.Errorf("intervention without amazon-bedrock-trace though Trace is ENABLED")
			}
		})
	}
	for _, r := range srv.Records() {
		if r.Status == http.StatusOK && (r.GuardrailID != "gr7xk2m9p4q1" || r.GuardrailVersion == "") {
			t.Errorf("ledger: guardrail %q version %q, want gr7xk2m9p4q1 and its version", r.GuardrailID, r.GuardrailVersion)
		}
	}
}

// TestConformanceAWSSDKBearer sends Bedrock API keys through the SDK's
// httpBearerAuth scheme. smithy-go refuses to send a bearer token over
// plain HTTP, so this runs over TLS (httptest's self-signed server).
func TestConformanceAWSSDKBearer(t *testing.T) {
	t.Parallel()
	srv := confServer(t, emulator.Options{Scenario: confSideReply(t, "bearer ok")})
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	tests := []struct {
		name     string
		token    string
		wantCode string
	}{
		{"known token", confBearer, ""},
		{"unknown token", "ABSKbm90LWEta25vd24tdG9rZW4=", "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := confRuntime(ts.URL, nil, func(o *bedrockruntime.Options) {
				o.HTTPClient = ts.Client()
				o.BearerAuthTokenProvider = bearer.StaticTokenProvider{Token: bearer.Token{Value: tt.token}}
				o.AuthSchemePreference = []string{"httpBearerAuth"}
			})
			out, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
				ModelId: aws.String(confModel), Body: confBody("hi"), ContentType: aws.String("application/json"),
			})
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("InvokeModel with a known bearer token: %v", err)
				}
				got, _ := decodeMessage(t, out.Body)
				if got.Text != "bearer ok" {
					t.Errorf("text = %q, want %q", got.Text, "bearer ok")
				}
				recs := srv.Records()
				if !slices.ContainsFunc(recs, func(r emulator.Record) bool { return r.Auth == "bearer" && r.Status == http.StatusOK }) {
					t.Errorf("ledger has no successful bearer record: %+v", recs)
				}
				return
			}
			// Bedrock refuses an unknown API key as AccessDenied, not with the
			// SigV4 front door's UnrecognizedClient (sigv4.go, reference §5.2).
			checkAPIError(t, "InvokeModel", err, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.", http.StatusForbidden)
			if !isType[*types.AccessDeniedException](err) {
				t.Errorf("unknown bearer token: %T is not *types.AccessDeniedException", unwrapAPI(err))
			}
		})
	}
}

// unsigned strips the SigV4 headers after signing, which is what a client
// behind a signing gateway sends. (aws.AnonymousCredentials cannot do it:
// bedrockruntime v1.63.12 then falls back to httpBearerAuth with a nil
// token provider and panics in BearerTokenProviderAdapter.GetIdentity.)
func unsigned(o *bedrockruntime.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("conformanceStripAuth",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"} {
						req.Header.Del(h)
					}
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

// TestConformanceAWSSDKAllowUnsigned: with AllowUnsigned the emulator
// serves a client that does not sign at all (a gateway signs for it).
func TestConformanceAWSSDKAllowUnsigned(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "unsigned ok"), AllowUnsigned: true})
	client := confRuntime(srv.URL, confStaticCreds(), unsigned)
	out, err := client.InvokeModel(t.Context(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(confModel), Body: confBody("hi"), ContentType: aws.String("application/json"),
	})
	if err != nil {
		t.Fatalf("InvokeModel unsigned with AllowUnsigned: %v", err)
	}
	if got, _ := decodeMessage(t, out.Body); got.Text != "unsigned ok" {
		t.Errorf("text = %q", got.Text)
	}
	if recs := srv.Records(); len(recs) != 1 || recs[0].Auth != "none" {
		t.Errorf("ledger %+v, want one record with auth none", recs)
	}
}

// TestConformanceAWSSDKBearerEnv is the AWS_BEARER_TOKEN_BEDROCK path of
// bedrockruntime.New (resolveEnvBearerToken); it sets the environment, so it
// cannot run in parallel.
func TestConformanceAWSSDKBearerEnv(t *testing.T) {
	t.Setenv("AWS_BEARER_TOKEN_BEDROCK", confBearer)
	srv := confServer(t, emulator.Options{Scenario: confSideReply(t, "env bearer ok")})
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	// No SigV4 credentials at all: the env token must be what authenticates.
	client := confRuntime(ts.URL, nil, func(o *bedrockruntime.Options) { o.HTTPClient = ts.Client() })
	out, err := client.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(confModel), Body: confBody("hi"), ContentType: aws.String("application/json"),
	})
	if err != nil {
		t.Fatalf("InvokeModel with AWS_BEARER_TOKEN_BEDROCK: %v", err)
	}
	if got, _ := decodeMessage(t, out.Body); got.Text != "env bearer ok" {
		t.Errorf("text = %q, want %q", got.Text, "env bearer ok")
	}
}
