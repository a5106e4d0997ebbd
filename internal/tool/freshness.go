package tool

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// recordOf builds the record of a file whose whole content is data.
func recordOf(fi fs.FileInfo, data []byte) FileRecord {
	return FileRecord{Size: fi.Size(), ModTime: fi.ModTime(), SHA256: sha256.Sum256(data)}
}

// current is an existing file as Write and Edit find it.
type current struct {
	path string // absolute, as the model named it
	info fs.FileInfo
	data []byte
}

// loadForChange reads the file at path for Write or Edit and checks that
// the session has read it and it has not changed since. exists is false
// (with no error result) when there is no file at path. Content is
// compared by hash, so a file that was only touched still counts as
// unchanged.
func (s *Session) loadForChange(path, verb string) (cur current, exists bool, res Result, ok bool) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return current{path: path}, false, Result{}, true
	}
	if err != nil {
		return cur, false, errorf("cannot %s %s: %s", verb, path, describeFSError(err)), false
	}
	if fi.IsDir() {
		return cur, false, errorf("%s is a directory, not a file", path), false
	}
	if !fi.Mode().IsRegular() {
		return cur, false, errorf("%s is not a regular file (%s)", path, fi.Mode().Type()), false
	}
	rec, known := s.Record(path)
	if !known {
		return cur, false, errorf("%s exists but has not been read in this session. Read it first, so you do not overwrite content you have not seen.", path), false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cur, false, errorf("cannot %s %s: %s", verb, path, describeFSError(err)), false
	}
	if sha256.Sum256(data) != rec.SHA256 {
		return cur, false, errorf("%s has changed on disk since it was last read (%s). Read it again before you %s it.",
			path, describeChange(rec, fi), verb), false
	}
	return current{path: path, info: fi, data: data}, true, Result{}, true
}

func describeChange(rec FileRecord, fi fs.FileInfo) string {
	if rec.Size != fi.Size() {
		return fmt.Sprintf("size %d → %d bytes", rec.Size, fi.Size())
	}
	return "modified " + fi.ModTime().Format("2006-01-02 15:04:05")
}

// commit writes data to path atomically and records the new content, so
// the model can change the file again without reading it first. It is
// the one way a tool changes a file: the session's [ChangeTracker] sees
// the file before and after, so /rewind can undo the change. A new
// file-writing tool must write through it.
func (s *Session) commit(path string, data []byte) (Result, bool) {
	tr := s.changeTracker()
	key := realPath(path)
	if tr != nil {
		tr.BeforeChange(key)
	}
	written, err := s.writeFileAtomic(path, data)
	if err != nil {
		return errorf("cannot write %s: %s", path, describeFSError(err)), false
	}
	if tr != nil {
		tr.AfterChange(key, data)
	}
	if fi, err := os.Stat(written); err == nil {
		s.setRecord(path, recordOf(fi, data))
	}
	return Result{}, true
}

// binarySniffLen is how much of a file Read inspects for NUL bytes.
const binarySniffLen = 8000

// looksBinary reports whether data holds a NUL byte, the test git and
// grep use.
func looksBinary(data []byte) bool { return bytes.IndexByte(data, 0) >= 0 }

// crlf reports whether data uses CRLF line endings: it has a CRLF and no
// line ending in a bare LF.
func crlf(data []byte) bool {
	n := bytes.Count(data, []byte("\r\n"))
	return n > 0 && n == bytes.Count(data, []byte("\n"))
}

// toCRLF turns every bare LF of s into CRLF.
func toCRLF(s string) string {
	if s == "" {
		return s
	}
	var b bytes.Buffer
	b.Grow(len(s) + len(s)/32)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
