package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string
		want    *Credentials
		wantErr string // the error after "load credentials: "; FILE stands for the path
	}{
		{
			name: "keys and tokens",
			file: `{"keys":[{"access_key_id":"AKID1","secret_access_key":"s1"},
			         {"access_key_id":"ASIA2","secret_access_key":"s2","session_token":"tok"}],
			 "bearer_tokens":["ABSK1"]}`,
			want: &Credentials{
				Keys:         []Key{{"AKID1", "s1", ""}, {"ASIA2", "s2", "tok"}},
				BearerTokens: []string{"ABSK1"},
			},
		},
		{name: "bearer only", file: `{"bearer_tokens":["t"]}`, want: &Credentials{BearerTokens: []string{"t"}}},
		{name: "syntax error", file: "{\n  \"keys\": [\n    {\"access_key_id\": \"A\",}\n  ]\n}",
			wantErr: "FILE:3:27: invalid character '}' looking for beginning of object key string"},
		{name: "truncated", file: "{\"keys\":[",
			wantErr: "FILE:1:10: unexpected EOF"},
		{name: "wrong type", file: "{\"keys\":[{\"access_key_id\":7}]}",
			wantErr: "FILE:1:27: json: cannot unmarshal number into Go struct field Key.keys.access_key_id of type string"},
		{name: "unknown field", file: "{\"keys\":[{\"access_key_id\":\"A\",\n \"secret_key\":\"s\"}]}",
			wantErr: "FILE:2:2: json: unknown field \"secret_key\""},
		{name: "trailing data", file: `{"bearer_tokens":["t"]} {}`,
			wantErr: "FILE:1:25: unexpected data after the top-level object"},
		{name: "empty", file: "", wantErr: "FILE: empty file"},
		{name: "missing secret", file: `{"keys":[{"access_key_id":"A"}]}`,
			wantErr: "FILE: keys[0]: missing secret_access_key"},
		{name: "several problems", file: `{"keys":[{"secret_access_key":"s"},{"access_key_id":"A","secret_access_key":"s"},{"access_key_id":"A","secret_access_key":"t"}],"bearer_tokens":[" "]}`,
			wantErr: "FILE: keys[0]: missing access_key_id\nkeys[2]: duplicate access_key_id \"A\"\nbearer_tokens[0]: empty token"},
		{name: "accepts nobody", file: `{"keys":[],"bearer_tokens":[]}`,
			wantErr: "FILE: no keys and no bearer_tokens: the emulator would refuse every signed request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "creds.json")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadCredentials(path)
			gotErr := ""
			if err != nil {
				gotErr = strings.ReplaceAll(strings.TrimPrefix(err.Error(), "load credentials: "), path, "FILE")
			}
			if diff := cmp.Diff(tc.wantErr, gotErr); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("credentials mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadCredentialsMissingFile(t *testing.T) {
	t.Parallel()
	_, err := LoadCredentials(filepath.Join(t.TempDir(), "nope.json"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadCredentials = %v, want a not-exist error", err)
	}
}

// Secrets must not leak through fmt or slog, where test failures and the
// emulator's logs would show them.
func TestCredentialsRedacted(t *testing.T) {
	t.Parallel()
	c := Credentials{Keys: []Key{{"AKID1", "SECRETKEY", "SESSIONTOKEN"}}, BearerTokens: []string{"BEARERTOKEN"}}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("creds", "creds", c, "key", c.Keys[0])
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v", c, c.Keys[0]), logged.String()} {
		if !strings.Contains(out, "AKID1") {
			t.Errorf("output lost the access key ID: %s", out)
		}
		for _, secret := range []string{"SECRETKEY", "SESSIONTOKEN", "BEARERTOKEN"} {
			if strings.Contains(out, secret) {
				t.Errorf("output leaks %s: %s", secret, out)
			}
		}
	}
}
