package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// Media limits of the Messages API as Anthropic documents them: an image
// over 8000 px on a side is refused (2000 px when a request has more than
// 20 images), and an image's base64 data may not exceed 5 MB. Bedrock
// adds none of its own for images; it allows images and documents only
// in user turns.
const (
	maxImageSide     = 8000
	maxImageSideMany = 2000
	manyImages       = 20
	maxImageBase64   = 5 << 20
	maxDocumentPages = 100
)

// mediaSummary is what a request carried, for the ledger.
type mediaSummary struct {
	images    []string // "image/png 64x48", in request order
	documents int
}

// mediaBlock is the part of an image or document block checked here.
type mediaBlock struct {
	Type    string          `json:"type"`
	Source  json.RawMessage `json:"source"`
	Content json.RawMessage `json:"content"` // of a tool_result
}

type mediaSource struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}

// checkMedia validates every image and document block of the messages,
// tool results included, the way the service does: the media type must
// be one it takes and must match the bytes, the base64 must decode, and
// the limits hold. Errors name the block as messages.I.content.J.
func checkMedia(msgs []message) (mediaSummary, *apiError) {
	var sum mediaSummary
	type dims struct {
		where string
		w, h  int
	}
	var seen []dims
	for i, m := range msgs {
		var blocks []mediaBlock
		if json.Unmarshal(m.Content, &blocks) != nil {
			continue // a string, or blocks parseInvoke already vetted
		}
		for j, b := range blocks {
			where := fmt.Sprintf("messages.%d.content.%d", i, j)
			inner := []struct {
				where string
				b     mediaBlock
			}{{where, b}}
			if b.Type == "tool_result" {
				var sub []mediaBlock
				if json.Unmarshal(b.Content, &sub) == nil {
					for k, s := range sub {
						inner = append(inner, struct {
							where string
							b     mediaBlock
						}{fmt.Sprintf("%s.content.%d", where, k), s})
					}
				}
			}
			for _, x := range inner {
				switch x.b.Type {
				case "image":
					if m.Role != "user" {
						return sum, errValidation("%s: images are only allowed in user messages", x.where)
					}
					mt, w, h, aerr := checkImage(x.where, x.b.Source)
					if aerr != nil {
						return sum, aerr
					}
					sum.images = append(sum.images, fmt.Sprintf("%s %dx%d", mt, w, h))
					seen = append(seen, dims{x.where, w, h})
				case "document":
					if m.Role != "user" {
						return sum, errValidation("%s: documents are only allowed in user messages", x.where)
					}
					if aerr := checkDocument(x.where, x.b.Source); aerr != nil {
						return sum, aerr
					}
					sum.documents++
				}
			}
		}
	}
	if len(seen) > manyImages {
		for _, d := range seen {
			if d.w > maxImageSideMany || d.h > maxImageSideMany {
				return sum, errValidation("%s.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: %d pixels", d.where, maxImageSideMany)
			}
		}
	}
	return sum, nil
}

func checkImage(where string, raw json.RawMessage) (string, int, int, *apiError) {
	var src mediaSource
	if err := json.Unmarshal(raw, &src); err != nil {
		return "", 0, 0, errValidation("%s.image.source: Input should be an object", where)
	}
	if src.Type != "base64" {
		// Bedrock takes base64 sources only (Anthropic's vision guide).
		return "", 0, 0, errValidation("%s.image.source.type: Input tag '%s' found using 'type' does not match the expected tag: 'base64'", where, src.Type)
	}
	where += ".image.source.base64"
	switch src.MediaType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
	default:
		return "", 0, 0, errValidation("%s.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'", where)
	}
	if len(src.Data) > maxImageBase64 {
		return "", 0, 0, errValidation("%s.data: image exceeds 5 MB maximum: %d bytes > %d bytes", where, len(src.Data), maxImageBase64)
	}
	data, err := base64.StdEncoding.DecodeString(src.Data)
	if err != nil {
		return "", 0, 0, errValidation("%s.data: The image data is not valid base64", where)
	}
	cfg, actual, err := imageConfig(data)
	if err != nil {
		return "", 0, 0, errValidation("%s.data: Could not process image", where)
	}
	if actual != src.MediaType {
		return "", 0, 0, errValidation("%s: Image does not match the provided media type %s", where, src.MediaType)
	}
	if cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return "", 0, 0, errValidation("%s.data: At least one of the image dimensions exceed max allowed size: %d pixels", where, maxImageSide)
	}
	return actual, cfg.Width, cfg.Height, nil
}

// imageConfig reads an image's size and its real type from its bytes.
func imageConfig(data []byte) (image.Config, string, error) {
	r := bytes.NewReader(data)
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		c, err := png.DecodeConfig(r)
		return c, "image/png", err
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		c, err := jpeg.DecodeConfig(r)
		return c, "image/jpeg", err
	case bytes.HasPrefix(data, []byte("GIF8")):
		c, err := gif.DecodeConfig(r)
		return c, "image/gif", err
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		c, err := webp.DecodeConfig(r)
		return c, "image/webp", err
	}
	return image.Config{}, "", fmt.Errorf("unknown image format")
}

func checkDocument(where string, raw json.RawMessage) *apiError {
	var src mediaSource
	if err := json.Unmarshal(raw, &src); err != nil {
		return errValidation("%s.document.source: Input should be an object", where)
	}
	switch src.Type {
	case "text", "content":
		return nil
	case "base64":
	default:
		return errValidation("%s.document.source.type: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'text', 'content'", where, src.Type)
	}
	where += ".document.source.base64"
	if src.MediaType != "application/pdf" {
		return errValidation("%s.media_type: Input should be 'application/pdf'", where)
	}
	data, err := base64.StdEncoding.DecodeString(src.Data)
	if err != nil {
		return errValidation("%s.data: The PDF data is not valid base64", where)
	}
	if !bytes.HasPrefix(bytes.TrimLeft(data, "\x00\t\n\r "), []byte("%PDF-")) {
		return errValidation("%s: The PDF specified was not valid.", where)
	}
	if n := countPages(data); n > maxDocumentPages {
		return errValidation("%s: A maximum of %d PDF pages may be provided.", where, maxDocumentPages)
	}
	return nil
}

// countPages counts page objects (/Type /Page, not /Pages) in a PDF's
// bytes: enough for the page limit of uncompressed object streams, which
// is what test files use; a compressed one counts low, never high.
func countPages(data []byte) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/Type"))
		if j < 0 {
			return n
		}
		k := i + j + len("/Type")
		for k < len(data) && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t') {
			k++
		}
		if bytes.HasPrefix(data[k:], []byte("/Page")) && (k+5 == len(data) || !isNameChar(data[k+5])) {
			n++
		}
		i = k
	}
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
