package tool

import (
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/media"
)

// Files Read loads whole into memory to convert; larger ones are refused
// with the reason, before anything is read.
const (
	maxImageFile    = 64 << 20
	maxPDFFile      = 100 << 20
	maxNotebookFile = 32 << 20
)

// readKind is how Read shows a file: as text, or converted.
type readKind int

const (
	readText readKind = iota
	readImage
	readPDF
	readNotebook
)

// kindOf decides by extension, then by the first bytes: a screenshot
// saved without an extension is still an image, and a .png that holds
// text is read as text.
func kindOf(path string, head []byte) readKind {
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".ipynb":
		return readNotebook
	case media.Sniff(head) != "":
		return readImage
	case ext == ".pdf" || media.IsPDF(head):
		if media.IsPDF(head) {
			return readPDF
		}
	}
	return readText
}

func base64Std(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

// loadWhole reads a file for conversion, refusing one over limit, and
// records it as read.
func (s *Session) loadWhole(path string, fi fs.FileInfo, limit int64, what string) ([]byte, *Result) {
	if fi.Size() > limit {
		r := errorf("%s is %s, larger than the %s basalt converts for the model (%s).", path, humanBytes(fi.Size()), what, humanBytes(limit))
		return nil, &r
	}
	data, err := os.ReadFile(path)
	if err != nil {
		r := errorf("cannot read %s: %s", path, describeFSError(err))
		return nil, &r
	}
	s.setRecord(path, recordOf(fi, data))
	return data, nil
}

// readImageFile returns an image as an image block, scaled into the
// model's limits, with a note giving the scale when it was.
func (s *Session) readImageFile(path string, fi fs.FileInfo) Result {
	data, res := s.loadWhole(path, fi, maxImageFile, "image")
	if res != nil {
		return *res
	}
	im, err := media.LoadImage(data)
	if err != nil {
		return errorf("%s cannot be shown as an image: %v", path, err)
	}
	desc := fmt.Sprintf("[image %s, %dx%d, %s]", im.MediaType, im.Width, im.Height, humanBytes(int64(len(data))))
	m := &Media{Content: []anthropic.ToolResultBlockParamContentUnion{resultImage(im)}}
	if im.Resized() {
		note := scaleNote(im)
		desc += " " + note
		m.After = []anthropic.ContentBlockParamUnion{anthropic.NewTextBlock(note)}
	}
	return Result{Content: desc, Display: m}
}

// scaleNote tells the model how the image it sees maps to the file, so
// that coordinates it gives (a button in a screenshot) can be used.
func scaleNote(im media.Image) string {
	return fmt.Sprintf("[Image %s: the file is %dx%d pixels, shown scaled to %dx%d. Multiply coordinates by %.2f to map them to the file.]",
		"scaled", im.OrigWidth, im.OrigHeight, im.Width, im.Height, float64(im.OrigWidth)/float64(im.Width))
}

// readPDFFile sends a PDF as a document block when it fits the API's
// limits and no pages were asked for; otherwise it extracts the text of
// the pages asked for (or the first ones), page by page.
func (s *Session) readPDFFile(path string, fi fs.FileInfo, pages string) Result {
	data, res := s.loadWhole(path, fi, maxPDFFile, "PDF")
	if res != nil {
		return *res
	}
	doc, err := media.OpenPDF(data)
	if err != nil {
		return errorf("%s cannot be read as a PDF: %v", path, err)
	}
	total := doc.Pages()
	if total == 0 {
		return errorf("%s cannot be read as a PDF: no pages found", path)
	}
	if pages == "" && total <= media.MaxDocumentPages && len(data) <= media.MaxDocumentBytes {
		desc := fmt.Sprintf("PDF file read: %s (%d pages, %s)", path, total, humanBytes(int64(len(data))))
		return Result{Content: desc, Display: &Media{
			Content: []anthropic.ToolResultBlockParamContentUnion{resultText(desc)},
			After:   []anthropic.ContentBlockParamUnion{DocumentBlock(data)},
		}}
	}
	var list []int
	var note string
	if pages != "" {
		if list, err = media.ParsePages(pages, total); err != nil {
			return errorf("%v", err)
		}
	} else {
		for n := 1; n <= min(total, media.MaxPagesPerRead); n++ {
			list = append(list, n)
		}
		why := fmt.Sprintf("it has %d pages", total)
		if len(data) > media.MaxDocumentBytes {
			why = "it is " + humanBytes(int64(len(data)))
		}
		note = fmt.Sprintf("(The PDF is shown as extracted text because %s. Use pages, e.g. \"%d-%d\", to read others; at most %d per read.)\n\n",
			why, min(total, media.MaxPagesPerRead)+1, min(total, 2*media.MaxPagesPerRead), media.MaxPagesPerRead)
		if total <= media.MaxPagesPerRead {
			note = fmt.Sprintf("(The PDF is shown as extracted text because %s.)\n\n", why)
		}
	}
	var b strings.Builder
	b.WriteString(note)
	empty := true
	for _, n := range list {
		text, err := doc.PageText(n)
		fmt.Fprintf(&b, "--- Page %d of %d ---\n", n, total)
		switch {
		case err != nil:
			fmt.Fprintf(&b, "[no text: %v]\n", err)
		case strings.TrimSpace(text) == "":
			b.WriteString("[no text on this page: it may be a scanned image]\n")
		default:
			empty = false
			b.WriteString(strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD")) + "\n")
		}
		if b.Len() > readMaxOutput {
			fmt.Fprintf(&b, "\n(output limit reached after page %d)\n", n)
			break
		}
	}
	if empty {
		b.WriteString("\n(No text could be extracted from these pages.)\n")
	}
	return Result{Content: b.String()}
}

// readNotebookFile shows a notebook cell by cell, as Claude Code does:
// each cell in <cell id="…"> tags (with its type when it is not code),
// its outputs after it, images among them as image blocks.
func (s *Session) readNotebookFile(path string, fi fs.FileInfo) Result {
	data, res := s.loadWhole(path, fi, maxNotebookFile, "notebook")
	if res != nil {
		return *res
	}
	nb, err := media.ParseNotebook(data)
	if err != nil {
		return errorf("%s is not a valid Jupyter notebook: %v", path, err)
	}
	var blocks []anthropic.ToolResultBlockParamContentUnion
	var text, all strings.Builder
	images := 0
	flush := func() {
		if text.Len() > 0 {
			blocks = append(blocks, resultText(text.String()))
			all.WriteString(text.String())
			text.Reset()
		}
	}
	cells := nb.Cells()
	for i, c := range cells {
		if all.Len()+text.Len() > readMaxOutput {
			fmt.Fprintf(&text, "\n(output limit reached: %d of %d cells shown)", i, len(cells))
			break
		}
		if i > 0 {
			text.WriteString("\n")
		}
		fmt.Fprintf(&text, "<cell id=%q>", c.ID)
		if c.Type != "code" {
			fmt.Fprintf(&text, "<cell_type>%s</cell_type>", c.Type)
		}
		fmt.Fprintf(&text, "%s</cell id=%q>", c.Source, c.ID)
		for _, o := range nb.Outputs(i) {
			if o.Image != nil {
				flush()
				images++
				blocks = append(blocks, resultImage(*o.Image))
				all.WriteString(fmt.Sprintf("\n[image output %dx%d]", o.Image.Width, o.Image.Height))
				continue
			}
			text.WriteString("\n" + o.Text)
		}
	}
	flush()
	if len(cells) == 0 {
		return Result{Content: fmt.Sprintf("%s is a notebook with no cells.", path)}
	}
	r := Result{Content: all.String()}
	if images > 0 {
		r.Display = &Media{Content: blocks}
	}
	return r
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
