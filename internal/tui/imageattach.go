package tui

import (
	"context"
	"fmt"
	"os"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/lazyre"
	"github.com/basalt-dev/basalt/internal/media"
)

// maxAttachFile bounds an image file attached to a prompt.
const maxAttachFile = 64 << 20

// imageRunner is the part of the backend that sends a prompt with
// images (*harness.Session has it).
type imageRunner interface {
	RunImages(ctx context.Context, prompt string, images []media.Image, on func(agent.Event)) (*agent.Result, error)
}

// imageMsg is an image read for the prompt, or why it could not be;
// fallback is the pasted text to insert instead when it was no image.
type imageMsg struct {
	img      media.Image
	source   string
	err      error
	fallback string
}

// clipboardMsg is what ctrl+v found on the clipboard.
type clipboardMsg struct {
	content clipboardContent
	err     error
}

// imagePlaceholder is how an attached image shows in the input.
func imagePlaceholder(n int) string { return fmt.Sprintf("[Image #%d]", n) }

var placeholderRE = lazyre.New(`\[Image #([0-9]+)\]`)

// loadImageFile reads an image file for the prompt, off the update loop.
// A path that is no readable file is pasted as the text it was.
func loadImageFile(path, pasted string) tea.Cmd {
	return func() tea.Msg {
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() {
			return imageMsg{fallback: pasted}
		}
		if fi.Size() > maxAttachFile {
			return imageMsg{err: fmt.Errorf("%s is %d MB, too large to attach", path, fi.Size()>>20), fallback: pasted}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return imageMsg{err: err, fallback: pasted}
		}
		im, err := media.LoadImage(data)
		if err != nil {
			return imageMsg{err: fmt.Errorf("%s: %w", path, err), fallback: pasted}
		}
		return imageMsg{img: im, source: path}
	}
}

// pasteClipboard is ctrl+v: an image on the clipboard is attached; text
// is pasted; with neither, the key does nothing but say so.
func (m *Model) pasteClipboard() tea.Cmd {
	ctx, cancel := m.o.TurnContext()
	return func() tea.Msg {
		defer cancel()
		c, err := readClipboard(ctx)
		return clipboardMsg{content: c, err: err}
	}
}

func (m *Model) clipboardRead(msg clipboardMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.hint = "ctrl+v: " + msg.err.Error()
		return nil
	case len(msg.content.image) > 0:
		im, err := media.LoadImage(msg.content.image)
		return m.imageRead(imageMsg{img: im, source: "clipboard", err: err})
	case msg.content.text != "":
		return m.paste(msg.content.text)
	}
	m.hint = "ctrl+v: the clipboard holds no image or text"
	return nil
}

// imageRead attaches a loaded image, shown as [Image #N] in the input.
func (m *Model) imageRead(msg imageMsg) tea.Cmd {
	if msg.err != nil {
		m.notice(noticeError, "cannot attach the image: %v", msg.err)
	}
	if msg.err != nil || msg.img.Data == nil {
		if msg.fallback != "" {
			m.insertPaste(msg.fallback)
		}
		return nil
	}
	m.images = append(m.images, msg.img)
	m.input.InsertString(imagePlaceholder(len(m.images)))
	m.hint = fmt.Sprintf("attached %s (%dx%d)", msg.source, msg.img.Width, msg.img.Height)
	return nil
}

// takeImages returns the attached images whose placeholders are still in
// text (the user may have deleted one), in the order they appear, and
// forgets them all.
func (m *Model) takeImages(text string) []media.Image {
	var out []media.Image
	seen := map[int]bool{}
	for _, sm := range placeholderRE().FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(sm[1])
		if n >= 1 && n <= len(m.images) && !seen[n] {
			seen[n] = true
			out = append(out, m.images[n-1])
		}
	}
	m.images = nil
	return out
}

// startImageTurn runs a prompt with images.
func (m *Model) startImageTurn(text string, images []media.Image) tea.Cmd {
	m.push(&userEntry{text: text})
	return m.begin(func(ctx context.Context, on func(agent.Event)) error {
		r, ok := m.b.(imageRunner)
		if !ok {
			return fmt.Errorf("this session cannot send images")
		}
		_, err := r.RunImages(ctx, text, images, on)
		return err
	})
}
