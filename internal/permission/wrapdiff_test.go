package permission

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWrapperReadingMatchesPrograms is a differential test of the wrapper
// table against the real programs: for each spelling, the command an
// allow rule would see (allowForm, when not wrapped) must be exactly what
// the wrapper runs. A fake `go` early in PATH records its arguments.
func TestWrapperReadingMatchesPrograms(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	spellings := []string{
		"go test ./...",
		"timeout 60 go test ./...",
		"timeout -s KILL 60 go test ./...",
		"timeout --signal=KILL -k 5 60 go test ./...",
		"timeout 60 -s KILL go test ./...",
		"timeout -- 60 go test ./...",
		"nice go test ./...",
		"nice -n 5 go test ./...",
		"nice -n5 go test ./...",
		"nice --adjustment=5 go test ./...",
		"nice -- go test ./...",
		"stdbuf -oL go test ./...",
		"stdbuf -o L -e 0 go test ./...",
		"stdbuf --output=L go test ./...",
		"env go test ./...",
		"env -i PATH=$PATH go test ./...",
		"env GOOS=linux go test ./...",
		"env -- go test ./...",
		"env -u HOME go test ./...",
		"nohup go test ./...",
		"command go test ./...",
		"command -p go test ./...",
		"command -v go",
		"builtin go test ./...",
		"/usr/bin/time -p go test ./...",
		"/usr/bin/time -f %e go test ./...",
		"timeout 60 nice -n 5 stdbuf -oL env GOOS=linux go test ./...",
	}
	// Spellings where the real program runs another go than PATH's, or
	// none, while basalt reads the same name: an allow rule for go names
	// the program either way.
	otherLookup := map[string]bool{"command -p go test ./...": true, "builtin go test ./...": true}
	// Spellings an allow rule for go must see through, so the comparison
	// cannot pass by comparing nothing.
	mustSee := map[string]bool{
		"timeout 60 go test ./...": true, "nice -n 5 go test ./...": true, "stdbuf -oL go test ./...": true,
		"env GOOS=linux go test ./...": true, "nohup go test ./...": true,
		"timeout 60 nice -n 5 stdbuf -oL env GOOS=linux go test ./...": true,
	}
	for _, sp := range spellings {
		t.Run(sp, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			mustMkdir(t, bin)
			rec := filepath.Join(dir, "argv")
			script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + rec + "\n"
			if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			scan, err := scanCommand(sp, dir, dir)
			if err != nil {
				t.Fatal(err)
			}
			cmd := scan.cmds[0]
			cmdline := exec.CommandContext(t.Context(), bash, "--norc", "--noprofile", "-c", sp)
			cmdline.Dir = dir
			cmdline.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + dir}
			_ = cmdline.Run() // a spelling the real wrapper rejects simply runs nothing
			data, readErr := os.ReadFile(rec)
			ran := readErr == nil
			var gotArgs []string
			if ran {
				gotArgs = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
				if len(data) == 0 {
					gotArgs = nil
				}
			}
			f := cmd.allowForm
			seen := f != nil && !cmd.wrapped && cmd.opaque == "" && f[0].lit() && f[0].text == "go"
			if !seen {
				if mustSee[sp] {
					t.Fatalf("an allow rule for go no longer sees %q, which runs go as written", sp)
				}
				return // basalt does not let an allow rule for go see it: nothing to compare
			}
			if !ran && otherLookup[sp] {
				return
			}
			if !ran {
				t.Fatalf("basalt reads %q as go %v, but go did not run", sp, f[1:])
			}
			var want []string
			for _, w := range f[1:] {
				want = append(want, w.text)
			}
			if diff := cmp.Diff(want, gotArgs); diff != "" {
				t.Errorf("arguments mismatch (-basalt +real):\n%s", diff)
			}
		})
	}
}
