//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/basalt-dev/basalt/internal/config"
)

// protectProcess keeps basalt's own secrets (config.IsOwnSecret: the
// model-access keys, the custom and OTLP headers) out of reach of the
// commands the agent runs, which run as the same user and could otherwise
// read them back from basalt's process (`cat /proc/$PPID/environ`, a
// debugger):
//
//   - the process is made non-dumpable: its /proc files belong to root and
//     its user's other processes cannot ptrace it. Children are dumpable
//     again after their execve, so nothing they run changes.
//   - the secrets are removed from the process environment (os.Unsetenv)
//     and overwritten in the environment block the kernel shows in
//     /proc/PID/environ, which root, and so a command run by a root user
//     in a container, can still read.
//
// env must hold copies of the values (envMap clones them): the strings Go
// made of the environment point into the block that is overwritten.
func protectProcess(env map[string]string) error {
	const prSetDumpable = 4 // PR_SET_DUMPABLE, <linux/prctl.h>
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		return fmt.Errorf("prctl PR_SET_DUMPABLE: %w", errno)
	}
	var own []string
	for k, v := range env {
		if config.IsOwnSecret(k, v) {
			own = append(own, k)
		}
	}
	return scrubProcessEnv(own)
}

// scrubProcessEnv removes variables from the process environment and
// overwrites them in its environment block. basalt must have copies of
// whatever it still needs (App.Env).
func scrubProcessEnv(names []string) error {
	if len(names) == 0 {
		return nil
	}
	scrub := map[string]bool{}
	for _, k := range names {
		scrub[k] = true
		if err := os.Unsetenv(k); err != nil {
			return err
		}
	}
	return scrubEnvironBlock(scrub)
}

// scrubEnvironBlock overwrites with NUL bytes the entries of the named
// variables in the initial environment block (env_start to env_end of
// /proc/self/stat, proc(5)).
func scrubEnvironBlock(names map[string]bool) error {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return err
	}
	// Fields after the command name, which may hold spaces and ")".
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return fmt.Errorf("read /proc/self/stat: no command name")
	}
	fields := strings.Fields(string(stat[i+1:]))
	// env_start and env_end are fields 50 and 51; fields[0] is field 3.
	if len(fields) < 49 {
		return fmt.Errorf("read /proc/self/stat: %d fields, want env_start and env_end", len(fields)+2)
	}
	start, err1 := strconv.ParseUint(fields[47], 10, 64)
	end, err2 := strconv.ParseUint(fields[48], 10, 64)
	if err1 != nil || err2 != nil || end <= start || end-start > 1<<24 {
		return fmt.Errorf("read /proc/self/stat: bad environment bounds %q %q", fields[47], fields[48])
	}
	mem, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer mem.Close()
	block := make([]byte, end-start)
	if _, err := mem.ReadAt(block, int64(start)); err != nil {
		return fmt.Errorf("read the environment block: %w", err)
	}
	off := 0
	for _, entry := range bytes.Split(block, []byte{0}) {
		// The whole entry goes: even the name says which credential
		// basalt was given.
		if k, _, ok := bytes.Cut(entry, []byte("=")); ok && names[string(k)] {
			if _, err := mem.WriteAt(make([]byte, len(entry)), int64(start)+int64(off)); err != nil {
				return fmt.Errorf("overwrite the environment block: %w", err)
			}
		}
		off += len(entry) + 1
	}
	return nil
}
