package trust

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustLoad(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	repo := t.TempDir()
	path := Path(filepath.Join(state, "basalt"))
	s := mustLoad(t, path) // missing file: empty, no error
	if s.Trusted(repo, "sha256:a") {
		t.Fatal("empty store trusts a folder")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Trust(repo, Entry{Fingerprint: "sha256:a", Settings: []string{"awsAuthRefresh"}, TrustedAt: at})
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".trust.json.*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	s = mustLoad(t, path)
	want := []Folder{{Dir: Key(repo), Entry: Entry{Fingerprint: "sha256:a", Settings: []string{"awsAuthRefresh"}, TrustedAt: at}}}
	if diff := cmp.Diff(want, s.List()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	tests := []struct {
		name        string
		dir, fp     string
		wantTrusted bool
	}{
		{"same folder and settings", repo, "sha256:a", true},
		{"settings changed", repo, "sha256:b", false},
		{"empty fingerprint", repo, "", false},
		{"subfolder", filepath.Join(repo, "sub"), "sha256:a", false},
		{"other folder", state, "sha256:a", false},
	}
	for _, tt := range tests {
		if got := s.Trusted(tt.dir, tt.fp); got != tt.wantTrusted {
			t.Errorf("%s: Trusted = %v, want %v", tt.name, got, tt.wantTrusted)
		}
	}
	if _, ok := s.Lookup(repo); !ok {
		t.Error("Lookup does not find a folder whose settings changed")
	}

	if !s.Revoke(repo) || s.Revoke(repo) {
		t.Error("Revoke: want true once, then false")
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if s := mustLoad(t, path); len(s.List()) != 0 {
		t.Errorf("after revoke: %v", s.List())
	}
}

func TestSymlinkedFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	link := filepath.Join(dir, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	path := Path(filepath.Join(dir, "state"))
	s := mustLoad(t, path)
	s.Trust(link, Entry{Fingerprint: "sha256:a"})
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	s = mustLoad(t, path)
	for _, d := range []string{real, link, filepath.Join(link, "."), filepath.Join(real, "x", "..")} {
		if !s.Trusted(d, "sha256:a") {
			t.Errorf("%s: not trusted", d)
		}
	}
	if got := s.List()[0].Dir; got != Key(real) {
		t.Errorf("stored under %q, want the real path %q", got, Key(real))
	}
	// Repointing the link does not carry the trust to the new target.
	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, link); err != nil {
		t.Fatal(err)
	}
	if s.Trusted(link, "sha256:a") {
		t.Error("a repointed link is trusted")
	}
}

func TestCorruptStoreTrustsNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
	}{
		{"not JSON", `{"version": 1, "folders": {`},
		{"wrong shape", `{"version": 1, "folders": ["/repo"]}`},
		{"unknown version", `{"version": 2, "folders": {"/repo": {"fingerprint": "sha256:a"}}}`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), FileName)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Load(path)
			var corrupt *CorruptError
			if !errors.As(err, &corrupt) {
				t.Fatalf("err = %v, want a *CorruptError", err)
			}
			if s == nil || s.Trusted("/repo", "sha256:a") || len(s.List()) != 0 {
				t.Errorf("a corrupt store trusts something: %v", s)
			}
			// The next decision replaces the corrupt file.
			s.Trust("/repo", Entry{Fingerprint: "sha256:b"})
			if err := s.Save(); err != nil {
				t.Fatal(err)
			}
			if s := mustLoad(t, path); !s.Trusted("/repo", "sha256:b") {
				t.Error("the store written over a corrupt one does not load")
			}
		})
	}
}

func TestEntriesNobodyMadeAreDropped(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	content := `{"version": 1, "folders": {"relative": {"fingerprint": "sha256:a"}, "/nofp": {"fingerprint": ""}, "/ok": {"fingerprint": "sha256:a"}}}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, path)
	var dirs []string
	for _, f := range s.List() {
		dirs = append(dirs, f.Dir)
	}
	if diff := cmp.Diff([]string{"/ok"}, dirs); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if s.Trusted("/nofp", "") {
		t.Error("an empty fingerprint is trusted")
	}
}

// Without HOME and XDG_STATE_HOME the state directory would be relative to
// the working directory, inside the repository being judged: a store there
// is never read, and nothing is saved there.
func TestRelativePathTrustsNothing(t *testing.T) {
	t.Parallel()
	s, err := Load(filepath.Join(".local", "state", "basalt", FileName))
	var corrupt *CorruptError
	if !errors.As(err, &corrupt) || len(s.List()) != 0 {
		t.Fatalf("Load = %v, %v; want an empty store and a *CorruptError", s.List(), err)
	}
	s.Trust("/repo", Entry{Fingerprint: "sha256:a"})
	if err := s.Save(); err == nil {
		t.Error("Save to a relative path succeeded")
	}
}
