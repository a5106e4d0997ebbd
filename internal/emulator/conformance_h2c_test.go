package emulator_test

// HTTP/2 over cleartext (prior knowledge), which is what the AWS JS SDK's
// bedrock-runtime client speaks to an http:// endpoint: net/http with only
// unencrypted HTTP/2 enabled against Server.Serve, signed with the SDK's
// SigV4 signer so the emulator verifies the signature over :authority.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/basalt-dev/basalt/internal/emulator"
)

func h2cClient() *http.Client {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{Protocols: &p}, Timeout: 10 * time.Second}
}

func signedRequest(t *testing.T, method, url string, body []byte, creds aws.Credentials) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), "bedrock", confRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestConformanceH2C(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: confSideReply(t, "over h2c")})
	base := srv.URL
	client := h2cClient()
	// Idle HTTP/2 connections would hold up Serve's graceful shutdown.
	t.Cleanup(client.CloseIdleConnections)
	good := aws.Credentials{AccessKeyID: confAccessKey, SecretAccessKey: confSecretKey, SessionToken: confToken}
	bad := good
	bad.SecretAccessKey = "wrong"

	tests := []struct {
		name       string
		path       string
		creds      aws.Credentials
		wantStatus int
		wantType   string
		stream     bool
	}{
		{"invoke, escaped colon", "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke", good, http.StatusOK, "", false},
		{"invoke, raw colon", "/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/invoke", good, http.StatusOK, "", false},
		{"stream", "/model/" + confModel + "/invoke-with-response-stream", good, http.StatusOK, "", true},
		{"wrong secret", "/model/" + confModel + "/invoke", bad, http.StatusForbidden, "InvalidSignatureException", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := signedRequest(t, http.MethodPost, base+tt.path, confBody("ping"), tt.creds)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("h2c request: %v", err)
			}
			defer resp.Body.Close()
			if resp.ProtoMajor != 2 {
				t.Errorf("served over %s, want HTTP/2", resp.Proto)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("read body: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantType != "" {
				if got := resp.Header.Get("X-Amzn-ErrorType"); got == "" || got[:min(len(got), len(tt.wantType))] != tt.wantType {
					t.Errorf("x-amzn-ErrorType = %q, want %s", got, tt.wantType)
				}
				return
			}
			if !tt.stream {
				if got, _ := decodeMessage(t, body); got.Text != "over h2c" {
					t.Errorf("text = %q, want %q", got.Text, "over h2c")
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.amazon.eventstream" {
				t.Errorf("Content-Type = %q", ct)
			}
			dec := eventstream.NewDecoder()
			r := bytes.NewReader(body)
			var text string
			var n int
			for r.Len() > 0 {
				msg, err := dec.Decode(r, nil)
				if err != nil {
					t.Fatalf("frame %d: %v", n, err)
				}
				n++
				if mt := msg.Headers.Get(":message-type"); mt == nil || mt.String() != "event" {
					t.Fatalf("frame %d: :message-type %v", n, mt)
				}
				var chunk struct{ Bytes []byte }
				if err := json.Unmarshal(msg.Payload, &chunk); err != nil {
					t.Fatal(err)
				}
				var ev struct {
					Type  string
					Delta struct{ Text string }
				}
				if err := json.Unmarshal(chunk.Bytes, &ev); err != nil {
					t.Fatal(err)
				}
				if ev.Type == "content_block_delta" {
					text += ev.Delta.Text
				}
			}
			if text != "over h2c" {
				t.Errorf("streamed text over h2c = %q, want %q", text, "over h2c")
			}
		})
	}
}
