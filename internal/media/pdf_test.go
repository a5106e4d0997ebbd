package media

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestPDFText(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/two-pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := OpenPDF(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Pages(); n != 2 {
		t.Fatalf("Pages() = %d, want 2", n)
	}
	for n, want := range map[int]string{1: "Hello page one", 2: "Second page text"} {
		text, err := doc.PageText(n)
		if err != nil || !strings.Contains(text, want) {
			t.Errorf("PageText(%d) = %q, %v; want it to contain %q", n, text, err, want)
		}
	}
	if _, err := doc.PageText(3); err == nil {
		t.Error("PageText(3) of a 2-page PDF: no error")
	}
}

func TestOpenPDFErrors(t *testing.T) {
	t.Parallel()
	for _, data := range [][]byte{[]byte("hello"), []byte("%PDF-1.4\ngarbage"), {}} {
		if _, err := OpenPDF(data); err == nil {
			t.Errorf("OpenPDF(%q): no error", data)
		}
	}
}

func TestParsePages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec    string
		total   int
		want    []int
		wantErr string
	}{
		{"3", 10, []int{3}, ""},
		{"1-5", 10, []int{1, 2, 3, 4, 5}, ""},
		{" 2 - 3 ", 10, []int{2, 3}, ""},
		{"1-3,7,2", 10, []int{1, 2, 3, 7}, ""},
		{"8-", 10, []int{8, 9, 10}, ""},
		{"9-12", 10, []int{9, 10}, ""},
		{"0", 10, nil, "not a page number"},
		{"x", 10, nil, "not a page number"},
		{"5-3", 10, nil, "not a range"},
		{"11", 10, nil, "has 10 pages"},
		{"1-30", 40, nil, "at most 20 pages"},
		{",", 10, nil, "names no page"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePages(tt.spec, tt.total)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ParsePages(%q) = %v, %v; want %v", tt.spec, got, err, tt.want)
			}
		})
	}
}
