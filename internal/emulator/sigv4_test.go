package emulator

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
	"github.com/google/go-cmp/cmp"
)

// The verifier is checked against the SDK signer: every accepted case is
// signed by aws/signer/v4, and the canonical string the SDK logs must equal
// the one we build.

var (
	sigTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

	sigKey = Key{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	sigSTS = Key{AccessKeyID: "ASIATEMPORARY", SecretAccessKey: "tempsecret/abc+def", SessionToken: "FwoGZXIvYXdzEXAMPLETOKEN=="}

	sigCreds = &Credentials{Keys: []Key{sigKey, sigSTS}, BearerTokens: []string{"ABSKexampleapikey"}}
)

func sigHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sdkSign signs req with the SDK the way aws-sdk-go-v2 and anthropic-sdk-go
// do and returns the canonical string the SDK built.
func sdkSign(t *testing.T, req *http.Request, payloadHash string, k Key, service, region string, at time.Time) string {
	t.Helper()
	var logged string
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.LogSigning = true
		o.Logger = logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
			logged = fmt.Sprintf(format, v...)
		})
	})
	creds := aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, SessionToken: k.SessionToken}
	if err := signer.SignHTTP(t.Context(), creds, req, payloadHash, service, region, at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
	_, canonical, _ := strings.Cut(logged, "---[ CANONICAL STRING  ]-----------------------------\n")
	canonical, _, _ = strings.Cut(canonical, "\n---[ STRING TO SIGN ]")
	return canonical
}

// sigServerRequest sends req through the HTTP/1.1 wire format and parses it
// back, so the verifier sees what a server sees: RequestURI as sent, Host
// moved out of the header.
func sigServerRequest(t *testing.T, req *http.Request) *http.Request {
	t.Helper()
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		t.Fatalf("write request: %v", err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatalf("read request: %v", err)
	}
	return sr
}

type signedCase struct {
	name    string
	method  string
	url     string
	body    string
	headers [][2]string // added before signing, in order
	key     Key         // the key the client signs with
	service string      // default "bedrock"
	region  string      // default "us-east-1"
	at      time.Time   // signing time; default sigTime
	// payloadHash overrides the hash given to the signer; the default is
	// X-Amz-Content-Sha256 when set, else the body's hash.
	payloadHash string
	now         time.Time // server clock; default sigTime

	wantType string // "" for success
	wantMsg  string // substring of the message
}

