package oauth

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseChallenge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		values  []string
		want    challenge
		wantErr bool
	}{
		{"resource metadata and scope",
			[]string{`Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource", scope="files:read files:write"`},
			challenge{ResourceMetadata: "https://a.example/.well-known/oauth-protected-resource", Scope: "files:read files:write"}, false},
		{"scheme and keys in any case",
			[]string{`BEARER Resource_Metadata="https://a.example/m"`},
			challenge{ResourceMetadata: "https://a.example/m"}, false},
		{"token value without quotes",
			[]string{`Bearer error=invalid_token, scope=read`},
			challenge{Scope: "read"}, false},
		{"escaped quote and comma inside a quoted value",
			[]string{`Bearer realm="a \"b\", c", resource_metadata="https://a.example/m"`},
			challenge{ResourceMetadata: "https://a.example/m"}, false},
		{"another scheme first",
			[]string{`Basic realm="x", Bearer resource_metadata="https://a.example/m"`},
			challenge{ResourceMetadata: "https://a.example/m"}, false},
		{"only another scheme",
			[]string{`Basic realm="x"`},
			challenge{}, false},
		{"two header lines",
			[]string{`Basic realm="x"`, `Bearer scope="s"`},
			challenge{Scope: "s"}, false},
		{"bare scheme", []string{`Bearer`}, challenge{}, false},
		{"no header", nil, challenge{}, false},
		{"unterminated quote", []string{`Bearer scope="abc`}, challenge{}, true},
		{"parameter without value", []string{`Bearer scope=`}, challenge{}, true},
		{"garbage after a value", []string{`Bearer scope="a" b`}, challenge{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseChallenge(tc.values)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseChallenge checks that no header makes the parser panic, and
// that a value written as a quoted string comes back as written.
func FuzzParseChallenge(f *testing.F) {
	for _, s := range []string{
		`https://a.example/.well-known/oauth-protected-resource`,
		`a "quoted" value`, `a,b`, `back\slash`, ``, `=`,
	} {
		f.Add(s, `Bearer realm="r", `)
	}
	f.Fuzz(func(t *testing.T, value, prefix string) {
		parseChallenge([]string{prefix + value}) // must not panic
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value)
		header := `Bearer resource_metadata="` + quoted + `"`
		got, err := parseChallenge([]string{header})
		if value == "" {
			return // an empty value is refused, as RFC 9110 allows
		}
		if err != nil {
			t.Fatalf("parse %q: %v", header, err)
		}
		if got.ResourceMetadata != value {
			t.Fatalf("parse %q: resource_metadata = %q, want %q", header, got.ResourceMetadata, value)
		}
	})
}

func TestMetadataCandidates(t *testing.T) {
	t.Parallel()
	got := metadataCandidates("https://h.example/meta", "https://h.example/v1/mcp?x=1")
	want := [][2]string{
		{"https://h.example/meta", "https://h.example/v1/mcp?x=1"},
		{"https://h.example/.well-known/oauth-protected-resource/v1/mcp", "https://h.example/v1/mcp?x=1"},
		{"https://h.example/.well-known/oauth-protected-resource", "https://h.example"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	got = metadataCandidates("", "https://h.example")
	want = [][2]string{{"https://h.example/.well-known/oauth-protected-resource", "https://h.example"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("root URL mismatch (-want +got):\n%s", diff)
	}
	// A relative resource_metadata (RFC 9728 wants it absolute) names a
	// document on the server itself.
	got = metadataCandidates("/.well-known/oauth-protected-resource", "http://127.0.0.1:8080")
	want = [][2]string{
		{"http://127.0.0.1:8080/.well-known/oauth-protected-resource", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080/.well-known/oauth-protected-resource", "http://127.0.0.1:8080"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relative header mismatch (-want +got):\n%s", diff)
	}
}
