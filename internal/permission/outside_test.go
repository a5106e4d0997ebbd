package permission

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAcceptEditsOutsideWorkspace: acceptEdits allows writes inside the
// workspace only. Every way out, through the edit tools, redirections and
// the filesystem commands acceptEdits allows, is asked.
func TestAcceptEditsOutsideWorkspace(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	c := tr.checker(t, ModeAcceptEdits, false, ruleLists{})
	tests := []struct {
		name string
		tool string
		arg  string
		want Behavior
	}{
		// The edit tools.
		{"dot-dot", "Write", "../outside/new.txt", Ask},
		{"absolute", "Write", "{B}/outside/secret.txt", Ask},
		{"tilde", "Write", "~/notes.txt", Ask},
		{"tmp", "Edit", "/tmp/x.txt", Ask},
		{"symlink escape, existing file", "Edit", "linkout/secret.txt", Ask},
		{"symlink escape, new file under a linked dir", "Write", "linkout/new/deeper.txt", Ask},
		{"dot-dot after a link", "MultiEdit", "srclink/../../outside/secret.txt", Ask},
		{"dot-dot inside the project stays inside", "Write", "src/../README.md", Allow},
		{"inside", "Write", "src/new.go", Allow},
		{"additional directory", "Write", "{X}/notes.txt", Allow},

		// Redirections.
		{"redirect dot-dot", "Bash", "echo x > ../outside/x", Ask},
		{"redirect through a link", "Bash", "echo x > linkout/new.txt", Ask},
		{"redirect tilde", "Bash", "echo x >> ~/x", Ask},
		{"redirect absolute", "Bash", "echo x > {B}/outside/x", Ask},
		{"redirect after cd out", "Bash", "cd .. && echo x > y", Ask},
		{"redirect after cd through a link", "Bash", "cd linkout && echo x > y", Ask},
		{"redirect inside", "Bash", "echo x > src/out.txt", Allow},

		// acceptEdits' filesystem commands.
		{"touch dot-dot", "Bash", "touch ../outside/x", Ask},
		{"touch after --", "Bash", "touch -- ../outside/x", Ask},
		{"mkdir tilde", "Bash", "mkdir ~/newdir", Ask},
		{"mkdir -p through dot-dot", "Bash", "mkdir -p src/../../outside/x", Ask},
		{"rm through a link", "Bash", "rm linkout/secret.txt", Ask},
		{"rm the project root", "Bash", "rm -rf .", Ask},
		{"rmdir outside", "Bash", "rmdir ../outside", Ask},
		{"mv out", "Bash", "mv src/main.go ../outside/", Ask},
		{"mv into a linked dir", "Bash", "mv src/main.go linkout/new.go", Ask},
		{"cp to home", "Bash", "cp src/main.go ~/x", Ask},
		{"cp -t outside", "Bash", "cp -t ../outside src/main.go", Ask},
		{"cp --target-directory=", "Bash", "cp --target-directory=../outside src/main.go", Ask},
		{"cp glob into a link", "Bash", "cp src/*.go linkout/", Ask},
		{"cp with a variable target", "Bash", "cp src/main.go $DEST", Ask},
		{"cp after cd out", "Bash", "cd .. && cp proj/README.md x", Ask},
		{"brace expansion out", "Bash", "cp src/main.go {src/x,../outside/y}", Ask},
		{"brace expansion to home", "Bash", "touch {a,~/.x}", Ask},
		{"tilde user", "Bash", "echo x > ~root/.bashrc", Ask},
		{"tilde user with cp", "Bash", "cp x ~root/.bashrc", Ask},
		{"tilde plus", "Bash", "echo x > ~+/../outside/x", Ask},
		{"tilde minus", "Bash", "touch ~-/x", Ask},
		{"dev fd dot-dot", "Bash", "echo x > /dev/fd/../../../tmp/x", Ask},
		{"dev fd", "Bash", "echo x > /dev/fd/2", Allow},
		{"touch inside", "Bash", "touch src/new.go", Allow},
		{"mv inside", "Bash", "mv src/main.go src/app.go", Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := protCase{tool: tt.tool, arg: tt.arg}
			d := c.Decide(pc.request(tr))
			if diff := cmp.Diff(tt.want, d.Behavior); diff != "" {
				t.Errorf("%s %q mismatch (-want +got):\n%s\nreason: %s", tt.tool, tt.arg, diff, d.Reason)
			}
		})
	}
}
