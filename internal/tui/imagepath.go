package tui

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/media"
)

// pastedImagePath reads pasted text as the path of an image file, the
// way terminals paste a file dragged onto them: the path alone on one
// line, maybe in single or double quotes, maybe with blanks and other
// shell characters escaped by backslashes ("/tmp/my\ shot.png"), maybe
// as a file:// URL. home replaces a leading "~/"; a relative path is
// taken from dir. ok is false when the text is anything else, or names a
// file whose extension is not an image's; whether the file exists is for
// the caller to find out (that is I/O).
func pastedImagePath(text, dir, home string) (path string, ok bool) {
	s := strings.TrimSpace(text)
	if s == "" || strings.ContainsAny(s, "\n\r\x00") || len(s) > 4096 {
		return "", false
	}
	switch {
	case len(s) >= 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"'):
		q := s[0]
		s = s[1 : len(s)-1]
		if strings.IndexByte(s, q) >= 0 {
			return "", false // a quote inside: not one quoted path
		}
	case strings.HasPrefix(s, "file://"):
		u, err := url.Parse(s)
		if err != nil || (u.Host != "" && u.Host != "localhost") {
			return "", false
		}
		s = u.Path
	default:
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
				continue
			}
			if c == ' ' || c == '\t' {
				return "", false // an unescaped blank: words, not a path
			}
			b.WriteByte(c)
		}
		s = b.String()
	}
	if s == "" {
		return "", false
	}
	if media.ImageType(strings.ToLower(filepath.Ext(s))) == "" {
		return "", false
	}
	if rest, ok := strings.CutPrefix(s, "~/"); ok && home != "" {
		s = filepath.Join(home, rest)
	}
	if !filepath.IsAbs(s) {
		if dir == "" {
			return "", false
		}
		s = filepath.Join(dir, s)
	}
	return filepath.Clean(s), true
}
