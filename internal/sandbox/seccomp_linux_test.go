package sandbox

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
)

// The filter run on seccomp_data in x/net/bpf's VM, for every arch it
// knows, so a wrong jump shows here and not only on the machine that has
// that arch.
func TestUnixSocketFilter(t *testing.T) {
	t.Parallel()
	raw, err := unixSocketFilter()
	if err != nil {
		t.Fatal(err)
	}
	var prog []bpf.Instruction
	for i := 0; i+8 <= len(raw); i += 8 {
		ri := bpf.RawInstruction{Op: binary.LittleEndian.Uint16(raw[i:]), Jt: raw[i+2], Jf: raw[i+3], K: binary.LittleEndian.Uint32(raw[i+4:])}
		prog = append(prog, ri.Disassemble())
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		t.Fatal(err)
	}
	// The kernel loads seccomp_data's words in the machine's byte order;
	// the VM loads big-endian (packet order), so the words go in so.
	data := func(arch, nr, arg0 uint32) []byte {
		b := make([]byte, 64)
		binary.BigEndian.PutUint32(b[0:], nr)
		binary.BigEndian.PutUint32(b[4:], arch)
		binary.BigEndian.PutUint32(b[16:], arg0)
		return b
	}
	const afInet = 2
	for _, tc := range []struct {
		name           string
		arch, nr, arg0 uint32
		want           uint32
	}{
		{"x86-64 unix socket", auditArchX8664, sysSocketX8664, afUnix, retEPERM},
		{"x86-64 inet socket", auditArchX8664, sysSocketX8664, afInet, retAllow},
		{"x86-64 socketpair", auditArchX8664, 53, afUnix, retAllow},
		{"x86-64 write", auditArchX8664, 1, afUnix, retAllow},
		{"x32 socket", auditArchX8664, x32SyscallBit | sysSocketX8664, afInet, retEPERM},
		{"arm64 unix socket", auditArchAArch64, sysSocketAArch64, afUnix, retEPERM},
		{"arm64 inet socket", auditArchAArch64, sysSocketAArch64, afInet, retAllow},
		{"arm64 other", auditArchAArch64, sysSocketX8664, afUnix, retAllow},
		{"i386 socket", auditArchI386, sysSocketI386, afInet, retEPERM},
		{"i386 socketcall", auditArchI386, sysSocketcallI386, 1, retEPERM},
		{"i386 write", auditArchI386, 4, afUnix, retAllow},
	} {
		got, err := vm.Run(data(tc.arch, tc.nr, tc.arg0))
		if err != nil {
			t.Fatal(err)
		}
		if uint32(got) != tc.want {
			t.Errorf("%s: got %#x, want %#x", tc.name, got, tc.want)
		}
	}
}
