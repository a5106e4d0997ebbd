package media

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readNotebook(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/jupyter.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestNotebookRoundTrip(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"jupyter layout": readNotebook(t),
		"one line":       []byte(`{"cells":[{"cell_type":"code","source":"x<1 && y","metadata":{},"outputs":[],"execution_count":null}],"metadata":{},"nbformat":4,"nbformat_minor":2}`),
		"tabs":           []byte("{\n\t\"nbformat\": 4,\n\t\"nbformat_minor\": 5,\n\t\"metadata\": {\"é\": \"ü\"},\n\t\"cells\": []\n}\n"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			nb, err := ParseNotebook(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := nb.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(data), string(out)); diff != "" {
				t.Errorf("an unedited notebook changed (-file +written):\n%s", diff)
			}
		})
	}
}

func TestNotebookCells(t *testing.T) {
	t.Parallel()
	nb, err := ParseNotebook(readNotebook(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []Cell{
		{ID: "a1b2c3", Type: "markdown", Source: "# Title\nSome text"},
		{ID: "d4e5f6", Type: "code", Source: "print('hello')\n42"},
	}
	if diff := cmp.Diff(want, nb.Cells()); diff != "" {
		t.Errorf("cells mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Output{{Text: "hello\n"}, {Text: "42"}}, nb.Outputs(1)); diff != "" {
		t.Errorf("outputs mismatch (-want +got):\n%s", diff)
	}
	if nb.Language() != "python" {
		t.Errorf("Language() = %q", nb.Language())
	}
	old, _ := ParseNotebook([]byte(`{"nbformat":4,"nbformat_minor":2,"metadata":{},"cells":[{"cell_type":"raw","source":[],"metadata":{}},{"cell_type":"code","source":"x","metadata":{},"outputs":[{"output_type":"error","ename":"E","evalue":"v","traceback":["\u001b[31mline\u001b[0m"]}]}]}`))
	if got := old.Cells(); got[0].ID != "cell-0" || got[1].ID != "cell-1" {
		t.Errorf("cells without ids: %+v", got)
	}
	if got := old.Outputs(1); len(got) != 1 || got[0].Text != "E: v\nline" {
		t.Errorf("error output = %+v", got)
	}
}

func TestNotebookEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, mode, id, source, cellType string
		wantErr                          string
		check                            func(t *testing.T, nb *Notebook, res EditResult)
	}{
		{name: "replace keeps type, clears outputs", mode: "", id: "d4e5f6", source: "print('bye')\nx = 2\n", check: func(t *testing.T, nb *Notebook, _ EditResult) {
			c := nb.Cells()[1]
			if c.Source != "print('bye')\nx = 2\n" || c.Type != "code" || len(nb.Outputs(1)) != 0 {
				t.Errorf("cell = %+v, outputs %v", c, nb.Outputs(1))
			}
			var ec any = 1
			nb.cells[1].get("execution_count", &ec)
			if ec != nil {
				t.Errorf("execution_count = %v, want null", ec)
			}
			var src []string
			if err := nb.cells[1].get("source", &src); err != nil || len(src) != 2 {
				t.Errorf("source written as %s, want Jupyter's list of lines", nb.cells[1].vals["source"])
			}
		}},
		{name: "replace turns code into markdown", mode: "replace", id: "d4e5f6", source: "*now text*", cellType: "markdown", check: func(t *testing.T, nb *Notebook, _ EditResult) {
			if nb.cells[1].has("outputs") || nb.cells[1].has("execution_count") || nb.Cells()[1].Type != "markdown" {
				t.Errorf("cell = %s", nb.cells[1].vals)
			}
		}},
		{name: "insert after a cell", mode: "insert", id: "a1b2c3", source: "x = 1", cellType: "code", check: func(t *testing.T, nb *Notebook, res EditResult) {
			cells := nb.Cells()
			if len(cells) != 3 || cells[1].Source != "x = 1" || cells[1].ID != res.CellID || len(res.CellID) != 8 {
				t.Errorf("cells = %+v, result %+v", cells, res)
			}
		}},
		{name: "insert first", mode: "insert", source: "# top", cellType: "markdown", check: func(t *testing.T, nb *Notebook, _ EditResult) {
			if nb.Cells()[0].Source != "# top" {
				t.Errorf("cells = %+v", nb.Cells())
			}
		}},
		{name: "delete", mode: "delete", id: "a1b2c3", check: func(t *testing.T, nb *Notebook, _ EditResult) {
			if cells := nb.Cells(); len(cells) != 1 || cells[0].ID != "d4e5f6" {
				t.Errorf("cells = %+v", cells)
			}
		}},
		{name: "unknown id", mode: "replace", id: "nope", wantErr: `no cell with id "nope"; the cells are: a1b2c3, d4e5f6`},
		{name: "insert without type", mode: "insert", id: "a1b2c3", wantErr: "cell_type (code or markdown) is required"},
		{name: "bad type", mode: "replace", id: "a1b2c3", cellType: "raw", wantErr: "cell_type must be code or markdown"},
		{name: "bad mode", mode: "append", id: "a1b2c3", wantErr: "edit_mode must be replace, insert or delete"},
		{name: "replace without id", mode: "replace", wantErr: "cell_id is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := readNotebook(t)
			nb, err := ParseNotebook(data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := nb.Edit(tt.mode, tt.id, tt.source, tt.cellType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out, err := nb.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			// Written back, it parses to the same notebook, and what was
			// not edited is unchanged: metadata, layout.
			again, err := ParseNotebook(out)
			if err != nil {
				t.Fatalf("written notebook does not parse: %v\n%s", err, out)
			}
			tt.check(t, again, res)
			if !bytes.Contains(out, []byte("\n \"metadata\": {\n  \"kernelspec\": {")) || !bytes.HasSuffix(out, []byte("}\n")) {
				t.Errorf("layout not kept:\n%s", out)
			}
		})
	}
}

func TestParseNotebookErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ data, want string }{
		{"{\n \"cells\": [\n  {,}\n ]\n}", "line 3, column"},
		{`{"nbformat":3,"worksheets":[]}`, "nbformat 3 is not supported"},
		{`{"nbformat":4,"metadata":{}}`, `no "cells" array`},
		{`{"nbformat":4,"cells":[{"source":"x"}]}`, "cell 0: no cell_type"},
		{`{"nbformat":4,"cells":[{"cell_type":"code","source":7}]}`, `cell 0: "source" is neither`},
		{`[1]`, "expected an object"},
	}
	for _, tt := range tests {
		if _, err := ParseNotebook([]byte(tt.data)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseNotebook(%s): err = %v, want %q", tt.data, err, tt.want)
		}
	}
}

