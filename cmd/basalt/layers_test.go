package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// forbidden lists, for each package, the basalt packages it must not
// import (DESIGN.md §2 and §9, STYLE.md "Layout"): the arrows point one
// way.
var forbidden = map[string][]string{
	"emulator":   {"provider", "awsauth", "model", "agent", "config", "cli", "harness", "media"},
	"agent":      {"tui", "headless", "cli", "harness", "subagent"},
	"tool":       {"agent", "permission", "provider", "cli", "harness", "session", "checkpoint", "subagent"},
	"permission": {"tool", "agent", "provider", "cli", "harness"},
	// provider receives its slice of the configuration from the harness
	// (harness.ProviderConfig); it never reads config itself.
	"provider": {"agent", "tool", "permission", "tui", "cli", "config", "harness"},
	"awsauth":  {"provider", "agent", "cli", "model", "harness"},
	"model":    {"config", "provider", "awsauth", "agent", "cli", "harness"},
	"config":   {"provider", "awsauth", "agent", "cli", "tool", "permission", "harness"},
	"session":  {"agent", "provider", "cli", "tui", "harness"},
	"cost":     {"agent", "provider", "session", "cli", "harness"},
	// The harness is below every frontend and the command layer: it
	// renders nothing and parses no flags.
	"harness":   {"cli", "tui", "headless", "doctor"},
	"telemetry": {"cli", "tui", "headless", "harness"},
	"tui":       {"cli", "awsauth", "provider", "telemetry"},
	"headless":  {"cli", "tui", "awsauth", "provider", "telemetry"},
	"doctor":    {"cli", "tui", "agent", "harness"},
	// The policy builder reads the configuration and the provider's
	// profiles; printing it is the command's job.
	"iampolicy": {"cli", "tui", "headless", "agent", "harness"},
	// editdist judges every "did you mean": a leaf.
	"editdist": {"config", "model", "tool", "permission", "cli", "agent", "provider", "tui", "harness", "rulespec"},
	// lazyre defers package-level regexps to first use: a leaf.
	"lazyre": {"config", "model", "tool", "permission", "cli", "agent", "provider", "tui", "harness", "rulespec", "emulator", "iampolicy", "webfetch"},
	// Custom commands, skills and output styles are libraries the harness,
	// agent and frontends call (internal/slashcmd/WIRING.md): they run and
	// read nothing themselves, so they stay below every one of those.
	"frontmatter": {"config", "tool", "permission", "agent", "provider", "tui", "headless", "cli", "harness", "slashcmd", "skills", "outputstyle"},
	"slashcmd":    {"permission", "agent", "provider", "tui", "headless", "cli", "harness", "skills", "outputstyle"},
	"skills":      {"permission", "agent", "provider", "tui", "headless", "cli", "harness", "outputstyle"},
	"outputstyle": {"permission", "agent", "provider", "tui", "headless", "cli", "harness", "skills", "tool"},
	// hooks runs configured commands for events and returns decisions: the
	// agent, the harness and the frontends call it, never the other way;
	// it reads config (settings layers, trust, redaction) and nothing
	// above it.
	"hooks": {"agent", "tui", "headless", "harness", "cli", "tool", "permission", "provider", "session", "doctor"},
	// rulespec reads rule text for both config and permission: a leaf.
	"rulespec": {"config", "permission", "cli", "agent", "tool", "provider", "tui", "model", "harness"},
	// toolsearch is a tool over definitions it is handed: it may import
	// tool, never where the definitions come from or who runs it.
	"toolsearch": {"mcp", "agent", "harness", "provider", "permission", "config", "cli", "tui", "headless"},
	// mcp/oauth signs HTTP requests and keeps tokens (through atomicfile);
	// it knows nothing of sessions, tools or configuration.
	"mcp/oauth": {"agent", "harness", "provider", "tool", "toolsearch", "permission", "config", "session", "cli", "tui", "headless"},
	// mcp turns servers into tools; it knows no frontend, and the agent
	// sees its tools only through agent.ToolSource.
	"mcp": {"tui", "headless", "cli", "harness", "agent", "permission", "provider", "session"},
	// usage adds up stored transcripts (session, cost, model) for
	// `basalt usage`; it runs no session and renders for no frontend.
	"usage": {"agent", "harness", "provider", "tool", "permission", "config", "tui", "headless", "cli", "awsauth", "telemetry"},
	// checkpoint keeps the file history /rewind restores: the tool
	// package feeds it through its own interface (tool.ChangeTracker) and
	// the harness wires it, so it knows neither, nor a conversation.
	"checkpoint": {"tool", "agent", "session", "harness", "tui", "headless", "cli", "config", "permission", "provider", "mcp"},
	// sandbox wraps a command it is handed in the OS sandbox; it reads no
	// settings and decides no permission (the Bash tool and the harness
	// call it), so it stays below all of them.
	"sandbox": {"config", "tool", "permission", "agent", "harness", "provider", "session", "cli", "tui", "headless", "doctor", "hooks", "mcp"},
	// media turns bytes into what the API takes (images, PDFs,
	// notebooks): tools, the harness and the TUI call it, it calls none
	// of them, and the emulator checks media on its own.
	"media": {"tool", "agent", "harness", "tui", "headless", "cli", "provider", "permission", "session", "config", "emulator"},
	// webfetch fetches pages for the WebFetch tool: the tool calls it,
	// the permission checker's answer comes in as a function, and the
	// small model is the harness's business.
	"webfetch": {"tool", "agent", "harness", "permission", "provider", "config", "session", "cli", "tui", "headless", "mcp"},
	// agentdef parses agent definitions: it runs nothing and knows no
	// session, so everything that does sits above it.
	"agentdef": {"agent", "subagent", "harness", "tool", "permission", "provider", "session", "config", "cli", "tui", "headless"},
	// subagent runs agent loops for the Agent tool: above agent, below
	// the harness that builds it per conversation; no frontend sees it
	// but through the harness.
	"subagent": {"harness", "cli", "tui", "headless", "config", "mcp"},
	// supervise runs from its package's init, before the rest of the
	// program is initialised (its doc.go): it imports no basalt package.
	"supervise": {"agent", "agentdef", "atomicfile", "awsauth", "checkpoint", "cli", "config", "cost", "doctor", "editdist", "emulator", "frontmatter", "harness", "headless", "hooks", "iampolicy", "lazyre", "mcp", "media", "memory", "model", "outputstyle", "permission", "provider", "rulespec", "sandbox", "session", "skills", "slashcmd", "subagent", "telemetry", "tool", "toolsearch", "trust", "tui", "usage", "webfetch"},
}

