package webfetch

import (
	"context"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
)

// toText turns a body into what the model reads: Markdown for HTML, the
// text itself for other text types. ok is false for a body that is not
// text (an image, an archive), which the caller refuses by its type.
func toText(ctx context.Context, body []byte, contentType, pageURL string) (text, mediaType string, ok bool, err error) {
	mediaType, _, perr := mime.ParseMediaType(contentType)
	if perr != nil || mediaType == "" {
		mediaType, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	switch {
	case mediaType == "text/html" || mediaType == "application/xhtml+xml":
		md, err := htmltomarkdown.ConvertString(s, converter.WithContext(ctx), converter.WithDomain(pageURL))
		if err != nil {
			return "", mediaType, true, err
		}
		return md, mediaType, true, nil
	case isText(mediaType):
		return s, mediaType, true, nil
	}
	// A server that says nothing useful about a body that is text.
	if mediaType == "application/octet-stream" && utf8.Valid(body) && !strings.ContainsRune(s, 0) {
		return s, mediaType, true, nil
	}
	return "", mediaType, false, nil
}

func isText(mediaType string) bool {
	if strings.HasPrefix(mediaType, "text/") {
		return true
	}
	for _, suffix := range []string{"+json", "+xml", "/json", "/xml", "/javascript", "/ecmascript", "/x-yaml", "/yaml", "/toml", "/x-sh"} {
		if strings.HasSuffix(mediaType, suffix) {
			return true
		}
	}
	return false
}
