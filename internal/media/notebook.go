package media

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Notebook is a Jupyter notebook (nbformat 4) read so that it can be
// shown cell by cell and edited cell by cell while everything basalt does
// not touch (metadata, key order, indentation, the final newline, other
// cells byte for byte) stays as the file had it.
type Notebook struct {
	orig     []byte
	cellSpan [2]int // of the cells array in orig
	dirty    bool   // the cells changed
	top      *object
	cells    []*object
	indent   string // "" for a one-line file
	newline  bool   // the file ended with a newline
	minor    int    // nbformat_minor
	language string // metadata.language_info.name or the kernel's language
}

// Cell is one cell as the model sees it.
type Cell struct {
	// ID is the cell's id, or "cell-N" (N counting from 0) for notebooks
	// older than nbformat 4.5, whose cells have none.
	ID     string
	Type   string // code, markdown or raw
	Source string
}

// ParseNotebook reads an .ipynb file. An error names the line and column
// of bad JSON, or what in the structure is wrong.
func ParseNotebook(data []byte) (*Notebook, error) {
	top, span, err := parseObjectAt(data, "cells")
	if err != nil {
		return nil, jsonError(data, err)
	}
	nb := &Notebook{orig: data, cellSpan: span, top: top, indent: detectIndent(data), newline: bytes.HasSuffix(data, []byte("\n"))}
	var major int
	if err := top.get("nbformat", &major); err != nil {
		return nil, err
	}
	if major != 0 && major != 4 {
		return nil, fmt.Errorf("nbformat %d is not supported (only 4)", major)
	}
	if err := top.get("nbformat_minor", &nb.minor); err != nil {
		return nil, err
	}
	var cells []json.RawMessage
	if !top.has("cells") {
		return nil, errors.New(`no "cells" array: not an nbformat 4 notebook`)
	}
	if err := top.get("cells", &cells); err != nil {
		return nil, err
	}
	for i, raw := range cells {
		c, err := parseObject(raw)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		var typ string
		if err := c.get("cell_type", &typ); err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		if typ == "" {
			return nil, fmt.Errorf("cell %d: no cell_type", i)
		}
		if _, err := sourceOf(c); err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		nb.cells = append(nb.cells, c)
	}
	var meta struct {
		LanguageInfo struct {
			Name string `json:"name"`
		} `json:"language_info"`
		Kernelspec struct {
			Language string `json:"language"`
		} `json:"kernelspec"`
	}
	_ = top.get("metadata", &meta) // metadata is informative only
	nb.language = meta.LanguageInfo.Name
	if nb.language == "" {
		nb.language = meta.Kernelspec.Language
	}
	return nb, nil
}

// jsonError words a JSON syntax error with its line and column.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, c := range data[:min(int(se.Offset), len(data))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Errorf("line %d, column %d: %s", line, col, se.Error())
	}
	return err
}

// detectIndent finds the indentation unit of a pretty-printed file: the
// blanks before the first key of the top-level object. Jupyter writes one
// space.
func detectIndent(data []byte) string {
	i := bytes.IndexByte(data, '\n')
	if i < 0 || i+1 >= len(data) {
		return ""
	}
	rest := data[i+1:]
	n := 0
	for n < len(rest) && (rest[n] == ' ' || rest[n] == '\t') {
		n++
	}
	return string(rest[:n])
}

// sourceOf reads a cell's source, which nbformat allows as a string or a
// list of lines.
func sourceOf(c *object) (string, error) {
	raw, ok := c.vals["source"]
	if !ok {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return "", errors.New(`"source" is neither a string nor a list of strings`)
	}
	return strings.Join(lines, ""), nil
}

// Language is the notebook's programming language, "" when unknown.
func (nb *Notebook) Language() string { return nb.language }

// Cells returns the cells in order.
func (nb *Notebook) Cells() []Cell {
	out := make([]Cell, len(nb.cells))
	for i, c := range nb.cells {
		out[i] = nb.cell(i, c)
	}
	return out
}

func (nb *Notebook) cell(i int, c *object) Cell {
	var id, typ string
	_ = c.get("id", &id)
	_ = c.get("cell_type", &typ)
	if id == "" {
		id = fmt.Sprintf("cell-%d", i)
	}
	src, _ := sourceOf(c)
	return Cell{ID: id, Type: typ, Source: src}
}

// Outputs returns the outputs of cell i (a code cell's; none for others).
func (nb *Notebook) Outputs(i int) []Output {
	var raw []json.RawMessage
	if err := nb.cells[i].get("outputs", &raw); err != nil {
		return []Output{{Text: "[outputs unreadable: " + err.Error() + "]"}}
	}
	var out []Output
	for _, r := range raw {
		out = append(out, parseOutput(r)...)
	}
	return out
}

// find returns the index of the cell called id.
func (nb *Notebook) find(id string) (int, error) {
	for i, c := range nb.cells {
		if nb.cell(i, c).ID == id {
			return i, nil
		}
	}
	var ids []string
	for _, c := range nb.Cells() {
		ids = append(ids, c.ID)
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "…")
	}
	return 0, fmt.Errorf("no cell with id %q; the cells are: %s", id, strings.Join(ids, ", "))
}

// Edit kinds of [Notebook.Edit].
const (
	EditReplace = "replace"
	EditInsert  = "insert"
	EditDelete  = "delete"
)

// EditResult says what an edit did.
type EditResult struct {
	CellID string // the cell edited, inserted or deleted
}

