package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

func TestFitSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"small stays", 64, 48, 64, 48},
		{"exactly the edge", 1568, 600, 1568, 600},
		{"wide screenshot", 3000, 2000, 1313, 875},
		{"tall", 500, 4000, 196, 1568},
		{"square over the area", 1200, 1200, 1072, 1072},
		{"thin line", 20000, 1, 1568, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, h := FitSize(tt.w, tt.h)
			if w != tt.wantW || h != tt.wantH {
				t.Errorf("FitSize(%d, %d) = %dx%d, want %dx%d", tt.w, tt.h, w, h, tt.wantW, tt.wantH)
			}
			if w > MaxLongEdge || h > MaxLongEdge || w*h > MaxPixels {
				t.Errorf("FitSize(%d, %d) = %dx%d, outside the limits", tt.w, tt.h, w, h)
			}
		})
	}
}

func TestLoadImage(t *testing.T) {
	t.Parallel()
	small := encodePNG(t, gradient(64, 48))
	big := encodePNG(t, gradient(3000, 2000))
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, gradient(2400, 1600), nil); err != nil {
		t.Fatal(err)
	}
	webp, err := os.ReadFile("testdata/small.webp")
	if err != nil {
		t.Fatal(err)
	}
	// An animated GIF: two frames, the first red.
	anim := &gif.GIF{Delay: []int{10, 10}}
	for _, c := range []color.Color{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}} {
		f := image.NewPaletted(image.Rect(0, 0, 10, 10), palette.Plan9)
		for i := range f.Pix {
			f.Pix[i] = uint8(f.Palette.Index(c))
		}
		anim.Image = append(anim.Image, f)
	}
	var gb bytes.Buffer
	if err := gif.EncodeAll(&gb, anim); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		data      []byte
		wantType  string
		wantW     int
		wantH     int
		unchanged bool
	}{
		{"small png as it is", small, "image/png", 64, 48, true},
		{"big png scaled, still png", big, "image/png", 1313, 875, false},
		{"big jpeg scaled, jpeg", jb.Bytes(), "image/jpeg", 1313, 875, false},
		{"webp as it is", webp, "image/webp", 150, 100, true},
		{"animated gif: first frame", gb.Bytes(), "image/png", 10, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			im, err := LoadImage(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if im.MediaType != tt.wantType || im.Width != tt.wantW || im.Height != tt.wantH {
				t.Errorf("got %s %dx%d, want %s %dx%d", im.MediaType, im.Width, im.Height, tt.wantType, tt.wantW, tt.wantH)
			}
			if got := bytes.Equal(im.Data, tt.data); got != tt.unchanged {
				t.Errorf("data unchanged = %v, want %v", got, tt.unchanged)
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(im.Data))
			if err != nil && im.MediaType != "image/webp" {
				t.Fatalf("result does not decode: %v", err)
			}
			if err == nil && (cfg.Width != im.Width || cfg.Height != im.Height) {
				t.Errorf("encoded %dx%d, reported %dx%d", cfg.Width, cfg.Height, im.Width, im.Height)
			}
			if len(im.Base64()) > MaxBase64Size {
				t.Errorf("base64 is %d bytes", len(im.Base64()))
			}
		})
	}
	t.Run("first frame kept", func(t *testing.T) {
		im, err := LoadImage(gb.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(im.Data))
		if err != nil {
			t.Fatal(err)
		}
		if r, g, b, _ := img.At(5, 5).RGBA(); r>>8 < 200 || g>>8 > 50 || b>>8 > 50 {
			t.Errorf("pixel = %d,%d,%d, want the first (red) frame", r>>8, g>>8, b>>8)
		}
	})
}

func TestLoadImageSizeCap(t *testing.T) {
	t.Parallel()
	// Noise compresses badly: a 1500×1000 PNG of it is over 3.75 MB, so
	// it must be re-encoded under the cap although its size fits.
	img := image.NewRGBA(image.Rect(0, 0, 1500, 700))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
	}
	data := encodePNG(t, img)
	if len(data) <= maxRawSize {
		t.Skipf("noise PNG is only %d bytes", len(data))
	}
	im, err := LoadImage(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Data) > maxRawSize || im.MediaType != "image/jpeg" {
		t.Errorf("got %s of %d bytes, want a JPEG under %d", im.MediaType, len(im.Data), maxRawSize)
	}
}

func TestLoadImageErrors(t *testing.T) {
	t.Parallel()
	if _, err := LoadImage([]byte("hello")); !errors.Is(err, ErrNotImage) {
		t.Errorf("text: err = %v, want ErrNotImage", err)
	}
	png := encodePNG(t, gradient(10, 10))
	if _, err := LoadImage(png[:40]); err == nil {
		t.Error("truncated PNG: no error")
	}
}
