package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	tests := []struct {
		method, path string
	}{
		{"GET", "/"},
		{"POST", "/model/" + sonnet46 + "/converse-async"},
		{"GET", "/model/" + sonnet46 + "/invoke"},
		{"POST", "/inference-profiles"},
		{"DELETE", "/inference-profiles/" + haiku45},
		{"POST", "/model//invoke/extra"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, tt.method, tt.path, nil)
			got := errorOf(t, w)
			want := apiErr{404, "UnknownOperationException", "No operation serves " + tt.method + " " + tt.path + "."}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestCountTokens(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	invoke := reqBody(map[string]any{"system": "be brief", "tools": oneTool, "messages": convo(3)})
	// The count equals the three usage counters of the same request.
	w := send(t, s, "POST", "/model/"+sonnet46+"/invoke", invoke)
	mustStatus(t, w, 200)
	var m messageJSON
	json.Unmarshal(w.Body.Bytes(), &m)
	total := m.Usage.InputTokens + m.Usage.CacheReadInputTokens + m.Usage.CacheCreationInputTokens

	tests := []struct {
		name  string
		model string
		body  []byte
		want  any // int or apiErr
	}{
		{"foundation model", "anthropic.claude-sonnet-4-6", countBody(invoke), total},
		{"foundation model ARN", url.PathEscape("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"), countBody(invoke), total},
		{"inference profile", sonnet46, countBody(invoke), apiErr{400, "ValidationException", "The provided model identifier is invalid."}},
		{"model not in the region", "anthropic.claude-3-5-haiku-20241022-v1:9", countBody(invoke), apiErr{400, "ValidationException", "The provided model identifier is invalid."}},
		{"converse input without messages", "anthropic.claude-sonnet-4-6", []byte(`{"input":{"converse":{"messages":[]}}}`),
			apiErr{400, "ValidationException", "A conversation must start with a user message. Try again with a conversation that starts with a user message."}},
		{"no input", "anthropic.claude-sonnet-4-6", []byte(`{}`),
			apiErr{400, "ValidationException", "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null"}},
		{"body not base64", "anthropic.claude-sonnet-4-6", []byte(`{"input":{"invokeModel":{"body":"%%%"}}}`),
			apiErr{400, "ValidationException", "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null"}},
		{"invalid inner body", "anthropic.claude-sonnet-4-6", countBody(reqBody(map[string]any{"model": "x"})),
			apiErr{400, "ValidationException", "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "POST", "/model/"+tt.model+"/count-tokens", tt.body)
			var got any
			if w.Code == 200 {
				var out struct {
					InputTokens int `json:"inputTokens"`
				}
				json.Unmarshal(w.Body.Bytes(), &out)
				got = out.InputTokens
			} else {
				got = errorOf(t, w)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type listPage struct {
	Summaries []profileJSON `json:"inferenceProfileSummaries"`
	NextToken string        `json:"nextToken"`
}

func listProfiles(t *testing.T, s *Server, query string) listPage {
	t.Helper()
	w := send(t, s, "GET", "/inference-profiles?"+query, nil)
	mustStatus(t, w, 200)
	var p listPage
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestListInferenceProfiles(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	all := listProfiles(t, s, "")
	if all.NextToken != "" {
		t.Errorf("one page holds everything, got nextToken %q", all.NextToken)
	}
	var ids []string
	types := map[string]int{}
	for _, p := range all.Summaries {
		ids = append(ids, p.InferenceProfileID)
		types[p.Type]++
	}
	for _, want := range []string{sonnet46, haiku45, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-opus-4-6-v1",
		"us.anthropic.claude-opus-4-7", "global.anthropic.claude-opus-4-8", "us.anthropic.claude-opus-5", "k3v9x2m7q1ab"} {
		if !slices.Contains(ids, want) {
			t.Errorf("%s not listed in us-east-1", want)
		}
	}
	if slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, "eu.") || strings.HasPrefix(id, "apac.") }) {
		t.Errorf("another geo's profile listed in us-east-1: %v", ids)
	}
	if types[typeApplication] != 3 || types[typeSystem] < 20 {
		t.Errorf("types = %v, want 3 APPLICATION and the system profiles", types)
	}

	t.Run("type filter", func(t *testing.T) {
		t.Parallel()
		for _, typ := range []string{typeSystem, typeApplication} {
			for _, p := range listProfiles(t, s, "type="+typ).Summaries {
				if p.Type != typ {
					t.Errorf("type=%s listed %s of type %s", typ, p.InferenceProfileID, p.Type)
				}
			}
		}
	})

	t.Run("pagination", func(t *testing.T) {
		t.Parallel()
		for _, typ := range []string{"", typeSystem} {
			var got []string
			q := url.Values{"maxResults": {"4"}}
			if typ != "" {
				q.Set("type", typ)
			}
			pages := 0
			for {
				p := listProfiles(t, s, q.Encode())
				pages++
				if len(p.Summaries) > 4 {
					t.Fatalf("page of %d > maxResults 4", len(p.Summaries))
				}
				for _, x := range p.Summaries {
					got = append(got, x.InferenceProfileID)
				}
				if p.NextToken == "" {
					break
				}
				q.Set("nextToken", p.NextToken)
			}
			want := []string{}
			for _, x := range all.Summaries {
				if typ == "" || x.Type == typ {
					want = append(want, x.InferenceProfileID)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("type %q: pages mismatch (-want +got):\n%s", typ, diff)
			}
			if wantPages := (len(want) + 3) / 4; pages != wantPages {
				t.Errorf("type %q: %d pages, want %d", typ, pages, wantPages)
			}
		}
	})

	t.Run("bad parameters", func(t *testing.T) {
		t.Parallel()
		sysToken := listProfiles(t, s, "type=SYSTEM_DEFINED&maxResults=1").NextToken
		tests := []struct {
			query string
			want  string
		}{
			{"type=FOO", "1 validation error detected: Value 'FOO' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]"},
			{"maxResults=0", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
			{"maxResults=1001", "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"},
			{"maxResults=ten", "1 validation error detected: Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be an integer"},
			{"nextToken=garbage!", "Invalid pagination token: not a token this service issued."},
			{"nextToken=", "Invalid pagination token: length must be 1 to 2048."},
			{"nextToken=" + pageToken("", 9999), "Invalid pagination token: not a token this service issued."},
			{"type=APPLICATION&nextToken=" + sysToken, "Invalid pagination token: issued for another type filter."},
		}
		for _, tt := range tests {
			w := send(t, s, "GET", "/inference-profiles?"+tt.query, nil)
			if diff := cmp.Diff(apiErr{400, "ValidationException", tt.want}, errorOf(t, w)); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", tt.query, diff)
			}
		}
	})
}

func TestGetInferenceProfile(t *testing.T) {
	t.Parallel()
	s := testServer(t, Options{})
	sonnet45 := "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	want45 := profileJSON{
		InferenceProfileName: "US Anthropic Claude Sonnet 4.5",
		Description:          "Routes requests to Anthropic Claude Sonnet 4.5 in us-east-1, us-east-2 and us-west-2.",
		CreatedAt:            day("2025-09-29"),
		UpdatedAt:            day("2025-09-29"),
		InferenceProfileArn:  "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45,
		Models: []profileModel{
			{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"},
			{"arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"},
			{"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"},
		},
		InferenceProfileID: sonnet45,
		Status:             "ACTIVE",
		Type:               typeSystem,
	}
	wantApp := profileJSON{
		InferenceProfileName: "basalt-team-sonnet",
		Description:          "Team profile for cost allocation, backed by Claude Sonnet 4.6.",
		CreatedAt:            day("2026-03-02"),
		UpdatedAt:            day("2026-03-02"),
		InferenceProfileArn:  "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3v9x2m7q1ab",
		Models: []profileModel{
			{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"},
			{"arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"},
		},
		InferenceProfileID: "k3v9x2m7q1ab",
		Status:             "ACTIVE",
		Type:               typeApplication,
	}
	tests := []struct {
		name, id string // id as escaped on the wire
		want     any
	}{
		{"ID", sonnet45, want45},
		{"ID with %3A", url.PathEscape(sonnet45), want45},
		{"ARN", url.PathEscape(want45.InferenceProfileArn), want45},
		{"application ARN", url.PathEscape(wantApp.InferenceProfileArn), wantApp},
		{"application ID", "k3v9x2m7q1ab", wantApp},
		{"unknown", "us.anthropic.claude-nope", apiErr{404, "ResourceNotFoundException", "The inference profile us.anthropic.claude-nope was not found."}},
		{"other region's ARN", url.PathEscape("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/" + sonnet45),
			apiErr{404, "ResourceNotFoundException", "The inference profile arn:aws:bedrock:eu-west-1:123456789012:inference-profile/" + sonnet45 + " was not found."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := send(t, s, "GET", "/inference-profiles/"+tt.id, nil)
			var got any
			if w.Code == 200 {
				var p profileJSON
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
					t.Fatal(err)
				}
				got = p
			} else {
				got = errorOf(t, w)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ISO-8601 timestamps", func(t *testing.T) {
		w := send(t, s, "GET", "/inference-profiles/"+sonnet45, nil)
		if !strings.Contains(w.Body.String(), `"createdAt":"2025-09-29T00:00:00Z"`) {
			t.Errorf("body %s", w.Body.String())
		}
	})
}

func TestRegionsAndModels(t *testing.T) {
	t.Parallel()
	ids := func(s *Server) []string {
		var out []string
		for _, p := range s.profiles.list {
			out = append(out, p.ID)
		}
		return out
	}
	tests := []struct {
		name    string
		opts    Options
		want    []string // must be served
		notWant []string
		err     string
	}{
		{name: "eu", opts: Options{Region: "eu-west-1"},
			want: []string{"eu.anthropic.claude-sonnet-4-6", sonnet46, "k3v9x2m7q1ab"}, notWant: []string{"us.anthropic.claude-sonnet-4-6"}},
		{name: "tokyo", opts: Options{Region: "ap-northeast-1"},
			want: []string{"jp.anthropic.claude-sonnet-4-6", "apac.anthropic.claude-sonnet-4-20250514-v1:0", "global.anthropic.claude-opus-4-6-v1"}},
		{name: "sydney", opts: Options{Region: "ap-southeast-2"},
			want: []string{"au.anthropic.claude-opus-4-7", "apac.anthropic.claude-opus-4-6-v1"}},
		{name: "govcloud", opts: Options{Region: "us-gov-west-1"},
			want: []string{"us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"}, notWant: []string{sonnet46}},
		{name: "restricted", opts: Options{Models: []string{haiku45, "us.anthropic.claude-opus-4-6-v1"}},
			want: []string{haiku45, "us.anthropic.claude-opus-4-6-v1", "h7p2r5t8w4cd"}, notWant: []string{sonnet46, "k3v9x2m7q1ab"}},
		{name: "application profile listed", opts: Options{Models: []string{"k3v9x2m7q1ab"}},
			want: []string{"k3v9x2m7q1ab"}, notWant: []string{sonnet46}},
		{name: "future model", opts: Options{Models: []string{"global.anthropic.claude-sonnet-5"}},
			want: []string{"global.anthropic.claude-sonnet-5"}},
		{name: "geo not offered", opts: Options{Models: []string{"eu.anthropic.claude-sonnet-4-6"}},
			err: "model eu.anthropic.claude-sonnet-4-6: the eu. prefix is not offered in region us-east-1 (it offers us, global)"},
		{name: "not a profile", opts: Options{Models: []string{"anthropic.claude-sonnet-4-6"}},
			err: "model anthropic.claude-sonnet-4-6: not an inference profile ID (want GEO.anthropic.… with GEO one of us-gov, global, apac, us, eu, jp, au, or an application profile ID)"},
		{name: "bad region", opts: Options{Region: "mars"}, err: `region "mars": want a region name such as us-east-1`},
		{name: "bad account", opts: Options{Account: "12"}, err: `account "12": want 12 digits`},
		{name: "bad faults", opts: Options{Faults: Faults{Throttle: 2}}, err: "faults: throttle=2: want a probability between 0 and 1"},
		{name: "bad guardrail", opts: Options{Guardrails: []Guardrail{{ID: "Bad"}}}, err: "guardrail Bad:: want a lowercase alphanumeric ID, a version (1… or DRAFT) and a pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := New(tt.opts)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("New error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ids(s)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("%s not served; served %v", id, got)
				}
			}
			for _, id := range tt.notWant {
				if slices.Contains(got, id) {
					t.Errorf("%s served", id)
				}
			}
		})
	}
	t.Run("future model answers", func(t *testing.T) {
		s := testServer(t, Options{Models: []string{"global.anthropic.claude-sonnet-5"}})
		w := send(t, s, "POST", "/model/global.anthropic.claude-sonnet-5/invoke", reqBody(nil))
		mustStatus(t, w, http.StatusOK)
		if !strings.Contains(w.Body.String(), `"model":"claude-sonnet-5"`) {
			t.Errorf("body %s", w.Body.String())
		}
	})
	t.Run("govcloud partition", func(t *testing.T) {
		s := testServer(t, Options{Region: "us-gov-west-1"})
		p := s.profiles.byID["us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"]
		if want := "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"; p.ARN != want {
			t.Errorf("ARN = %s, want %s", p.ARN, want)
		}
	})
}

func TestProfileTableShape(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-central-1", "ap-northeast-1", "ap-southeast-2", "ap-south-1", "us-gov-west-1", "ca-central-1"} {
		s := testServer(t, Options{Region: region})
		for _, p := range s.profiles.list {
			if n := len(p.ModelARNs); n < 1 || n > 5 {
				t.Errorf("%s %s: %d models, want 1 to 5", region, p.ID, n)
			}
			if len(p.Description) > 200 {
				t.Errorf("%s %s: description of %d chars > 200", region, p.ID, len(p.Description))
			}
			if p.Type == typeApplication && !regexpAppID.MatchString(p.ID) {
				t.Errorf("%s: application profile ID %q is not 12 lowercase alphanumerics", region, p.ID)
			}
			if p.Type == typeSystem && !systemProfileID().MatchString(p.ID) {
				t.Errorf("%s: system profile ID %q", region, p.ID)
			}
		}
	}
}