// Edit changes one cell: replace its source (and type, when cellType is
// set), insert a new cell after the one called id (at the top when id is
// empty), or delete it. A replaced or inserted code cell has no outputs
// and no execution count: they belonged to the old source.
func (nb *Notebook) Edit(mode, id, source, cellType string) (EditResult, error) {
	if cellType != "" && cellType != "code" && cellType != "markdown" {
		return EditResult{}, fmt.Errorf("cell_type must be code or markdown, not %q", cellType)
	}
	switch mode {
	case "", EditReplace:
		if id == "" {
			return EditResult{}, errors.New("cell_id is required to replace a cell")
		}
		i, err := nb.find(id)
		if err != nil {
			return EditResult{}, err
		}
		c := nb.cells[i]
		if cellType != "" {
			c.set("cell_type", cellType)
		}
		nb.setSource(c, source)
		nb.shape(c)
		nb.dirty = true
		return EditResult{CellID: id}, nil
	case EditInsert:
		if cellType == "" {
			return EditResult{}, errors.New("cell_type (code or markdown) is required to insert a cell")
		}
		at := 0
		if id != "" {
			i, err := nb.find(id)
			if err != nil {
				return EditResult{}, err
			}
			at = i + 1
		}
		c := &object{vals: map[string]json.RawMessage{}}
		c.set("cell_type", cellType)
		newID := ""
		if nb.hasIDs() {
			newID = randomID()
			c.set("id", newID)
		}
		c.set("metadata", map[string]any{})
		nb.setSource(c, source)
		nb.shape(c)
		nb.cells = append(nb.cells[:at], append([]*object{c}, nb.cells[at:]...)...)
		nb.dirty = true
		if newID == "" {
			newID = fmt.Sprintf("cell-%d", at)
		}
		return EditResult{CellID: newID}, nil
	case EditDelete:
		if id == "" {
			return EditResult{}, errors.New("cell_id is required to delete a cell")
		}
		i, err := nb.find(id)
		if err != nil {
			return EditResult{}, err
		}
		nb.cells = append(nb.cells[:i], nb.cells[i+1:]...)
		nb.dirty = true
		return EditResult{CellID: id}, nil
	}
	return EditResult{}, fmt.Errorf("edit_mode must be replace, insert or delete, not %q", mode)
}

// hasIDs reports whether cells carry ids: nbformat 4.5 and later, or a
// notebook whose cells already have them.
func (nb *Notebook) hasIDs() bool {
	if nb.minor >= 5 {
		return true
	}
	for _, c := range nb.cells {
		if c.has("id") {
			return true
		}
	}
	return false
}

// setSource writes source in the form the notebook already uses: a list
// of lines (Jupyter's own) unless its cells hold plain strings.
func (nb *Notebook) setSource(c *object, source string) {
	if nb.stringSources() {
		c.set("source", source)
		return
	}
	lines := strings.SplitAfter(source, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if lines == nil {
		lines = []string{}
	}
	c.set("source", lines)
}

func (nb *Notebook) stringSources() bool {
	for _, c := range nb.cells {
		if raw, ok := c.vals["source"]; ok {
			return len(raw) > 0 && raw[0] == '"'
		}
	}
	return false
}

// shape gives a cell the fields its type requires and drops those it
// must not have.
func (nb *Notebook) shape(c *object) {
	var typ string
	_ = c.get("cell_type", &typ)
	if typ == "code" {
		c.set("execution_count", nil)
		c.set("outputs", []any{})
		return
	}
	c.del("execution_count")
	c.del("outputs")
}

func randomID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Marshal writes the notebook back in the file's own layout: the bytes
// outside the cells array, and every cell not edited, exactly as they
// were; edited and new cells indented like their neighbours.
func (nb *Notebook) Marshal() ([]byte, error) {
	if !nb.dirty {
		return bytes.Clone(nb.orig), nil
	}
	lineIndent := lineIndentAt(nb.orig, nb.cellSpan[0])
	cellIndent := lineIndent + nb.indent
	var arr bytes.Buffer
	arr.WriteByte('[')
	for i, c := range nb.cells {
		if i > 0 {
			arr.WriteByte(',')
		}
		if nb.indent != "" {
			arr.WriteString("\n" + cellIndent)
		}
		if !c.edited && c.raw != nil {
			arr.Write(c.raw)
			continue
		}
		var flat bytes.Buffer
		c.compact(&flat)
		if nb.indent == "" {
			if err := json.Compact(&arr, flat.Bytes()); err != nil {
				return nil, fmt.Errorf("write notebook: %w", err)
			}
			continue
		}
		if err := json.Indent(&arr, flat.Bytes(), cellIndent, nb.indent); err != nil {
			return nil, fmt.Errorf("write notebook: %w", err)
		}
	}
	if nb.indent != "" && len(nb.cells) > 0 {
		arr.WriteString("\n" + lineIndent)
	}
	arr.WriteByte(']')
	out := make([]byte, 0, len(nb.orig)+arr.Len())
	out = append(out, nb.orig[:nb.cellSpan[0]]...)
	out = append(out, arr.Bytes()...)
	out = append(out, nb.orig[nb.cellSpan[1]:]...)
	return out, nil
}

// lineIndentAt is the blanks that start the line holding offset i.
func lineIndentAt(data []byte, i int) string {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	end := start
	for end < len(data) && (data[end] == ' ' || data[end] == '\t') {
		end++
	}
	return string(data[start:end])
}
