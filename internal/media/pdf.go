package media

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDF limits from Anthropic's PDF guide: a request of at most 32 MB and
// 100 pages (for models with a 200k-token window). basalt sends a whole
// PDF as a document block only well inside them, keeping room for the
// rest of the conversation; a larger one is read page by page as text.
const (
	MaxDocumentPages = 100
	MaxDocumentBytes = 20 << 20 // raw; 26.7 MB once base64
	// MaxPagesPerRead bounds the `pages` range of one Read, as Claude
	// Code does.
	MaxPagesPerRead = 20
)

// IsPDF reports whether data starts like a PDF (the header may follow a
// little junk, as readers allow).
func IsPDF(data []byte) bool {
	i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-"))
	return i >= 0
}

// PDF is an opened PDF file.
type PDF struct {
	r *pdf.Reader
}

// OpenPDF parses data. A broken or encrypted file is an error naming why.
func OpenPDF(data []byte) (p *PDF, err error) {
	if !IsPDF(data) {
		return nil, errors.New("not a PDF file (no %PDF- header)")
	}
	// The parser panics on some malformed files; a bad file is an error,
	// not a crash.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("parse PDF: %w", err)
	}
	return &PDF{r: r}, nil
}

// Pages is the number of pages.
func (p *PDF) Pages() (n int) {
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	return p.r.NumPage()
}

// PageText is the plain text of page n (1-based). A page whose text
// cannot be extracted is an error for that page only.
func (p *PDF) PageText(n int) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("page %d: malformed content: %v", n, r)
		}
	}()
	pg := p.r.Page(n)
	if pg.V.IsNull() {
		return "", fmt.Errorf("page %d: no such page", n)
	}
	return pg.GetPlainText(nil)
}

// ParsePages reads a Read `pages` value: "3", "1-5", "10-20", or a
// comma-separated list of those ("1-3,7"), against a PDF of total pages.
// It returns the pages in order, each once. The range must name at most
// MaxPagesPerRead pages, all within the document.
func ParsePages(spec string, total int) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil || first < 1 {
			return nil, fmt.Errorf("pages %q: %q is not a page number (pages start at 1)", spec, lo)
		}
		last := first
		if isRange {
			if strings.TrimSpace(hi) == "" {
				last = total
			} else if last, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil || last < first {
				return nil, fmt.Errorf("pages %q: %q is not a range like \"1-5\"", spec, part)
			}
		}
		if first > total {
			return nil, fmt.Errorf("pages %q: the PDF has %d pages", spec, total)
		}
		last = min(last, total)
		for n := first; n <= last; n++ {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
			if len(out) > MaxPagesPerRead {
				return nil, fmt.Errorf("pages %q: at most %d pages per read", spec, MaxPagesPerRead)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pages %q names no page", spec)
	}
	return out, nil
}
