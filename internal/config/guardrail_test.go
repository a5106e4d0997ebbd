package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseGuardrail(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123"
	tests := []struct {
		name    string
		spec    string
		want    Guardrail
		wantErr []string // each must be in the message
	}{
		{"id and number", "abc123def456:1", Guardrail{"abc123def456", "1"}, nil},
		{"draft", "abc:DRAFT", Guardrail{"abc", "DRAFT"}, nil},
		{"largest version", "abc:99999999", Guardrail{"abc", "99999999"}, nil},
		{"arn", arn + ":3", Guardrail{arn, "3"}, nil},
		{"gov cloud arn", "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/g1:2", Guardrail{"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/g1", "2"}, nil},

		{"no version", "abc", Guardrail{}, []string{"want ID:VERSION, e.g. abc123def456:1"}},
		{"empty version", "abc:", Guardrail{}, []string{"want ID:VERSION"}},
		{"empty id", ":1", Guardrail{}, []string{"want ID:VERSION"}},
		{"empty", "", Guardrail{}, []string{"want ID:VERSION"}},
		{"uppercase id", "ABC:1", Guardrail{}, []string{`"ABC" is neither a guardrail ID`}},
		{"hyphen in id", "gr-1:1", Guardrail{}, []string{`"gr-1" is neither`}},
		{"arn of another resource", "arn:aws:bedrock:us-east-1:123456789012:foundation-model/x:1", Guardrail{}, []string{"nor a guardrail ARN"}},
		{"arn with short account", "arn:aws:bedrock:us-east-1:1234:guardrail/abc:1", Guardrail{}, []string{"nor a guardrail ARN"}},
		{"version zero", "abc:0", Guardrail{}, []string{`"0" is not a guardrail version: want a published version number (1, 2, …) or DRAFT`}},
		{"version too long", "abc:123456789", Guardrail{}, []string{`"123456789" is not a guardrail version`}},
		{"lowercase draft", "abc:draft", Guardrail{}, []string{`"draft" is not a guardrail version`}},
		{"leading zero", "abc:01", Guardrail{}, []string{`"01" is not a guardrail version`}},
		{"both wrong, both named", "A_B:latest", Guardrail{}, []string{`"A_B" is neither a guardrail ID (lowercase letters and digits) nor a guardrail ARN; "latest" is not a guardrail version`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseGuardrail(tt.spec)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("ParseGuardrail(%q): %v", tt.spec, err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
				if back, err := ParseGuardrail(got.String()); err != nil || back != got {
					t.Errorf("String %q does not parse back: %v, %v", got.String(), back, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseGuardrail(%q) = %+v, want an error", tt.spec, got)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestGuardrailFromHeadersAndBack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		headers []Header
		want    Guardrail
		wantOK  bool
	}{
		{"none", []Header{{"X-Other", "1"}}, Guardrail{}, false},
		{"both, any case", []Header{{"x-amzn-bedrock-guardrailidentifier", "abc"}, {HeaderGuardrailVersion, "2"}}, Guardrail{"abc", "2"}, true},
		{"id only", []Header{{HeaderGuardrailID, "abc"}}, Guardrail{ID: "abc"}, true},
		{"version only", []Header{{HeaderGuardrailVersion, "1"}}, Guardrail{Version: "1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := GuardrailFrom(tt.headers)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("GuardrailFrom = %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
	g := Guardrail{"abc", "DRAFT"}
	if back, ok := GuardrailFrom(g.Headers()); !ok || back != g {
		t.Errorf("Headers do not read back: %+v", back)
	}
	if err := (Guardrail{ID: "abc"}).Validate(); err == nil || !strings.Contains(err.Error(), `"" is not a guardrail version`) {
		t.Errorf("a guardrail without version validates: %v", err)
	}
}

func TestGuardrailARNAndRegion(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc"
	tests := []struct {
		g                          Guardrail
		partition, region, account string
		wantARN, wantRegion        string
	}{
		{Guardrail{"abc", "1"}, "aws", "us-east-1", "123456789012", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc", ""},
		{Guardrail{"abc", "1"}, "aws-cn", "cn-north-1", "", "arn:aws-cn:bedrock:cn-north-1:*:guardrail/abc", ""},
		{Guardrail{arn, "1"}, "aws", "us-east-1", "999999999999", arn, "eu-west-1"},
	}
	for _, tt := range tests {
		if got := tt.g.ARN(tt.partition, tt.region, tt.account); got != tt.wantARN {
			t.Errorf("%+v.ARN = %q, want %q", tt.g, got, tt.wantARN)
		}
		if got := tt.g.Region(); got != tt.wantRegion {
			t.Errorf("%+v.Region = %q, want %q", tt.g, got, tt.wantRegion)
		}
	}
}

func TestWithGuardrail(t *testing.T) {
	t.Parallel()
	g := Guardrail{"new1", "3"}
	tests := []struct{ name, in, want string }{
		{"empty", "", HeaderGuardrailID + ": new1\n" + HeaderGuardrailVersion + ": 3"},
		{"replaces, keeps others", "X-Team: a\nx-amzn-bedrock-guardrailidentifier: old\n\nX-Amzn-Bedrock-GuardrailVersion: 1\nX-Gw: b",
			"X-Team: a\nX-Gw: b\n" + HeaderGuardrailID + ": new1\n" + HeaderGuardrailVersion + ": 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := WithGuardrail(tt.in, g)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			h, err := ParseCustomHeaders(got)
			if err != nil {
				t.Fatal(err)
			}
			if back, _ := GuardrailFrom(h); back != g {
				t.Errorf("reads back as %+v", back)
			}
		})
	}
}