func (c signedCase) build(t *testing.T) (*http.Request, string) {
	t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(method, c.url, body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range c.headers {
		req.Header.Add(h[0], h[1])
	}
	hash := c.payloadHash
	if hash == "" {
		hash = req.Header.Get("X-Amz-Content-Sha256")
	}
	if hash == "" {
		hash = sigHash([]byte(c.body))
	}
	service, region, at := c.service, c.region, c.at
	if service == "" {
		service = "bedrock"
	}
	if region == "" {
		region = "us-east-1"
	}
	if at.IsZero() {
		at = sigTime
	}
	canonical := sdkSign(t, req, hash, c.key, service, region, at)
	return req, canonical
}

func TestSigV4AgainstSDKSigner(t *testing.T) {
	t.Parallel()
	const invoke = "http://127.0.0.1:8080/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"
	const body = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`
	json := [2]string{"Content-Type", "application/json"}
	wrongSecret := sigKey
	wrongSecret.SecretAccessKey = "not-the-secret"
	stolenToken := sigSTS
	stolenToken.SessionToken = "some-other-token"
	noToken := sigSTS
	noToken.SessionToken = ""
	unknown := Key{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "whatever"}

	tests := []signedCase{
		{name: "escaped colon", url: invoke, body: body, headers: [][2]string{json}, key: sigKey},
		{name: "raw colon", url: "http://127.0.0.1:8080/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream", body: body, headers: [][2]string{json}, key: sigKey},
		{name: "ARN with escaped slash", url: "http://127.0.0.1:8080/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", body: body, headers: [][2]string{json}, key: sigKey},
		{name: "ARN raw colons escaped slash", url: "http://127.0.0.1:8080/model/arn:aws:bedrock:us-west-2:123456789012:application-inference-profile%2Fabc123/invoke", body: body, headers: [][2]string{json}, key: sigKey, region: "us-west-2"},
		{name: "query string", method: http.MethodGet, url: "http://127.0.0.1:8080/inference-profiles?type=SYSTEM_DEFINED&maxResults=10&nextToken=a%2Bb%2Fc%3D%3D&z=&a=x%20y", key: sigKey},
		{name: "repeated query names", method: http.MethodGet, url: "http://127.0.0.1:8080/inference-profiles?b=2&a=2&a=1&a-b=0", key: sigKey},
		{name: "get profile ARN", method: http.MethodGet, url: "http://localhost:4000/inference-profiles/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabcdefgh1234", key: sigKey},
		{name: "session token", url: invoke, body: body, headers: [][2]string{json}, key: sigSTS},
		{name: "content sha256 header", url: invoke, body: body, headers: [][2]string{json, {"X-Amz-Content-Sha256", sigHash([]byte(body))}}, key: sigKey},
		{name: "unsigned payload", url: invoke, body: body, headers: [][2]string{json, {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"}}, key: sigKey},
		{name: "spaces and repeated headers", url: invoke, body: body, key: sigKey, headers: [][2]string{json,
			{"X-Amzn-Bedrock-Trace", "  ENABLED  "}, {"X-Custom", "a   b  c"}, {"X-Custom", " second"}}},
		{name: "other region", url: invoke, body: body, headers: [][2]string{json}, key: sigKey, region: "eu-central-1"},
		{name: "empty body", method: http.MethodGet, url: "http://127.0.0.1:8080/inference-profiles", key: sigKey},
		{name: "skew just inside", url: invoke, body: body, key: sigKey, now: sigTime.Add(5 * time.Minute)},
		{name: "skew ahead just inside", url: invoke, body: body, key: sigKey, now: sigTime.Add(-5 * time.Minute)},

		{name: "wrong secret", url: invoke, body: body, headers: [][2]string{json}, key: wrongSecret,
			wantType: "InvalidSignatureException",
			wantMsg: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
				"\n\nThe Canonical String for this request should have been\n'POST\n/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke\n\n"},
		{name: "unknown key", url: invoke, body: body, key: unknown,
			wantType: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "wrong session token", url: invoke, body: body, key: stolenToken,
			wantType: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "missing session token", url: invoke, body: body, key: noToken,
			wantType: "UnrecognizedClientException", wantMsg: "The security token included in the request is invalid."},
		{name: "content sha256 mismatch", url: invoke, body: body, key: sigKey,
			headers:  [][2]string{json, {"X-Amz-Content-Sha256", sigHash([]byte("another body"))}},
			wantType: "InvalidSignatureException", wantMsg: "\n" + sigHash([]byte(body)) + "'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260314T150926Z\n20260314/us-east-1/bedrock/aws4_request\n"},
		{name: "expired", url: invoke, body: body, key: sigKey, now: sigTime.Add(5*time.Minute + time.Second),
			wantType: "InvalidSignatureException", wantMsg: "Signature expired: 20260314T150926Z is now earlier than 20260314T150927Z (20260314T151427Z - 5 min.)"},
		{name: "not yet current", url: invoke, body: body, key: sigKey, now: sigTime.Add(-6 * time.Minute),
			wantType: "InvalidSignatureException", wantMsg: "Signature not yet current: 20260314T150926Z is still later than 20260314T150826Z (20260314T150326Z + 5 min.)"},
		{name: "wrong service", url: invoke, body: body, key: sigKey, service: "bedrock-runtime",
			wantType: "InvalidSignatureException", wantMsg: "Credential should be scoped to correct service: 'bedrock'. "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, sdkCanonical := tc.build(t)
			sr := sigServerRequest(t, req)
			body, _ := io.ReadAll(sr.Body)
			now := tc.now
			if now.IsZero() {
				now = sigTime
			}

			// Our canonical request must be the SDK's whenever the payload
			// hash agrees.
			if tc.wantType == "" {
				auth, _, _, aerr := parseSigV4(sr, sr.Header.Get("Authorization"))
				if aerr != nil {
					t.Fatalf("parse: %v", aerr)
				}
				hash, _ := payloadHash(sr, body)
				if diff := cmp.Diff(sdkCanonical, canonicalRequest(sr, auth.signedHeaders, hash)); diff != "" {
					t.Errorf("canonical request mismatch (-want +got):\n%s", diff)
				}
			}

			info, aerr := authenticate(sr, body, sigCreds, false, now)
			// Who signed is reported whether or not the signature holds.
			region := tc.region
			if region == "" {
				region = "us-east-1"
			}
			want := authInfo{Scheme: "sigv4", AccessKeyID: tc.key.AccessKeyID, Region: region}
			if diff := cmp.Diff(want, info); diff != "" {
				t.Errorf("auth info mismatch (-want +got):\n%s", diff)
			}
			if tc.wantType == "" {
				if aerr != nil {
					t.Fatalf("authenticate: %v", aerr)
				}
				return
			}
			if aerr == nil {
				t.Fatalf("authenticate accepted the request, want %s", tc.wantType)
			}
			if aerr.Type != tc.wantType || !strings.Contains(aerr.Message, tc.wantMsg) {
				t.Errorf("authenticate = %s %q\nwant %s containing %q", aerr.Type, aerr.Message, tc.wantType, tc.wantMsg)
			}
			if aerr.Status != http.StatusForbidden {
				t.Errorf("status = %d, want 403", aerr.Status)
			}
			for _, k := range []Key{sigKey, sigSTS, wrongSecret, stolenToken} {
				for _, secret := range []string{k.SecretAccessKey, k.SessionToken} {
					if secret != "" && strings.Contains(aerr.Message, secret) {
						t.Errorf("error message leaks a secret: %q", aerr.Message)
					}
				}
			}
		})
	}
}

// The detail Bedrock appends must hold exactly the canonical request and
// string to sign a correct client would have used, with the session token
// masked.
func TestSigV4MismatchDetail(t *testing.T) {
	t.Parallel()
	k := sigSTS
	k.SecretAccessKey = "wrong"
	c := signedCase{url: "http://127.0.0.1:8080/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/invoke", body: "{}", key: k}
	req, sdkCanonical := c.build(t)
	sr := sigServerRequest(t, req)
	_, aerr := authenticate(sr, []byte("{}"), sigCreds, false, sigTime)
	if aerr == nil {
		t.Fatal("authenticate accepted a wrong secret")
	}
	masked := strings.ReplaceAll(sdkCanonical, sigSTS.SessionToken, "<redacted>")
	sum := sha256.Sum256([]byte(sdkCanonical))
	want := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
		"\n\nThe Canonical String for this request should have been\n'" + masked + "'\n\n" +
		"The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260314T150926Z\n20260314/us-east-1/bedrock/aws4_request\n" + hex.EncodeToString(sum[:]) + "'\n"
	if diff := cmp.Diff(want, aerr.Message); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(masked, "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke\n") {
		t.Errorf("raw colon not encoded once in the canonical URI:\n%s", masked)
	}
}

// The key derivation is checked against the example in AWS's SigV4
// documentation (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830,
// us-east-1, iam), whose published signature for that string to sign is
// 5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7.
func TestSigV4SignatureDocumentedExample(t *testing.T) {
	t.Parallel()
	sts := "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n" +
		"f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
	got := sigV4Signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam", sts)
	if want := "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"; got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

// sigHandSign signs a canonical request written out by hand, independently of
// canonicalRequest, with a test-local key derivation.
func sigHandSign(secret, canonical string, at time.Time, region string) string {
	h := func(key []byte, s string) []byte { return hmacSHA256(key, s) }
	day := at.Format("20060102")
	k := h(h(h(h([]byte("AWS4"+secret), day), region), "bedrock"), "aws4_request")
	sum := sha256.Sum256([]byte(canonical))
	sts := "AWS4-HMAC-SHA256\n" + at.Format(sigV4TimeFormat) + "\n" + day + "/" + region + "/bedrock/aws4_request\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(h(k, sts))
}

// The AWS JS SDK over HTTP/2 signs :authority instead of host and sends
// X-Amz-Content-Sha256 (reference §5.1). No Go signer does that, so the
// request and its canonical form are written out by hand.
func TestSigV4AuthorityHTTP2(t *testing.T) {
	t.Parallel()
	body := []byte(`{"messages":[]}`)
	bodyHash := sigHash(body)
	canonical := "POST\n" +
		"/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke-with-response-stream\n" +
		"\n" +
		":authority:127.0.0.1:9443\n" +
		"amz-sdk-invocation-id:0b7c0ffe-1111-2222-3333-444455556666\n" +
		"amz-sdk-request:attempt=1; max=3\n" +
		"content-length:15\n" +
		"content-type:application/json\n" +
		"x-amz-content-sha256:" + bodyHash + "\n" +
		"x-amz-date:20260314T150926Z\n" +
		"x-amz-user-agent:aws-sdk-js/3.1164.0\n" +
		"\n" +
		":authority;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;x-amz-content-sha256;x-amz-date;x-amz-user-agent\n" +
		bodyHash
	sig := sigHandSign(sigKey.SecretAccessKey, canonical, sigTime, "us-west-2")

	newReq := func(signature string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", bytes.NewReader(body))
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
		r.Host = "127.0.0.1:9443"
		r.Header.Set("Amz-Sdk-Invocation-Id", "0b7c0ffe-1111-2222-3333-444455556666")
		r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
		r.Header.Set("Content-Length", "15")
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Amz-Content-Sha256", bodyHash)
		r.Header.Set("X-Amz-Date", "20260314T150926Z")
		r.Header.Set("X-Amz-User-Agent", "aws-sdk-js/3.1164.0")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/us-west-2/bedrock/aws4_request, "+
			"SignedHeaders=:authority;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;x-amz-content-sha256;x-amz-date;x-amz-user-agent, "+
			"Signature="+signature)
		return r
	}

	info, aerr := authenticate(newReq(sig), body, sigCreds, false, sigTime)
	if aerr != nil {
		t.Fatalf("authenticate: %v", aerr)
	}
	if diff := cmp.Diff(authInfo{Scheme: "sigv4", AccessKeyID: "AKIDEXAMPLE", Region: "us-west-2"}, info); diff != "" {
		t.Errorf("auth info mismatch (-want +got):\n%s", diff)
	}

	_, aerr = authenticate(newReq(strings.Repeat("0", 64)), body, sigCreds, false, sigTime)
	if aerr == nil || !strings.Contains(aerr.Message, "'"+canonical+"'") {
		t.Errorf("wrong signature: got %v, want the hand-written canonical request in the detail", aerr)
	}
}

// Over real connections the server, not http.ReadRequest, builds the
// request: this checks what net/http does to Host, Content-Length and the
// request target for HTTP/1.1 and for h2c (as the AWS JS SDK uses).
func TestSigV4OverTheWire(t *testing.T) {
	t.Parallel()
	for _, proto := range []string{"HTTP/1.1", "h2c"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			type result struct {
				info authInfo
				err  *apiError
				prot string
			}
			got := make(chan result, 1)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				info, aerr := authenticate(r, body, sigCreds, false, time.Now())
				got <- result{info, aerr, r.Proto}
			}))
			var protocols http.Protocols
			protocols.SetHTTP1(true)
			protocols.SetUnencryptedHTTP2(true)
			srv.Config.Protocols = &protocols
			srv.Start()
			defer srv.Close()

			tr := &http.Transport{Protocols: new(http.Protocols)}
			if proto == "h2c" {
				tr.Protocols.SetUnencryptedHTTP2(true)
			} else {
				tr.Protocols.SetHTTP1(true)
			}
			defer tr.CloseIdleConnections()

			body := `{"max_tokens":1}`
			for _, path := range []string{
				"/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
				"/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke",
				"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
			} {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				sdkSign(t, req, sigHash([]byte(body)), sigSTS, "bedrock", "us-east-1", time.Now())
				resp, err := tr.RoundTrip(req)
				if err != nil {
					t.Fatalf("round trip: %v", err)
				}
				resp.Body.Close()
				r := <-got
				if r.err != nil {
					t.Errorf("%s: authenticate: %v", path, r.err)
				}
				if wantProto := map[string]string{"HTTP/1.1": "HTTP/1.1", "h2c": "HTTP/2.0"}[proto]; r.prot != wantProto {
					t.Errorf("server saw %s, want %s", r.prot, wantProto)
				}
			}
		})
	}
}

func TestAuthenticateHeaders(t *testing.T) {
	t.Parallel()
	const goodDate = "20260314T150926Z"
	const scope = "AKIDEXAMPLE/20260314/us-east-1/bedrock/aws4_request"
	tests := []struct {
		name          string
		authz         string // "" for none
		amzDate       string
		creds         *Credentials
		allowUnsigned bool
		want          authInfo
		wantErr       *apiError
		secret        string // must not appear in the message
	}{
		{name: "no auth allowed", allowUnsigned: true, creds: sigCreds, want: authInfo{Scheme: "none"}},
		{name: "no auth refused", creds: sigCreds, want: authInfo{Scheme: "none"},
			wantErr: &apiError{403, "AccessDeniedException", "Authorization header is missing"}},
		{name: "no auth refused without creds", want: authInfo{Scheme: "none"},
			wantErr: &apiError{403, "AccessDeniedException", "Authorization header is missing"}},
		{name: "bearer known", authz: "Bearer ABSKexampleapikey", creds: sigCreds, want: authInfo{Scheme: "bearer"}},
		{name: "bearer unknown", authz: "Bearer ABSKguess", creds: sigCreds, secret: "ABSKguess", want: authInfo{Scheme: "bearer"},
			wantErr: &apiError{403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid."}},
		{name: "bearer without creds", authz: "Bearer anything", want: authInfo{Scheme: "bearer"}},
		{name: "bearer empty", authz: "Bearer ", want: authInfo{Scheme: "bearer"},
			wantErr: &apiError{403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid."}},
		{name: "bearer refused when the file has none", authz: "Bearer ABSKexampleapikey", creds: &Credentials{Keys: []Key{sigKey}}, want: authInfo{Scheme: "bearer"},
			wantErr: &apiError{403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid."}},
		{name: "sigv4 unverified without creds", authz: "AWS4-HMAC-SHA256 Credential=AKIDANY/20260314/eu-west-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
			amzDate: goodDate, want: authInfo{Scheme: "sigv4", AccessKeyID: "AKIDANY", Region: "eu-west-1"}},
		{name: "algorithm only", authz: "AWS4-HMAC-SHA256", amzDate: goodDate, want: authInfo{Scheme: "sigv4"},
			wantErr: &apiError{400, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"}},
		{name: "no date", authz: "AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=00", want: authInfo{Scheme: "sigv4"},
			wantErr: &apiError{400, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=00"}},
		{name: "bad date", authz: "AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=host, Signature=00", amzDate: "2026-03-14", want: authInfo{Scheme: "sigv4"},
			wantErr: &apiError{400, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '2026-03-14'. See http://en.wikipedia.org/wiki/ISO_8601"}},
		{name: "four part credential", authz: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/us-east-1/bedrock, SignedHeaders=host, Signature=00", amzDate: goodDate, want: authInfo{Scheme: "sigv4"},
			wantErr: &apiError{400, "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20260314/us-east-1/bedrock'"}},
		{name: "other algorithm", authz: "AWS4-HMAC-SHA512 Credential=" + scope, amzDate: goodDate,
			wantErr: &apiError{400, "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "}},
		{name: "bare token is hashed not echoed", authz: "sk-ant-secret-token", creds: sigCreds, secret: "sk-ant-secret-token",
			wantErr: &apiError{400, "IncompleteSignatureException", "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'py7KSjIAdMusc0Nbr6lJn/QhBRh5qV/xNMR8cKhC5Gs='."}},
		{name: "missing equal sign", authz: "AWS4-HMAC-SHA256 Credential " + scope, amzDate: goodDate, want: authInfo{Scheme: "sigv4"},
			wantErr: &apiError{400, "IncompleteSignatureException", "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'Bbt7LkaNWDV45Vwpg0XhREhz5ATzzLftww3fURd6T1g='."}},
		{name: "host not signed", authz: "AWS4-HMAC-SHA256 Credential=" + scope + ", SignedHeaders=x-amz-date, Signature=00", amzDate: goodDate, creds: sigCreds,
			want:    authInfo{Scheme: "sigv4", AccessKeyID: "AKIDEXAMPLE", Region: "us-east-1"},
			wantErr: &apiError{403, "InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}},
		{name: "every scope problem at once", authz: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260313/US_EAST/s3/aws5_request, SignedHeaders=host;x-amz-date, Signature=00", amzDate: goodDate, creds: sigCreds,
			want: authInfo{Scheme: "sigv4", AccessKeyID: "AKIDEXAMPLE", Region: "US_EAST"},
			wantErr: &apiError{403, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'US_EAST'. " +
				"Credential should be scoped to correct service: 'bedrock'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260313' != '20260314', from '20260314T150926Z'."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/model/x/invoke", nil)
			if tc.authz != "" {
				r.Header.Set("Authorization", tc.authz)
			}
			if tc.amzDate != "" {
				r.Header.Set("X-Amz-Date", tc.amzDate)
			}
			info, aerr := authenticate(r, nil, tc.creds, tc.allowUnsigned, sigTime)
			if diff := cmp.Diff(tc.wantErr, aerr); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, info); diff != "" {
				t.Errorf("auth info mismatch (-want +got):\n%s", diff)
			}
			if tc.secret != "" && aerr != nil && strings.Contains(aerr.Message, tc.secret) {
				t.Errorf("message leaks %q: %s", tc.secret, aerr.Message)
			}
		})
	}
}

// The Date header is the documented fallback for X-Amz-Date.
func TestSigV4DateHeaderFallback(t *testing.T) {
	t.Parallel()
	body := []byte("{}")
	date := sigTime.Format(http.TimeFormat)
	canonical := "POST\n/model/m/invoke\n\ndate:" + date + "\nhost:example.com\n\ndate;host\n" + sigHash(body)
	r := httptest.NewRequest(http.MethodPost, "http://example.com/model/m/invoke", bytes.NewReader(body))
	r.Header.Set("Date", date)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/us-east-1/bedrock/aws4_request, SignedHeaders=date;host, Signature="+
		sigHandSign(sigKey.SecretAccessKey, canonical, sigTime, "us-east-1"))
	if _, aerr := authenticate(r, body, sigCreds, false, sigTime); aerr != nil {
		t.Errorf("authenticate: %v", aerr)
	}
}

func TestCanonicalQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1", "a=1&a=2"},
		{"a-b=1&a=2", "a=2&a-b=1"},
		{"flag", "flag="},
		{"x=a+b", "x=a%20b"},
		{"x=a%2Bb", "x=a%2Bb"},
		{"k%7E=%7e~", "k~=~~"},
		{"x=%zz", "x=%25zz"},
	}
	for _, tc := range tests {
		if got := canonicalQuery(tc.raw); got != tc.want {
			t.Errorf("canonicalQuery(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// The SDK path escaping (the reference every AWS signer follows) and ours
// must agree byte for byte on awkward paths, including bytes that are not
// valid UTF-8.
func FuzzSigV4CanonicalURI(f *testing.F) {
	for _, seed := range []string{
		"/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
		"/model/a:b/invoke", "/model/%2F%25~ !$&'()*+,;=@/x", "/\xff\x00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
			return
		}
		req, err := http.NewRequest(http.MethodGet, "http://example.com/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = "//example.com" + path // the SDK signer prefers Opaque, as-is
		canonical := sdkSign(t, req, sigHash(nil), sigKey, "bedrock", "us-east-1", sigTime)
		sdkURI := strings.Split(canonical, "\n")[1]
		server := httptest.NewRequest(http.MethodGet, "/", nil)
		server.RequestURI = path
		if got := uriEncode(wirePath(server), true); got != sdkURI {
			t.Errorf("canonical URI of %q = %q, SDK %q", path, got, sdkURI)
		}
	})
}
