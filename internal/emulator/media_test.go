package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func encodedImage(t *testing.T, w, h int, kind string) string {
	t.Helper()
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, w, h))
	var err error
	if kind == "jpeg" {
		err = jpeg.Encode(&b, img, nil)
	} else {
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func TestCheckMedia(t *testing.T) {
	t.Parallel()
	png64 := encodedImage(t, 64, 48, "png")
	jpg64 := encodedImage(t, 30, 20, "jpeg")
	wide := encodedImage(t, 8001, 1, "png")
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF"))
	img := func(mt, data string) string {
		return `{"type":"image","source":{"type":"base64","media_type":"` + mt + `","data":"` + data + `"}}`
	}
	doc := func(mt, data string) string {
		return `{"type":"document","source":{"type":"base64","media_type":"` + mt + `","data":"` + data + `"}}`
	}
	user := func(blocks ...string) string { return `{"role":"user","content":[` + strings.Join(blocks, ",") + `]}` }
	tests := []struct {
		name    string
		msgs    []string
		images  []string
		docs    int
		wantErr string
	}{
		{name: "png and jpeg", msgs: []string{user(img("image/png", png64), img("image/jpeg", jpg64))}, images: []string{"image/png 64x48", "image/jpeg 30x20"}},
		{name: "image in a tool result", msgs: []string{user(`{"type":"tool_result","tool_use_id":"t","content":[` + img("image/png", png64) + `]}`)}, images: []string{"image/png 64x48"}},
		{name: "a pdf", msgs: []string{user(doc("application/pdf", pdf))}, docs: 1},
		{name: "text document", msgs: []string{user(`{"type":"document","source":{"type":"text","media_type":"text/plain","data":"hi"}}`)}, docs: 1},
		{name: "string content", msgs: []string{`{"role":"user","content":"hello"}`}},
		{name: "media type lies", msgs: []string{user(img("image/jpeg", png64))}, wantErr: "messages.0.content.0.image.source.base64: Image does not match the provided media type image/jpeg"},
		{name: "unknown media type", msgs: []string{user(img("image/bmp", png64))}, wantErr: "media_type: Input should be 'image/jpeg'"},
		{name: "bad base64", msgs: []string{user(img("image/png", "!!notbase64"))}, wantErr: "not valid base64"},
		{name: "not an image", msgs: []string{user(img("image/png", base64.StdEncoding.EncodeToString([]byte("hello"))))}, wantErr: "Could not process image"},
		{name: "too wide", msgs: []string{user(img("image/png", wide))}, wantErr: "exceed max allowed size: 8000 pixels"},
		{name: "url source", msgs: []string{user(`{"type":"image","source":{"type":"url","url":"https://x"}}`)}, wantErr: "does not match the expected tag: 'base64'"},
		{name: "image from the assistant", msgs: []string{`{"role":"assistant","content":[` + img("image/png", png64) + `]}`}, wantErr: "only allowed in user messages"},
		{name: "pdf that is not one", msgs: []string{user(doc("application/pdf", png64))}, wantErr: "The PDF specified was not valid."},
		{name: "pdf with another type", msgs: []string{user(doc("application/msword", pdf))}, wantErr: "Input should be 'application/pdf'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var msgs []message
			if err := json.Unmarshal([]byte("["+strings.Join(tt.msgs, ",")+"]"), &msgs); err != nil {
				t.Fatal(err)
			}
			sum, aerr := checkMedia(msgs)
			if tt.wantErr != "" {
				if aerr == nil || !strings.Contains(aerr.Error(), tt.wantErr) || aerr.Type != "ValidationException" {
					t.Fatalf("error = %v, want a ValidationException containing %q", aerr, tt.wantErr)
				}
				return
			}
			if aerr != nil {
				t.Fatalf("unexpected error: %v", aerr)
			}
			if diff := cmp.Diff(tt.images, sum.images); diff != "" {
				t.Errorf("images mismatch (-want +got):\n%s", diff)
			}
			if sum.documents != tt.docs {
				t.Errorf("documents = %d, want %d", sum.documents, tt.docs)
			}
		})
	}
}

func TestCheckMediaManyImages(t *testing.T) {
	t.Parallel()
	big := `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + encodedImage(t, 2100, 10, "png") + `"}}`
	blocks := make([]string, manyImages+1)
	for i := range blocks {
		blocks[i] = big
	}
	var msgs []message
	json.Unmarshal([]byte(`[{"role":"user","content":[`+strings.Join(blocks, ",")+`]}]`), &msgs)
	if _, aerr := checkMedia(msgs); aerr == nil || !strings.Contains(aerr.Error(), "2000 pixels") {
		t.Fatalf("21 images of 2100 px: error = %v, want the many-image limit", aerr)
	}
	if _, aerr := checkMedia([]message{{Role: "user", Content: json.RawMessage("[" + big + "]")}}); aerr != nil {
		t.Fatalf("one image of 2100 px: %v", aerr)
	}
}
