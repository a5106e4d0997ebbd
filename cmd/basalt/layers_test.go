package main

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden lists, for each package, the basalt packages it must not
// import (DESIGN.md §2, STYLE.md "Layout"): the arrows point one way.
var forbidden = map[string][]string{
	"emulator":   {"provider", "awsauth", "model", "agent", "config", "cli"},
	"agent":      {"tui", "headless", "cli"},
	"tool":       {"agent", "permission", "provider", "cli"},
	"permission": {"tool", "agent", "provider", "cli"},
	"provider":   {"agent", "tool", "permission", "tui", "cli"},
	"awsauth":    {"provider", "agent", "cli", "model"},
	"model":      {"config", "provider", "awsauth", "agent", "cli"},
	"config":     {"provider", "awsauth", "agent", "cli", "tool", "permission"},
	"session":    {"agent", "provider", "cli", "tui"},
	"cost":       {"agent", "provider", "session", "cli"},
	"tui":        {"cli"},
	"headless":   {"cli", "tui"},
	"doctor":     {"cli", "tui", "agent"},
	// rulespec reads rule text for both config and permission: a leaf.
	"rulespec": {"config", "permission", "cli", "agent", "tool", "provider", "tui", "model"},
}

func TestImportLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../../internal/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const prefix = "github.com/basalt-dev/basalt/internal/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], prefix)
		top := strings.Split(pkg, "/")[0]
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, prefix) {
				continue
			}
			dep := strings.Split(strings.TrimPrefix(imp, prefix), "/")[0]
			for _, bad := range forbidden[top] {
				if dep == bad {
					t.Errorf("%s imports %s: the dependency points the wrong way", pkg, dep)
				}
			}
		}
	}
}