// required lists arrows that must exist: the command layer reaches a
// session only through the harness, and the harness is what assembles
// one from the domain packages.
var required = map[string][]string{
	"cli":     {"harness"},
	"harness": {"agent", "provider", "tool", "permission", "session", "telemetry", "config", "mcp", "checkpoint", "webfetch", "subagent", "agentdef"},
}

func TestImportLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../../internal/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const prefix = "github.com/basalt-dev/basalt/internal/"
	imports := map[string][]string{} // top-level package → the basalt packages it imports
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], prefix)
		top := strings.Split(pkg, "/")[0]
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, prefix) {
				continue
			}
			dep := strings.Split(strings.TrimPrefix(imp, prefix), "/")[0]
			imports[top] = append(imports[top], dep)
			// A sub-package (mcp/oauth) may have arrows of its own,
			// stricter than its parent's.
			for _, bad := range slices.Concat(forbidden[top], forbidden[pkg]) {
				if dep == bad {
					t.Errorf("%s imports %s: the dependency points the wrong way", pkg, dep)
				}
			}
		}
	}
	for pkg, deps := range required {
		for _, dep := range deps {
			if !slices.Contains(imports[pkg], dep) {
				t.Errorf("%s does not import %s: the arrow %s → %s is missing", pkg, dep, pkg, dep)
			}
		}
	}
}

// constructors build a session or one of its parts. Frontends present a
// session the command layer built through the harness; they call none of
// these.
var constructors = map[string][]string{
	"harness":    {"Open", "NewClient", "StartTelemetry", "ProviderConfig"},
	"agent":      {"New"},
	"provider":   {"New"},
	"permission": {"New"},
	"session":    {"NewStore"},
	"tool":       {"NewSession", "All"},
	"awsauth":    {"New"},
	"telemetry":  {"New"},
	"mcp":        {"Start"},
}

// TestFrontendsDoNotBuildSessions reads the frontends' code (tests
// aside) for a call of a constructor of constructors.
func TestFrontendsDoNotBuildSessions(t *testing.T) {
	for _, frontend := range []string{"tui", "headless"} {
		dir := filepath.Join("..", "..", "internal", frontend)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var files []*ast.File
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, f := range files {
			names := map[string]string{} // local name → basalt package
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				const prefix = "github.com/basalt-dev/basalt/internal/"
				if !strings.HasPrefix(path, prefix) {
					continue
				}
				name := filepath.Base(path)
				if imp.Name != nil {
					name = imp.Name.Name
				}
				names[name] = strings.TrimPrefix(path, prefix)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				if slices.Contains(constructors[names[id.Name]], sel.Sel.Name) {
					t.Errorf("%s: %s uses %s.%s: a frontend presents a session, it does not build one", fset.Position(sel.Pos()), frontend, id.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}
