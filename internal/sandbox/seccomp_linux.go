package sandbox

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/net/bpf"
)

// A seccomp filter that makes socket(AF_UNIX, …) fail with EPERM. A mount
// can hide a socket's path, but any other unix socket the command can
// name (a database's, an editor's, a daemon's) would still connect, and
// some of them run commands outside the sandbox. Pipes and socketpair
// keep working. The filter is loaded by bwrap (--seccomp FD) just before
// it starts the command.

const (
	auditArchX8664   = 0xc000003e
	auditArchI386    = 0x40000003
	auditArchAArch64 = 0xc00000b7
	x32SyscallBit    = 0x40000000

	sysSocketX8664    = 41
	sysSocketAArch64  = 198
	sysSocketI386     = 359
	sysSocketcallI386 = 102

	afUnix = 1

	retAllow = 0x7fff0000
	retEPERM = 0x00050000 | 1 // SECCOMP_RET_ERRNO | EPERM
)

// seccompOffsets in struct seccomp_data: nr, arch, args[0] (its low 32
// bits on a little-endian machine, which both supported arches are).
const (
	offNr   = 0
	offArch = 4
	offArg0 = 16
)

func unixSocketFilter() ([]byte, error) {
	// Jumps count the instructions they skip; the comments number them.
	prog := []bpf.Instruction{
		/* 0 */ bpf.LoadAbsolute{Off: offArch, Size: 4},
		/* 1 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: auditArchX8664, SkipFalse: 3}, // → 5
		// x86-64. The x32 ABI is another way to call socket: refused whole.
		/* 2 */ bpf.LoadAbsolute{Off: offNr, Size: 4},
		/* 3 */ bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: x32SyscallBit, SkipTrue: 11}, // → 15
		/* 4 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: sysSocketX8664, SkipTrue: 7, SkipFalse: 9}, // → 12, 14
		// arm64.
		/* 5 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: auditArchAArch64, SkipFalse: 2}, // → 8
		/* 6 */ bpf.LoadAbsolute{Off: offNr, Size: 4},
		/* 7 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: sysSocketAArch64, SkipTrue: 4, SkipFalse: 6}, // → 12, 14
		// i386 programs on x86-64: socketcall hides the domain in memory
		// the filter cannot read, so socket and socketcall are refused.
		/* 8 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: auditArchI386, SkipFalse: 5}, // → 14
		/* 9 */ bpf.LoadAbsolute{Off: offNr, Size: 4},
		/* 10 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: sysSocketI386, SkipTrue: 4}, // → 15
		/* 11 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: sysSocketcallI386, SkipTrue: 3, SkipFalse: 2}, // → 15, 14
		// socket(domain, …): refuse AF_UNIX.
		/* 12 */ bpf.LoadAbsolute{Off: offArg0, Size: 4},
		/* 13 */ bpf.JumpIf{Cond: bpf.JumpEqual, Val: afUnix, SkipTrue: 1}, // → 15
		/* 14 */ bpf.RetConstant{Val: retAllow},
		/* 15 */ bpf.RetConstant{Val: retEPERM},
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("sandbox: seccomp filter: %w", err)
	}
	out := make([]byte, 0, 8*len(raw))
	for _, in := range raw {
		out = binary.LittleEndian.AppendUint16(out, in.Op)
		out = append(out, in.Jt, in.Jf)
		out = binary.LittleEndian.AppendUint32(out, in.K)
	}
	return out, nil
}

// writeSeccomp writes the filter where each command's bwrap reads it.
func writeSeccomp(dir string) (string, error) {
	prog, err := unixSocketFilter()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "no-unix-sockets.bpf")
	if err := os.WriteFile(path, prog, 0o444); err != nil {
		return "", fmt.Errorf("sandbox: %w", err)
	}
	return path, nil
}
