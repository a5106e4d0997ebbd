package tool

import (
	"strings"
	"testing"
)

func TestHeadTail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		writes []string
		limit  int
		want   string
	}{
		{"short", []string{"abc", "def"}, 10, "abcdef"},
		{"exactly the limit", []string{"0123456789"}, 10, "0123456789"},
		{"one big write", []string{"0123456789abcdef"}, 10, "01234\n\n[… 6 bytes of output omitted …]\n\nbcdef"},
		{"many small writes", strings.Split("0123456789abcdef", ""), 10, "01234\n\n[… 6 bytes of output omitted …]\n\nbcdef"},
		{"cut inside characters", []string{"ééééééééé"}, 8, "éé\n\n[… 10 bytes of output omitted …]\n\néé"},
	}
	for _, tt := range tests {
		h := newHeadTail(tt.limit)
		for _, w := range tt.writes {
			h.Write([]byte(w))
		}
		if got := h.String(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if tt.name != "cut inside characters" {
			if got := truncateMiddle(strings.Join(tt.writes, ""), tt.limit); got != tt.want {
				t.Errorf("%s: truncateMiddle = %q, want %q", tt.name, got, tt.want)
			}
		}
	}
}

func TestDiffLines(t *testing.T) {
	t.Parallel()
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"
	new := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	d := diffFile("x", old, new, false)
	if len(d.Hunks) != 2 {
		t.Fatalf("%d hunks, want 2: %+v", len(d.Hunks), d.Hunks)
	}
	h0, h1 := d.Hunks[0], d.Hunks[1]
	if h0.OldStart != 1 || h0.OldLines != 5 || h0.NewLines != 5 || strings.Join(h0.Lines, "|") != " a|-b|+B| c| d| e" {
		t.Errorf("first hunk = %+v", h0)
	}
	if h1.OldStart != 10 || h1.OldLines != 3 || h1.NewStart != 10 || h1.NewLines != 4 || h1.Lines[len(h1.Lines)-1] != "+m" {
		t.Errorf("second hunk = %+v", h1)
	}
	created := diffFile("x", "", "one\ntwo\n", true)
	if len(created.Hunks) != 1 || created.Hunks[0].OldStart != 0 || strings.Join(created.Hunks[0].Lines, "|") != "+one|+two" {
		t.Errorf("creation hunk = %+v", created.Hunks)
	}
}
