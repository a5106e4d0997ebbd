package tool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func copyFixture(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "media", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadMedia(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newSession(t, dir)
	os.WriteFile(filepath.Join(dir, "shot.png"), pngBytes(t, 64, 48), 0o644)
	os.WriteFile(filepath.Join(dir, "wide.png"), pngBytes(t, 3136, 100), 0o644)
	os.WriteFile(filepath.Join(dir, "noext"), pngBytes(t, 8, 8), 0o644)
	os.WriteFile(filepath.Join(dir, "fake.png"), []byte("just text\n"), 0o644)
	pdf := copyFixture(t, dir, "two-pages.pdf")
	nb := copyFixture(t, dir, "jupyter.ipynb")

	t.Run("image", func(t *testing.T) {
		res := call(t, s, Read{}, map[string]any{"file_path": "shot.png"})
		m, ok := res.Display.(*Media)
		if res.IsError || !ok || len(m.Content) != 1 || m.Content[0].OfImage == nil || len(m.After) != 0 {
			t.Fatalf("result %+v", res)
		}
		if !strings.Contains(res.Content, "image/png, 64x48") {
			t.Errorf("content = %q", res.Content)
		}
		if _, ok := s.Record(filepath.Join(dir, "shot.png")); !ok {
			t.Error("the image was not recorded as read")
		}
	})
	t.Run("scaled image has a note", func(t *testing.T) {
		res := call(t, s, Read{}, map[string]any{"file_path": "wide.png"})
		m := res.Display.(*Media)
		if len(m.After) != 1 || !strings.Contains(m.After[0].OfText.Text, "the file is 3136x100 pixels, shown scaled to 1568x50. Multiply coordinates by 2.00") {
			t.Errorf("after = %+v", m.After)
		}
	})
	t.Run("sniffed without extension", func(t *testing.T) {
		if res := call(t, s, Read{}, map[string]any{"file_path": "noext"}); res.Display == nil {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("a .png of text is text", func(t *testing.T) {
		if res := call(t, s, Read{}, map[string]any{"file_path": "fake.png"}); res.IsError || !strings.Contains(res.Content, "just text") {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("pdf as a document", func(t *testing.T) {
		res := call(t, s, Read{}, map[string]any{"file_path": pdf})
		m, ok := res.Display.(*Media)
		if !ok || len(m.After) != 1 || m.After[0].OfDocument == nil || m.After[0].OfDocument.Source.OfBase64 == nil {
			t.Fatalf("result %+v", res)
		}
		if !strings.Contains(res.Content, "PDF file read: "+pdf+" (2 pages, 858 bytes)") {
			t.Errorf("content = %q", res.Content)
		}
	})
	t.Run("pdf pages as text", func(t *testing.T) {
		res := call(t, s, Read{}, map[string]any{"file_path": pdf, "pages": "1-2"})
		if res.IsError || res.Display != nil || !strings.Contains(res.Content, "--- Page 1 of 2 ---\nHello page one\n--- Page 2 of 2 ---\nSecond page text") {
			t.Errorf("result %q", res.Content)
		}
		res = call(t, s, Read{}, map[string]any{"file_path": pdf, "pages": "3"})
		if !res.IsError || !strings.Contains(res.Content, "the PDF has 2 pages") {
			t.Errorf("page 3: %+v", res)
		}
		res = call(t, s, Read{}, map[string]any{"file_path": "shot.png", "pages": "1"})
		if !res.IsError || !strings.Contains(res.Content, "pages is for PDF files") {
			t.Errorf("pages of an image: %+v", res)
		}
	})
	t.Run("notebook", func(t *testing.T) {
		res := call(t, s, Read{}, map[string]any{"file_path": nb})
		want := "<cell id=\"a1b2c3\"><cell_type>markdown</cell_type># Title\nSome text</cell id=\"a1b2c3\">\n" +
			"<cell id=\"d4e5f6\">print('hello')\n42</cell id=\"d4e5f6\">\nhello\n\n42"
		if diff := cmp.Diff(want, res.Content); diff != "" || res.IsError {
			t.Errorf("notebook mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestReadNotebookImageOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newSession(t, dir)
	img, _ := json.Marshal(pngBytes(t, 5, 5)) // base64 in a JSON string
	nb := `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","id":"c1","metadata":{},"execution_count":1,"source":"plot()",` +
		`"outputs":[{"output_type":"display_data","metadata":{},"data":{"text/plain":"<Figure>","image/png":` + string(img) + `}}]}]}`
	os.WriteFile(filepath.Join(dir, "plot.ipynb"), []byte(nb), 0o644)
	res := call(t, s, Read{}, map[string]any{"file_path": "plot.ipynb"})
	m, ok := res.Display.(*Media)
	if !ok || len(m.Content) != 2 || m.Content[0].OfText == nil || m.Content[1].OfImage == nil {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(m.Content[0].OfText.Text, "<Figure>") {
		t.Errorf("text block = %q", m.Content[0].OfText.Text)
	}
}

func TestNotebookEditTool(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newSession(t, dir)
	nb := copyFixture(t, dir, "jupyter.ipynb")
	edit := map[string]any{"notebook_path": nb, "cell_id": "d4e5f6", "new_source": "print(1)"}

	res := call(t, s, NotebookEdit{}, edit)
	if !res.IsError || !strings.Contains(res.Content, "has not been read in this session") {
		t.Fatalf("edit before a read: %+v", res)
	}
	call(t, s, Read{}, map[string]any{"file_path": nb})
	res = call(t, s, NotebookEdit{}, edit)
	if res.IsError || res.Content != "Updated cell d4e5f6 with print(1)" {
		t.Fatalf("edit: %+v", res)
	}
	if d, ok := res.Display.(*FileDiff); !ok || !slices.Contains(d.Hunks[0].Lines, "+print(1)") {
		t.Errorf("display = %+v", res.Display)
	}
	// The record follows the write: a second edit needs no new read.
	res = call(t, s, NotebookEdit{}, map[string]any{"notebook_path": nb, "cell_id": "a1b2c3", "edit_mode": "delete", "new_source": ""})
	if res.IsError || res.Content != "Deleted cell a1b2c3" {
		t.Fatalf("delete: %+v", res)
	}
	data, _ := os.ReadFile(nb)
	if !bytes.Contains(data, []byte(`"print(1)"`)) || bytes.Contains(data, []byte("a1b2c3")) {
		t.Errorf("notebook now:\n%s", data)
	}
	for _, tt := range []struct {
		input map[string]any
		want  string
	}{
		{map[string]any{"notebook_path": nb, "cell_id": "zz", "new_source": "x"}, `no cell with id "zz"`},
		{map[string]any{"notebook_path": nb, "cell_id": "d4e5f6"}, "new_source is required"},
		{map[string]any{"notebook_path": filepath.Join(dir, "a.py"), "new_source": "x"}, "is not a Jupyter notebook (.ipynb)"},
		{map[string]any{"notebook_path": filepath.Join(dir, "new.ipynb"), "new_source": "x"}, "does not exist"},
		{map[string]any{"notebook_path": nb, "new_source": "x", "edit_mode": "insert"}, "cell_type (code or markdown) is required"},
	} {
		if res := call(t, s, NotebookEdit{}, tt.input); !res.IsError || !strings.Contains(res.Content, tt.want) {
			t.Errorf("%v: %+v, want an error with %q", tt.input, res, tt.want)
		}
	}
	// Changed on disk since the last read or write: refused.
	os.WriteFile(nb, append(data, ' '), 0o644)
	if res := call(t, s, NotebookEdit{}, edit); !res.IsError || !strings.Contains(res.Content, "changed on disk") {
		t.Errorf("stale: %+v", res)
	}
}

// TestClaudeCodeSchemas: Read and NotebookEdit take the fields Claude
// Code's do (recorded from Claude Code 2.1.197 in testdata/claude-code),
// with the same required fields and enums, so a model trained on them
// calls ours the same way. Descriptions are our own words.
func TestClaudeCodeSchemas(t *testing.T) {
	t.Parallel()
	type schema struct {
		Properties map[string]struct {
			Type string   `json:"type"`
			Enum []string `json:"enum"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	for file, tl := range map[string]Tool{"read-schema.json": Read{}, "notebookedit-schema.json": NotebookEdit{}} {
		raw, err := os.ReadFile(filepath.Join("testdata", "claude-code", file))
		if err != nil {
			t.Fatal(err)
		}
		var want, got schema
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(tl.InputSchema(), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s schema differs from Claude Code's (-claude code +basalt):\n%s", tl.Name(), diff)
		}
	}
}

// pdfOfPages writes a minimal PDF whose page n says "text of page n".
func pdfOfPages(n int) []byte {
	var objs []string
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := range n {
		content := fmt.Sprintf("BT /F1 12 Tf 72 700 Td (text of page %d) Tj ET", i+1)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return []byte(b.String())
}

func TestReadLongPDFAsText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newSession(t, dir)
	os.WriteFile(filepath.Join(dir, "long.pdf"), pdfOfPages(101), 0o644)
	res := call(t, s, Read{}, map[string]any{"file_path": "long.pdf"})
	if res.IsError || res.Display != nil {
		t.Fatalf("result %+v", res)
	}
	for _, want := range []string{"because it has 101 pages", `Use pages, e.g. "21-40"`, "--- Page 20 of 101 ---\ntext of page 20"} {
		if !strings.Contains(res.Content, want) {
			t.Errorf("content lacks %q:\n%.600s", want, res.Content)
		}
	}
	if strings.Contains(res.Content, "Page 21 of") {
		t.Error("more than 20 pages shown")
	}
	res = call(t, s, Read{}, map[string]any{"file_path": "long.pdf", "pages": "100-101"})
	if !strings.Contains(res.Content, "--- Page 101 of 101 ---\ntext of page 101") {
		t.Errorf("pages 100-101: %.300s", res.Content)
	}
}
