package tool

import (
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

//go:embed read.md
var readDescription string

// Read limits.
const (
	readDefaultLimit = 2000    // lines shown when no limit is given
	readMaxLineLen   = 2000    // characters of a line shown before the cut marker
	readMaxOutput    = 120_000 // bytes of numbered output in one result
)

// Read shows a text file with numbered lines and records what was read.
type Read struct{}

type readInput struct {
	FilePath string `json:"file_path"`
	Offset   int    `json:"offset,omitempty"`
	Limit    int    `json:"limit,omitempty"`
	Pages    string `json:"pages,omitempty"`
}

func (Read) Name() string        { return "Read" }
func (Read) Description() string { return readDescription }
func (Read) ReadOnly() bool      { return true }
func (Read) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "file_path": {"type": "string", "description": "Absolute path of the file to read"},
    "offset": {"type": "integer", "minimum": 1, "description": "Line number to start reading from (1-based). Only for files too long to read at once"},
    "limit": {"type": "integer", "minimum": 1, "description": "Number of lines to read. Only for files too long to read at once"},
    "pages": {"type": "string", "description": "Pages of a PDF to read as text, e.g. \"1-5\", \"3\" or \"10-20\" (at most 20 per read). Only for PDF files"}
  },
  "required": ["file_path"],
  "additionalProperties": false
}`)
}

func (Read) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in readInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if in.FilePath == "" {
		return errorf("file_path is required"), nil
	}
	if in.Offset < 0 || in.Limit < 0 {
		return errorf("offset and limit must be positive"), nil
	}
	path := s.abs(in.FilePath)
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return notFound(path), nil
	case err != nil:
		return errorf("cannot read %s: %s", path, describeFSError(err)), nil
	case fi.IsDir():
		return errorf("%s is a directory. Use LS to list it, or Glob to find files in it.", path), nil
	case !fi.Mode().IsRegular():
		return errorf("%s is not a regular file (%s)", path, fi.Mode().Type()), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return errorf("cannot read %s: %s", path, describeFSError(err)), nil
	}
	defer f.Close()
	head := make([]byte, 1024)
	nh, _ := io.ReadFull(f, head)
	kind := kindOf(path, head[:nh])
	if in.Pages != "" && kind != readPDF {
		return errorf("pages is for PDF files; %s is not one. Use offset and limit for text files.", path), nil
	}
	switch kind {
	case readImage:
		return s.readImageFile(path, fi), nil
	case readPDF:
		return s.readPDFFile(path, fi, in.Pages), nil
	case readNotebook:
		return s.readNotebookFile(path, fi), nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return errorf("cannot read %s: %s", path, describeFSError(err)), nil
	}

	start := max(in.Offset, 1)
	limit := in.Limit
	if limit == 0 {
		limit = readDefaultLimit
	}
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(f, h), 64<<10)
	if head, _ := br.Peek(binarySniffLen); looksBinary(head) {
		return errorf("%s is a binary file (%s). Read shows text files only.", path, describeBinary(path, fi.Size())), nil
	}

	var out strings.Builder
	n := 0           // lines seen
	last := 0        // last line shown
	stopped := false // output limit reached
	for {
		if n%4096 == 0 && ctx.Err() != nil {
			return cancelled(""), ctx.Err()
		}
		line, err := br.ReadSlice('\n')
		hugeLen := 0
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: keep what can be shown.
			keep := append([]byte(nil), line...)
			hugeLen = len(line)
			for err == bufio.ErrBufferFull {
				var more []byte
				more, err = br.ReadSlice('\n')
				hugeLen += len(more)
				if len(keep) < readMaxLineLen*utf8.UTFMax {
					keep = append(keep, more...)
				}
			}
			line = keep
		}
		if len(line) == 0 && err != nil {
			break
		}
		n++
		if n >= start && n < start+limit && !stopped {
			text := strings.TrimRight(string(line), "\r\n")
			text = strings.ToValidUTF8(text, "\uFFFD")
			if hugeLen > 0 {
				text = fmt.Sprintf("%s… [line cut: %d bytes]", cutRunes(text, readMaxLineLen), hugeLen)
			} else {
				text = cutLine(text, readMaxLineLen)
			}
			if out.Len()+len(text) > readMaxOutput && last >= start {
				stopped = true
			} else {
				fmt.Fprintf(&out, "%6d\t%s\n", n, text)
				last = n
			}
		}
		if err != nil {
			break
		}
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return errorf("cannot read %s: %s", path, describeFSError(err)), nil
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	s.setRecord(path, FileRecord{Size: fi.Size(), ModTime: fi.ModTime(), SHA256: sum})

	switch {
	case n == 0:
		return Result{Content: fmt.Sprintf("%s is empty (0 bytes).", path)}, nil
	case start > n:
		return errorf("offset %d is past the end of %s, which has %d lines", start, path, n), nil
	}
	switch {
	case stopped:
		fmt.Fprintf(&out, "\n(output limit reached: showing lines %d-%d of %d. Continue with offset %d.)\n", start, last, n, last+1)
	case start > 1 || last < n:
		fmt.Fprintf(&out, "\n(showing lines %d-%d of %d. Use offset and limit to read other parts.)\n", start, last, n)
	}
	return Result{Content: out.String()}, nil
}

// cutLine shortens s to max characters with a marker saying how long it was.
func cutLine(s string, max int) string {
	if len(s) <= max {
		return s
	}
	count := utf8.RuneCountInString(s)
	if count <= max {
		return s
	}
	return fmt.Sprintf("%s… [line cut: %d characters]", cutRunes(s, max), count)
}

// cutRunes returns the first max characters of s.
func cutRunes(s string, max int) string {
	i := 0
	for r := 0; r < max && i < len(s); r++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// describeBinary names a binary file's size and likely type.
func describeBinary(path string, size int64) string {
	kind := mime.TypeByExtension(filepath.Ext(path))
	if i := strings.IndexByte(kind, ';'); i >= 0 {
		kind = kind[:i]
	}
	if kind == "" {
		return fmt.Sprintf("%d bytes", size)
	}
	return fmt.Sprintf("%s, %d bytes", kind, size)
}
