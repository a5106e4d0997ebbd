package tool

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An inherited variable that changes how bash reads a command must not
// reach the Bash tool: the checker allowed `ls`, and ls must be what runs.
func TestBashDropsShellStateVariables(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	canary := filepath.Join(dir, "canary")
	startup := filepath.Join(dir, "startup.sh")
	if err := os.WriteFile(startup, []byte("touch "+canary+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"BASH_ENV=" + startup,
		"ENV=" + startup,
		"BASH_FUNC_ls%%=() { touch " + canary + "; }",
		"CDPATH=/",
		"SHELLOPTS=xtrace",
		"PS4=$(touch " + canary + ")",
		"KEEP_ME=1",
	}
	s, err := NewSession(SessionOptions{WorkDir: dir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(map[string]string{"command": "ls >/dev/null; cd etc 2>/dev/null; pwd; echo keep=$KEEP_ME"})
	res, err := (Bash{}).Run(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(canary); err == nil {
		t.Errorf("an inherited shell variable ran code; result: %s", res.Content)
	}
	if strings.Contains(res.Content, "/etc") {
		t.Errorf("an inherited CDPATH moved cd: %s", res.Content)
	}
	if !strings.Contains(res.Content, "keep=1") {
		t.Errorf("an ordinary variable was dropped: %s", res.Content)
	}
}

func TestShellSafeEnvLocale(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"LANG=en_US.UTF-8", "LANG=en_US.UTF-8"},
		{"LC_ALL=C", "LC_ALL=C"},
		{"LC_ALL=C.utf8", "LC_ALL=C.utf8"},
		{"LANG=de_DE.ISO-8859-1", "LANG=de_DE.ISO-8859-1"},
		{"LC_ALL=ja_JP.SJIS", "LC_ALL=C.UTF-8"},
		{"LC_CTYPE=zh_TW.Big5", "LC_CTYPE=C.UTF-8"},
		{"LANG=zh_CN.GBK", "LANG=C.UTF-8"},
		{"LANG=zh_CN.GB18030", "LANG=C.UTF-8"},
		{"LANG=sr_RS@latin", "LANG=C.UTF-8"},
		{"LANG=zh_TW", "LANG=C.UTF-8"},
		{"LC_ALL=zh_HK", "LC_ALL=C.UTF-8"},
		{"LC_MESSAGES=ja_JP.SJIS", "LC_MESSAGES=ja_JP.SJIS"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := shellSafeEnv([]string{tt.in})
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("shellSafeEnv(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
