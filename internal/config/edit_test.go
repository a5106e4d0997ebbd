package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestEditRules: a rule edit keeps every other key, backs the old content
// up, writes atomically with mode 0600 (also for a file that was 0644),
// and leaves a file that is not JSON alone, naming the place.
func TestEditRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, old   string
		kind        string
		add, remove []string
		want        string // "" : the file is unchanged
		wantErr     string
	}{
		{name: "new file", kind: "allow", add: []string{"Bash(go test:*)"},
			want: "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(go test:*)\"\n    ]\n  }\n}\n"},
		{name: "merge keeps other keys", old: `{"env":{"A":"1"},"permissions":{"deny":["Read(./.env)"],"allow":["Read"]}}`, kind: "allow",
			add:  []string{"Bash(make:*)", "Read"},
			want: "{\n  \"env\": {\n    \"A\": \"1\"\n  },\n  \"permissions\": {\n    \"allow\": [\n      \"Read\",\n      \"Bash(make:*)\"\n    ],\n    \"deny\": [\n      \"Read(./.env)\"\n    ]\n  }\n}\n"},
		{name: "remove", old: `{"permissions":{"allow":["Read","Bash(make:*)"]}}`, kind: "allow", remove: []string{"Read"},
			want: "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(make:*)\"\n    ]\n  }\n}\n"},
		{name: "nothing to do", old: `{"permissions":{"allow":["Read"]}}`, kind: "allow", add: []string{"Read"}},
		{name: "invalid JSON is left alone", old: "{\n  \"permissions\": ,\n}", kind: "allow", add: []string{"Read"}, wantErr: "settings.local.json:2:18: not a JSON object"},
		{name: "not an object is left alone", old: `["Read"]`, kind: "allow", add: []string{"Read"}, wantErr: "settings.local.json:1:1: not a JSON object"},
		{name: "permissions of another type", old: `{"permissions":[]}`, kind: "allow", add: []string{"Read"}, wantErr: "permissions is not an object"},
		{name: "unknown kind", kind: "maybe", add: []string{"Read"}, wantErr: `kind "maybe"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, ".basalt", "settings.local.json")
			if tc.old != "" {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := config.EditRules(path, tc.kind, tc.add, tc.remove)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want error %q", err, tc.wantErr)
			}
			got, _ := os.ReadFile(path)
			want := tc.want
			if want == "" {
				want = tc.old
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("file mismatch (-want +got):\n%s", diff)
			}
			bak, bakErr := os.ReadFile(path + ".bak")
			switch {
			case tc.old != "" && tc.want != "":
				if string(bak) != tc.old {
					t.Errorf("backup = %q, want the old content %q", bak, tc.old)
				}
				for _, p := range []string{path, path + ".bak"} {
					if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
						t.Errorf("mode of %s = %v (%v), want 0600", p, fi.Mode().Perm(), err)
					}
				}
			case tc.want != "":
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("mode of the new file = %v (%v), want 0600", fi.Mode().Perm(), err)
				}
				if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
					t.Errorf("mode of the new directory = %v (%v), want 0700", fi.Mode().Perm(), err)
				}
			case bakErr == nil:
				t.Errorf("backup written although the file did not change")
			}
			// No temporary file is left behind.
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range entries {
				if e.Name() != "settings.local.json" && e.Name() != "settings.local.json.bak" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}
