package tui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUpdateRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, old   string
		kind        string
		add, remove []string
		want        string // "" : the file is unchanged
		wantErr     bool
	}{
		{name: "new file", kind: "allow", add: []string{"Bash(go test:*)"},
			want: "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(go test:*)\"\n    ]\n  }\n}\n"},
		{name: "merge keeps other keys", old: `{"env":{"A":"1"},"permissions":{"deny":["Read(./.env)"],"allow":["Read"]}}`, kind: "allow",
			add:  []string{"Bash(make:*)", "Read"},
			want: "{\n  \"env\": {\n    \"A\": \"1\"\n  },\n  \"permissions\": {\n    \"allow\": [\n      \"Read\",\n      \"Bash(make:*)\"\n    ],\n    \"deny\": [\n      \"Read(./.env)\"\n    ]\n  }\n}\n"},
		{name: "remove", old: `{"permissions":{"allow":["Read","Bash(make:*)"]}}`, kind: "allow", remove: []string{"Read"},
			want: "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(make:*)\"\n    ]\n  }\n}\n"},
		{name: "nothing to do", old: `{"permissions":{"allow":["Read"]}}`, kind: "allow", add: []string{"Read"}},
		{name: "invalid JSON is left alone", old: `{"permissions":`, kind: "allow", add: []string{"Read"}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, ".basalt", "settings.local.json")
			if tc.old != "" {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(tc.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := UpdateRules(path, tc.kind, tc.add, tc.remove)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
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
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("mode of the new file = %v, want the old file's 0600", fi.Mode().Perm())
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
