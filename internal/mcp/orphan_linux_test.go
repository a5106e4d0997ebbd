package mcp

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// runParent is the "basalt" of TestNoOrphansOnSIGKILL: it starts a
// server and waits to be killed.
func runParent() {
	exe, _ := os.Executable()
	s := config.MCPServer{Name: "s", Type: config.MCPStdio, Command: exe, Env: map[string]string{"MCPTEST_STDIO": "1", "MCPTEST_PARENT": "", "MCPTEST_LINGER": "1"}}
	m := Start(context.Background(), []config.MCPServer{s}, Options{Env: os.Environ()})
	_ = m.Wait(context.Background())
	select {}
}

func init() {
	if os.Getenv("MCPTEST_PARENT") == "1" {
		runParent()
	}
}

// A server outlives no basalt, even one killed with SIGKILL, which runs
// no clean-up: the kernel's parent-death signal ends it.
func TestNoOrphansOnSIGKILL(t *testing.T) {
	pidfile := t.TempDir() + "/pid"
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	parent := exec.Command(exe, "-test.run=^$")
	parent.Env = append(os.Environ(), "MCPTEST_PARENT=1", "MCPTEST_PIDFILE="+pidfile)
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	defer parent.Process.Kill()
	var pid int
	deadline := time.Now().Add(20 * time.Second)
	for pid == 0 && time.Now().Before(deadline) {
		if raw, err := os.ReadFile(pidfile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(raw)))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if pid == 0 {
		t.Fatal("the server never started")
	}
	if err := parent.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = parent.Wait()
	deadline = time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("server %d outlived its killed parent", pid)
	}
}
