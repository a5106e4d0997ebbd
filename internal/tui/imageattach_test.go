package tui

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/media"
)

func TestPastedImagePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       string // "" for not an image path
	}{
		{"absolute", "/tmp/shot.png", "/tmp/shot.png"},
		{"dragged, with a trailing blank", "/tmp/shot.png ", "/tmp/shot.png"},
		{"escaped blanks", `/Users/me/Screen\ Shot\ 2026-05-01\ at\ 10.00.00.png`, "/Users/me/Screen Shot 2026-05-01 at 10.00.00.png"},
		{"single quotes", "'/tmp/my shot.jpeg'", "/tmp/my shot.jpeg"},
		{"double quotes", `"/tmp/my shot.WEBP"`, "/tmp/my shot.WEBP"},
		{"file URL", "file:///tmp/a%20b.gif", "/tmp/a b.gif"},
		{"relative", "img/x.png", "/work/img/x.png"},
		{"home", "~/Desktop/x.jpg", "/home/me/Desktop/x.jpg"},
		{"escaped parens", `/tmp/shot\ \(1\).png`, "/tmp/shot (1).png"},
		{"not an image", "/tmp/notes.txt", ""},
		{"words", "look at /tmp/shot.png", ""},
		{"two lines", "/tmp/a.png\n/tmp/b.png", ""},
		{"quote inside", `'/tmp/it's.png'`, ""},
		{"remote file URL", "file://host/tmp/a.png", ""},
		{"empty quotes", "''", ""},
		{"plain text", "hello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := pastedImagePath(tt.text, "/work", "/home/me")
			if !ok {
				got = ""
			}
			if got != tt.want {
				t.Errorf("pastedImagePath(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
		})
	}
}

// FuzzPastedImagePath: no text makes it panic, and what it accepts is
// an absolute, clean path to a file with an image extension.
func FuzzPastedImagePath(f *testing.F) {
	for _, s := range []string{"/tmp/a.png", `a\ b.jpg`, "'x.gif'", "file:///a.webp", "~/x.png", "\"\"", "\\", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := pastedImagePath(text, "/work", "/home/me")
		if !ok {
			return
		}
		if !filepath.IsAbs(p) || filepath.Clean(p) != p {
			t.Fatalf("%q → %q: not an absolute clean path", text, p)
		}
		if media.ImageType(strings.ToLower(filepath.Ext(p))) == "" {
			t.Fatalf("%q → %q: not an image extension", text, p)
		}
	})
}

// imageBackend records the prompts sent with images.
type imageBackend struct {
	*fakeBackend
	sent   []string
	images [][]media.Image
}

func (b *imageBackend) RunImages(ctx context.Context, prompt string, images []media.Image, on func(agent.Event)) (*agent.Result, error) {
	b.sent = append(b.sent, prompt)
	b.images = append(b.images, images)
	return &agent.Result{}, nil
}

func newImageModel(t *testing.T) (*Model, *imageBackend) {
	t.Helper()
	fb := &fakeBackend{info: testInfo()}
	fb.info.WorkDir = t.TempDir()
	b := &imageBackend{fakeBackend: fb}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Backend: b, Info: fb.info, NoColor: true, Now: func() time.Time { return clock },
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return m, b
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPasteImagePathAttaches(t *testing.T) {
	m, b := newImageModel(t)
	dir := b.info.WorkDir
	writePNG(t, filepath.Join(dir, "my shot.png"), 40, 30)
	writePNG(t, filepath.Join(dir, "b.png"), 3000, 100)

	typeText(m, "compare ")
	_, cmd := m.Update(tea.PasteMsg{Content: `'` + filepath.Join(dir, "my shot.png") + `'`})
	run(m, cmd)
	typeText(m, " and ")
	_, cmd = m.Update(tea.PasteMsg{Content: "b.png"}) // relative to the session's directory
	run(m, cmd)
	if got := m.input.Value(); got != "compare [Image #1] and [Image #2]" {
		t.Fatalf("input = %q", got)
	}
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "[Image #1]") {
		t.Errorf("the placeholder is not shown:\n%s", frame)
	}
	run(m, press(m, tea.KeyEnter, 0))
	if len(b.sent) != 1 || b.sent[0] != "compare [Image #1] and [Image #2]" {
		t.Fatalf("sent %q, want the prompt with its placeholders", b.sent)
	}
	imgs := b.images[0]
	if len(imgs) != 2 || imgs[0].Width != 40 || imgs[1].Width != media.MaxLongEdge {
		t.Fatalf("images = %+v, want the 40 px one and the other scaled to %d", imgs, media.MaxLongEdge)
	}
	if len(b.prompts) != 0 {
		t.Errorf("Run was called too: %q", b.prompts)
	}
	if len(m.images) != 0 {
		t.Errorf("images kept after sending: %d", len(m.images))
	}
}

