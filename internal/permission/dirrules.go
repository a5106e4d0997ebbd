package permission

import (
	"os"
	"path/filepath"
	"sync"
)

// mayHoldMatch reports whether something the pattern matches may lie at
// or below dir (an absolute, clean path): `cp -r . /tmp/x` copies ./.env
// although "." itself is no protected path.
func (p *pathPattern) mayHoldMatch(dir string, ws workspace) bool {
	bases := p.bases(ws)
	for _, b := range bases {
		if !p.anchored {
			// Matches at any depth below its base.
			if within(dir, b) || within(b, dir) {
				return true
			}
			continue
		}
		static := filepath.Join(append([]string{b}, p.elems[:p.staticLen]...)...)
		if within(static, dir) || within(dir, static) {
			return true
		}
	}
	return false
}

// isDir reports whether every resolvable form of rp is an existing
// directory; only those can hold protected files a recursive reader reaches.
func isDir(rp resolved) bool {
	fi, err := os.Stat(rp.forms[len(rp.forms)-1])
	return err == nil && fi.IsDir()
}

// treeReaders read every file below a directory operand when asked to
// (grep -r, rg); with the readers and writers of pathArgs they make a
// directory holding a protected file ask.
var treeReaders = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"grep": true, "egrep": true, "fgrep": true, "rg": true, "ag": true, "ack": true, "zgrep": true,
		"git": true, "zip": true, "7z": true, "rclone": true, "aws": true, "gsutil": true, "jar": true,
	}
})
