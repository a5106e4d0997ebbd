package rulespec

import "testing"

func TestWebDomainCovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec  string
		host  string
		want  bool
		error bool
	}{
		{spec: "domain:example.com", host: "example.com", want: true},
		{spec: "domain:Example.COM.", host: "example.com", want: true},
		{spec: "domain:example.com", host: "www.example.com"},
		{spec: "domain:example.com", host: "example.com.evil.org"},
		{spec: "domain:example.com", host: "notexample.com"},
		{spec: "domain:*.example.com", host: "docs.example.com", want: true},
		{spec: "domain:*.example.com", host: "a.b.example.com", want: true},
		{spec: "domain:*.example.com", host: "example.com"},
		{spec: "domain:*.example.com", host: "badexample.com"},
		{spec: "domain:*", host: "anything.org", want: true},
		{spec: "domain:127.0.0.1", host: "127.0.0.1", want: true},
		{spec: "domain:[::1]", host: "::1", want: true},
		{spec: "domain:::1", host: "::1", want: true},
		{spec: "example.com", error: true},
		{spec: "domain:", error: true},
		{spec: "domain:https://example.com", error: true},
		{spec: "domain:example.com:8080", error: true},
		{spec: "domain:*.", error: true},
		{spec: "domain:ex ample.com", error: true},
	}
	for _, tt := range tests {
		d, err := ParseWebDomain(tt.spec)
		if tt.error {
			if err == nil {
				t.Errorf("ParseWebDomain(%q) = %+v, want an error", tt.spec, d)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseWebDomain(%q): %v", tt.spec, err)
			continue
		}
		if got := d.Covers(tt.host); got != tt.want {
			t.Errorf("WebFetch(%s) covers %s = %v, want %v", tt.spec, tt.host, got, tt.want)
		}
	}
}