// FuzzNotebook checks that no input makes the parser panic, and that a
// notebook it accepts is written back as valid JSON that reads as the
// same cells, edited or not.
func FuzzNotebook(f *testing.F) {
	f.Add(readNotebook(f))
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":["a\n","b"],"outputs":[{"output_type":"stream","text":"x"}]}],"nbformat":4,"nbformat_minor":4}`))
	f.Add([]byte(`{"cells":[],"nbformat":4}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ParseNotebook(data)
		if err != nil {
			return
		}
		cells := nb.Cells()
		for i := range cells {
			nb.Outputs(i)
		}
		out, err := nb.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("written notebook is not JSON: %s", out)
		}
		again, err := ParseNotebook(out)
		if err != nil {
			t.Fatalf("written notebook does not parse: %v", err)
		}
		if diff := cmp.Diff(cells, again.Cells()); diff != "" {
			t.Fatalf("cells changed by a round trip (-before +after):\n%s", diff)
		}
		if len(cells) > 0 {
			if _, err := nb.Edit("replace", cells[0].ID, "y", ""); err != nil {
				t.Fatalf("replace of an existing cell: %v", err)
			}
			if _, err := nb.Marshal(); err != nil {
				t.Fatalf("Marshal after edit: %v", err)
			}
		}
	})
}
