package tui

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// clipboard reads the system clipboard through the platform's own
// tools, looked up only when the user presses ctrl+v (never at
// start-up): wl-paste on Wayland, xclip on X11, pngpaste or osascript
// on macOS, PowerShell on Windows. An image comes back as PNG bytes;
// otherwise the clipboard's text, if any tool gives one.
type clipboardContent struct {
	image []byte
	text  string
}

// errNoClipboard means no tool could read the clipboard.
var errNoClipboard = errors.New("no clipboard tool found (install wl-clipboard or xclip)")

// clipboardTool is one way to read the clipboard: a program and its
// arguments for an image, and for text.
type clipboardTool struct {
	name       string
	imageArgs  []string
	textArgs   []string
	imageCheck []string // lists the offered types; the image is read only when they include image/png
	decode     func([]byte) []byte
}

// appleScriptData turns osascript's «data PNGf89504E…» into the bytes.
func appleScriptData(out []byte) []byte {
	s := strings.TrimSpace(string(out))
	s, ok := strings.CutPrefix(s, "«data PNGf")
	if !ok {
		return nil
	}
	b, err := hex.DecodeString(strings.TrimSuffix(s, "»"))
	if err != nil {
		return nil
	}
	return b
}

// clipboardTools are the ways to try on this platform, in order. getenv
// says which display server runs.
func clipboardTools(goos string, getenv func(string) string) []clipboardTool {
	switch goos {
	case "darwin":
		return []clipboardTool{
			{name: "pngpaste", imageArgs: []string{"-"}},
			{name: "osascript", imageArgs: []string{"-e", "the clipboard as «class PNGf»"}, decode: appleScriptData},
			{name: "pbpaste", textArgs: []string{}},
		}
	case "windows":
		return []clipboardTool{{name: "powershell", textArgs: []string{"-NoProfile", "-Command", "Get-Clipboard"}}}
	}
	var tools []clipboardTool
	if getenv("WAYLAND_DISPLAY") != "" {
		tools = append(tools, clipboardTool{name: "wl-paste", imageCheck: []string{"--list-types"}, imageArgs: []string{"--no-newline", "--type", "image/png"}, textArgs: []string{"--no-newline"}})
	}
	if getenv("DISPLAY") != "" {
		tools = append(tools, clipboardTool{name: "xclip", imageCheck: []string{"-selection", "clipboard", "-t", "TARGETS", "-o"}, imageArgs: []string{"-selection", "clipboard", "-t", "image/png", "-o"}, textArgs: []string{"-selection", "clipboard", "-o"}})
	}
	return tools
}

// readClipboard tries the tools in order; it takes at most a few
// seconds, so a hung tool does not hang the key.
func readClipboard(ctx context.Context) (clipboardContent, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	found := false
	for _, t := range clipboardTools(runtime.GOOS, os.Getenv) {
		path, err := exec.LookPath(t.name)
		if err != nil {
			continue
		}
		found = true
		if t.imageArgs != nil {
			offers := true
			if t.imageCheck != nil {
				out, err := exec.CommandContext(ctx, path, t.imageCheck...).Output()
				offers = err == nil && bytes.Contains(out, []byte("image/png"))
			}
			if offers {
				out, err := exec.CommandContext(ctx, path, t.imageArgs...).Output()
				if err == nil && t.decode != nil {
					out = t.decode(out)
				}
				if err == nil && len(out) > 0 {
					return clipboardContent{image: out}, nil
				}
			}
		}
		if t.textArgs != nil {
			if out, err := exec.CommandContext(ctx, path, t.textArgs...).Output(); err == nil {
				return clipboardContent{text: strings.TrimSuffix(string(out), "\r\n")}, nil
			}
		}
	}
	if !found {
		return clipboardContent{}, errNoClipboard
	}
	return clipboardContent{}, nil
}
