package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want Faults
		err  string
	}{
		{spec: "", want: Faults{}},
		{spec: "throttle=0.2,unavailable=0.05,disconnect=0.1,stream-error=0.05,expire-after=3,latency=20ms,seed=7",
			want: Faults{Throttle: 0.2, Unavailable: 0.05, Disconnect: 0.1, StreamError: 0.05, ExpireAfter: 3, Latency: 20 * time.Millisecond, Seed: 7}},
		{spec: " throttle = 1 , seed=18446744073709551615,", want: Faults{Throttle: 1, Seed: 1<<64 - 1}},
		{spec: "throttle=0", want: Faults{}},
		{spec: "slow=1", err: `faults: unknown key "slow" (want one of throttle, unavailable, disconnect, stream-error, expire-after, latency, seed, overloaded)`},
		{spec: "throttle", err: `faults: "throttle": want KEY=VALUE`},
		{spec: "throttle=0.1,throttle=0.2", err: "faults: throttle given twice"},
		{spec: "throttle=1.5", err: "faults: throttle=1.5: want a probability between 0 and 1"},
		{spec: "disconnect=-0.1", err: "faults: disconnect=-0.1: want a probability between 0 and 1"},
		{spec: "stream-error=NaN", err: "faults: stream-error=NaN: want a probability between 0 and 1"},
		{spec: "unavailable=often", err: "faults: unavailable=often: invalid syntax"},
		{spec: "expire-after=0", err: "faults: expire-after=0: want a number of requests, 1 or more"},
		{spec: "expire-after=two", err: "faults: expire-after=two: invalid syntax"},
		{spec: "latency=fast", err: `faults: latency=fast: time: invalid duration "fast"`},
		{spec: "latency=-1s", err: "faults: latency=-1s: want a duration such as 20ms, not negative"},
		{spec: "seed=-1", err: "faults: seed=-1: invalid syntax"},
		{spec: "overloaded=sonnet,seed=2", want: Faults{Overloaded: "sonnet", Seed: 2}},
		{spec: "overloaded=", err: "faults: overloaded=: want part of a model ID, e.g. overloaded=sonnet"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFaults(tt.spec)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func faultServer(t testing.TB, spec string) *Server {
	t.Helper()
	f, err := ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	return testServer(t, Options{Faults: f})
}

func TestFaultErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want apiErr
	}{
		{"throttle=1", apiErr{429, "ThrottlingException", "Too many requests, please wait before trying again."}},
		{"unavailable=1", apiErr{503, "ServiceUnavailableException", "Bedrock is unable to process your request."}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			s := faultServer(t, tt.spec)
			for _, op := range []string{"invoke", "invoke-with-response-stream"} {
				w := send(t, s, "POST", "/model/"+sonnet46+"/"+op, reqBody(nil))
				if diff := cmp.Diff(tt.want, errorOf(t, w)); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", op, diff)
				}
			}
			// Validation comes first: a bad request is not throttled.
			if w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", reqBody(map[string]any{"model": "x"})); w.Code != 400 {
				t.Errorf("bad request got %d, want 400", w.Code)
			}
			// Control-plane calls are never faulted.
			mustStatus(t, send(t, s, "GET", "/inference-profiles", nil), 200)
		})
	}
}

func TestFaultsReproducible(t *testing.T) {
	t.Parallel()
	run := func(spec string) []int {
		s := faultServer(t, spec)
		var codes []int
		for range 40 {
			codes = append(codes, send(t, s, "POST", "/model/"+sonnet46+"/invoke", reqBody(nil)).Code)
		}
		return codes
	}
	a, b, c := run("throttle=0.3,unavailable=0.2,seed=7"), run("throttle=0.3,unavailable=0.2,seed=7"), run("throttle=0.3,unavailable=0.2,seed=8")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same 40 outcomes %v", a)
	}
	counts := map[int]int{}
	for _, code := range a {
		counts[code]++
	}
	if counts[200] == 0 || counts[429] == 0 || counts[503] == 0 {
		t.Errorf("outcomes %v: want some of each of 200, 429 and 503", counts)
	}
}

func TestStreamErrorFault(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{Scenario: scenarioFrom(t, fiveBlocks), Faults: Faults{StreamError: 1, Seed: 3}})
	kinds := map[string]bool{}
	for i := range 12 {
		w := send(t, s, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", thinkingBody(nil))
		mustStatus(t, w, 200)
		frames := decodeFrames(t, w.Body.Bytes())
		last := frames[len(frames)-1]
		if last.MessageType != "exception" {
			t.Fatalf("request %d: last frame %v, want an exception", i, eventNames(frames))
		}
		if names := eventNames(frames[:1]); names[0] != "message_start" || len(frames) < 2 {
			t.Errorf("request %d: exception before any chunk: %v", i, eventNames(frames))
		}
		var payload map[string]any
		json.Unmarshal(last.Raw, &payload)
		kinds[last.EventType] = true
		switch last.EventType {
		case "throttlingException":
			if diff := cmp.Diff(map[string]any{"message": "Too many requests, please wait before trying again."}, payload); diff != "" {
				t.Errorf("payload mismatch (-want +got):\n%s", diff)
			}
		case "modelStreamErrorException":
			if payload["message"] == "" || payload["originalStatusCode"] != 500.0 {
				t.Errorf("payload %v", payload)
			}
		default:
			t.Errorf("request %d: :exception-type %q", i, last.EventType)
		}
	}
	if !kinds["throttlingException"] || !kinds["modelStreamErrorException"] {
		t.Errorf("12 requests gave only %v", kinds)
	}
	recs := s.Records()
	if got := recs[len(recs)-1]; got.Status != 200 || (got.ErrorType != "throttlingException" && got.ErrorType != "modelStreamErrorException") {
		t.Errorf("ledger: status %d, error_type %q", got.Status, got.ErrorType)
	}
	// Non-streamed invocations have no stream to break.
	mustStatus(t, send(t, s, "POST", "/model/"+sonnet46+"/invoke", thinkingBody(nil)), 200)
}

