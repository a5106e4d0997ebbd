package tool

import (
	"context"
	"os/exec"
)

// SandboxRunner puts Bash commands inside the operating system's sandbox
// (internal/harness implements it over internal/sandbox). The tool only
// asks it where each command runs; the decision was the permission
// checker's, which asked the same question.
type SandboxRunner interface {
	// Prepare decides where one command runs. It returns a command ready
	// to start (stdio unset) when it runs inside the sandbox, a zero
	// [SandboxedCommand] when it runs directly, or a refusal for the
	// model. An error means the harness failed.
	Prepare(ctx context.Context, req SandboxRequest) (SandboxedCommand, error)
}

// SandboxRequest is one command to place.
type SandboxRequest struct {
	// Command is the model's command line, which excludedCommands are
	// matched against; Script is what bash runs (Command with basalt's
	// own prologue).
	Command, Script string
	Shell           string
	Dir             string
	Env             []string
	// Unsandboxed is the call's dangerouslyDisableSandbox.
	Unsandboxed bool
}

// SandboxedCommand is where a command runs.
type SandboxedCommand struct {
	// Cmd runs the command inside the sandbox; nil runs it directly.
	Cmd *exec.Cmd
	// Refusal, when set, is why the command does not run at all.
	Refusal string
	// Explain says why a failed command failed when the sandbox is the
	// likely cause ("" otherwise); nil when it ran directly.
	Explain func(exitCode int, output string) string
}