func TestPasteNonImage(t *testing.T) {
	m, b := newImageModel(t)
	// A path to an image file that does not exist is pasted as text.
	_, cmd := m.Update(tea.PasteMsg{Content: "/nowhere/x.png"})
	run(m, cmd)
	if got := m.input.Value(); got != "/nowhere/x.png" {
		t.Fatalf("input = %q", got)
	}
	// So is a file that is not really an image, with a notice.
	bad := filepath.Join(b.info.WorkDir, "bad.png")
	os.WriteFile(bad, []byte("not a png"), 0o644)
	m.input.Reset()
	_, cmd = m.Update(tea.PasteMsg{Content: bad})
	run(m, cmd)
	if got := m.input.Value(); got != bad {
		t.Fatalf("input = %q", got)
	}
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "cannot attach the image") {
		t.Errorf("no notice:\n%s", frame)
	}
	// Without an image, Enter runs the plain prompt.
	m.input.SetValue("hello")
	run(m, press(m, tea.KeyEnter, 0))
	if len(b.sent) != 0 || len(b.prompts) != 1 {
		t.Errorf("RunImages %q, Run %q", b.sent, b.prompts)
	}
}

func TestDeletedPlaceholderDropsImage(t *testing.T) {
	m, b := newImageModel(t)
	writePNG(t, filepath.Join(b.info.WorkDir, "a.png"), 10, 10)
	_, cmd := m.Update(tea.PasteMsg{Content: filepath.Join(b.info.WorkDir, "a.png")})
	run(m, cmd)
	m.input.SetValue("never mind")
	run(m, press(m, tea.KeyEnter, 0))
	if len(b.sent) != 0 || len(b.prompts) != 1 || b.prompts[0] != "never mind" {
		t.Errorf("RunImages %q, Run %q", b.sent, b.prompts)
	}
}

func TestClipboardImage(t *testing.T) {
	m, b := newImageModel(t)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20, 10)))
	m.Update(clipboardMsg{content: clipboardContent{image: buf.Bytes()}})
	if got := m.input.Value(); got != "[Image #1]" {
		t.Fatalf("input = %q", got)
	}
	// Text on the clipboard is pasted as text.
	m.Update(clipboardMsg{content: clipboardContent{text: " hello"}})
	if got := m.input.Value(); got != "[Image #1] hello" {
		t.Fatalf("input = %q", got)
	}
	// Nothing usable: a hint, nothing inserted.
	m.Update(clipboardMsg{err: errNoClipboard})
	if !strings.Contains(m.hint, "no clipboard tool") {
		t.Errorf("hint = %q", m.hint)
	}
	run(m, press(m, tea.KeyEnter, 0))
	if len(b.images) != 1 || len(b.images[0]) != 1 || b.images[0][0].Width != 20 {
		t.Errorf("images sent = %+v", b.images)
	}
}

func TestClipboardTools(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	names := func(ts []clipboardTool) (out []string) {
		for _, t := range ts {
			out = append(out, t.name)
		}
		return out
	}
	tests := []struct {
		goos string
		vars map[string]string
		want string
	}{
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wl-paste xclip"},
		{"linux", map[string]string{"DISPLAY": ":0"}, "xclip"},
		{"linux", nil, ""},
		{"darwin", nil, "pngpaste osascript pbpaste"},
	}
	for _, tt := range tests {
		if got := strings.Join(names(clipboardTools(tt.goos, env(tt.vars))), " "); got != tt.want {
			t.Errorf("%s %v: tools %q, want %q", tt.goos, tt.vars, got, tt.want)
		}
	}
	png := []byte{0x89, 'P', 'N', 'G'}
	if got := appleScriptData([]byte("«data PNGf89504E47»\n")); !bytes.Equal(got, png) {
		t.Errorf("appleScriptData = %x", got)
	}
}