func TestDisconnectFault(t *testing.T) {
	t.Parallel()
	// Served the way `basalt emulator` serves it: the cut must survive
	// Serve's own error handling.
	s, err := Start(t.Context(), "", Options{Scenario: scenarioFrom(t, fiveBlocks), Faults: Faults{Disconnect: 1}, AllowUnsigned: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	for _, op := range []string{"invoke", "invoke-with-response-stream"} {
		t.Run(op, func(t *testing.T) {
			resp, err := http.Post(s.URL+"/model/"+sonnet46+"/"+op, "application/json", bytes.NewReader(thinkingBody(nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			body, err := io.ReadAll(resp.Body)
			if err == nil {
				t.Fatalf("read %d bytes without error; want a cut connection", len(body))
			}
			if len(body) == 0 {
				t.Error("nothing read before the cut")
			}
		})
	}
	for _, r := range s.Records() {
		if r.ErrorType != "disconnect" || r.Status != 200 {
			t.Errorf("ledger record %s: status %d, error_type %q", r.Operation, r.Status, r.ErrorType)
		}
	}
}

// sigv4Authorization is a well-formed SigV4 header; the server checks it
// only against real credentials, which these tests do not configure.
func sigv4Authorization(key string) []string {
	return []string{
		"Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/20260501/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + string(bytes.Repeat([]byte("a"), 64)),
		"X-Amz-Date", "20260501T120000Z",
	}
}

func TestExpireAfter(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Faults: Faults{ExpireAfter: 2}})
	if err != nil {
		t.Fatal(err)
	}
	expired := apiErr{403, "ExpiredTokenException", "The security token included in the request is expired"}
	steps := []struct {
		key  string
		path string
		want int
	}{
		{"AKIAFIRST", "/model/" + sonnet46 + "/invoke", 200},
		{"AKIAFIRST", "/inference-profiles", 200}, // every signed request counts
		{"AKIAFIRST", "/model/" + sonnet46 + "/invoke", 403},
		{"AKIAFIRST", "/inference-profiles", 403}, // and stays expired
		{"AKIASECOND", "/model/" + sonnet46 + "/invoke", 200},
		{"AKIASECOND", "/model/" + sonnet46 + "/invoke", 200},
		{"AKIASECOND", "/model/" + sonnet46 + "/invoke", 403},
	}
	for i, st := range steps {
		method, body := "POST", reqBody(nil)
		if st.path == "/inference-profiles" {
			method, body = "GET", nil
		}
		w := send(t, s, method, st.path, body, sigv4Authorization(st.key)...)
		if w.Code != st.want {
			t.Fatalf("step %d (%s): status %d, want %d: %s", i, st.key, w.Code, st.want, w.Body.String())
		}
		if w.Code == 403 {
			if diff := cmp.Diff(expired, errorOf(t, w)); diff != "" {
				t.Errorf("step %d mismatch (-want +got):\n%s", i, diff)
			}
		}
	}
	// Bearer tokens have no access key, so they never expire.
	for range 3 {
		mustStatus(t, send(t, s, "POST", "/model/"+sonnet46+"/invoke", reqBody(nil), "Authorization", "Bearer ABSKtoken"), 200)
	}
}

func TestLatencyFollowsTheClient(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{Faults: Faults{Latency: time.Hour}})
	for _, op := range []string{"invoke", "invoke-with-response-stream"} {
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequestWithContext(ctx, "POST", "/model/"+sonnet46+"/"+op, bytes.NewReader(reqBody(nil)))
		cancel() // the client is gone: an hour of latency must not hold the handler
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		recs := s.Records()
		if got := recs[len(recs)-1].ErrorType; got != "client-closed" {
			t.Errorf("%s: error_type %q, want client-closed", op, got)
		}
	}
	fast := testServer(t, Options{Faults: Faults{Latency: time.Millisecond}})
	w := send(t, fast, "POST", "/model/"+sonnet46+"/invoke-with-response-stream", reqBody(nil))
	if n := len(decodeFrames(t, w.Body.Bytes())); n != 6 {
		t.Errorf("%d frames with latency, want 6", n)
	}

}

func TestFaultsAfterValidation(t *testing.T) {
	t.Parallel()
	s := faultServer(t, "throttle=1")
	bp := map[string]any{"type": "text", "text": "x", "cache_control": map[string]any{"type": "ephemeral"}}
	body := reqBody(map[string]any{"system": []any{bp, bp, bp, bp, bp}})
	got := errorOf(t, send(t, s, "POST", "/model/"+sonnet46+"/invoke", body))
	if got.Status != 400 || got.Type != "ValidationException" {
		t.Errorf("five breakpoints under throttle=1: %+v, want the ValidationException", got)
	}
}
