package media

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Image limits. Anthropic's vision guide: an image whose long edge is
// over 1568 px, or that is over about 1.15 megapixels, is scaled down by
// the service before the model sees it, so sending more only costs bytes
// and time to first token; over 8000 px (2000 px when a request has more
// than 20 images) it is refused. The API takes at most 5 MB of base64
// per image. Every image basalt sends is already inside all of these.
const (
	MaxLongEdge   = 1568
	MaxPixels     = 1_150_000
	MaxBase64Size = 5 << 20
	// maxRawSize is the largest image whose base64 fits MaxBase64Size.
	maxRawSize = MaxBase64Size / 4 * 3
	// maxDecodePixels bounds what is decoded at all (a 20000×20000 PNG
	// is 1.6 GB of RGBA): larger images are refused, not resized.
	maxDecodePixels = 100_000_000
)

// MediaTypes maps the extensions of the image files the model can see
// to their media types.
var imageExts = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp",
}

// ImageType returns the media type of an image file name's extension
// (lower-cased by the caller), "" when it is not an image the model can see.
func ImageType(ext string) string { return imageExts[ext] }

// Image is an image ready for an image block.
type Image struct {
	MediaType string // image/png, image/jpeg, image/gif or image/webp
	Data      []byte // the encoded image, not base64
	Width     int
	Height    int
	// OrigWidth and OrigHeight are the file's own dimensions; they differ
	// from Width and Height when the image was scaled down.
	OrigWidth, OrigHeight int
}

// Resized reports whether the image was scaled down.
func (im Image) Resized() bool { return im.Width != im.OrigWidth || im.Height != im.OrigHeight }

// Base64 is the image's data as the API carries it.
func (im Image) Base64() string { return base64.StdEncoding.EncodeToString(im.Data) }

// ErrNotImage is returned for bytes that are not PNG, JPEG, GIF or WebP.
var ErrNotImage = errors.New("not a PNG, JPEG, GIF or WebP image")

// Sniff returns the media type of data from its first bytes, "" when
// it is none of the four the API accepts. The extension of a file can
// lie; the bytes decide what is sent.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// LoadImage prepares an image file's bytes for the model. An image
// already inside the limits is sent as it is, byte for byte; a larger
// one, or an animated GIF (of which the API would see the first frame
// only), is decoded, scaled down (preserving the aspect ratio; see
// scale) and encoded again: PNG when the source was lossless and the
// result fits, else JPEG at the highest quality that fits.
func LoadImage(data []byte) (Image, error) {
	mt := Sniff(data)
	if mt == "" {
		return Image{}, ErrNotImage
	}
	cfg, animated, err := decodeConfig(mt, data)
	if err != nil {
		return Image{}, fmt.Errorf("decode %s: %w", mt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, fmt.Errorf("decode %s: empty image (%dx%d)", mt, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxDecodePixels {
		return Image{}, fmt.Errorf("image is %dx%d pixels, too large to scale down (at most %d megapixels)", cfg.Width, cfg.Height, maxDecodePixels/1_000_000)
	}
	// Decoded even when it is sent as it is: a truncated or corrupt image
	// would make the service refuse every later request of the
	// conversation, which carries it.
	src, err := decode(mt, data)
	if err != nil {
		return Image{}, fmt.Errorf("decode %s: %w", mt, err)
	}
	w, h := FitSize(cfg.Width, cfg.Height)
	if w == cfg.Width && h == cfg.Height && !animated && len(data) <= maxRawSize {
		return Image{MediaType: mt, Data: data, Width: w, Height: h, OrigWidth: cfg.Width, OrigHeight: cfg.Height}, nil
	}
	return encodeFitting(src, mt != "image/jpeg", cfg.Width, cfg.Height)
}

// FitSize is the size an image of w×h is scaled to: the largest with
// the same aspect ratio whose long edge is at most MaxLongEdge and whose
// area is at most MaxPixels. Each side is at least 1.
func FitSize(w, h int) (int, int) {
	scale := 1.0
	if long := max(w, h); long > MaxLongEdge {
		scale = float64(MaxLongEdge) / float64(long)
	}
	if area := float64(w) * float64(h) * scale * scale; area > MaxPixels {
		scale *= math.Sqrt(MaxPixels / area)
	}
	if scale >= 1 {
		return w, h
	}
	// The epsilon keeps 3000 × (1568/3000) at 1568, not 1567.
	return max(1, int(float64(w)*scale+1e-9)), max(1, int(float64(h)*scale+1e-9))
}

func decodeConfig(mt string, data []byte) (cfg image.Config, animated bool, err error) {
	r := bytes.NewReader(data)
	switch mt {
	case "image/png":
		cfg, err = png.DecodeConfig(r)
	case "image/jpeg":
		cfg, err = jpeg.DecodeConfig(r)
	case "image/webp":
		cfg, err = webp.DecodeConfig(r)
	case "image/gif":
		cfg, err = gif.DecodeConfig(r)
		animated = err == nil && gifFrames(data) > 1
	}
	return cfg, animated, err
}

// gifFrames counts image descriptors up to 2, cheaply: a GIF is animated
// when it has more than one. It decodes the whole GIF only for GIFs
// small enough to matter; others are taken as animated (and then
// flattened to their first frame, which is what the model sees anyway).
func gifFrames(data []byte) int {
	if len(data) > 8<<20 {
		return 2
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return 2
	}
	return len(g.Image)
}

func decode(mt string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch mt {
	case "image/png":
		return png.Decode(r)
	case "image/jpeg":
		return jpeg.Decode(r)
	case "image/webp":
		return webp.Decode(r)
	case "image/gif":
		return gif.Decode(r) // the first frame
	}
	return nil, ErrNotImage
}

// encodeFitting scales src into the limits and encodes it under the size
// cap, halving the size again in the rare case no JPEG quality fits.
func encodeFitting(src image.Image, lossless bool, ow, oh int) (Image, error) {
	w, h := FitSize(ow, oh)
	for {
		dst := scale(src, w, h)
		if lossless {
			var b bytes.Buffer
			if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, dst); err != nil {
				return Image{}, fmt.Errorf("encode png: %w", err)
			}
			if b.Len() <= maxRawSize {
				return Image{MediaType: "image/png", Data: b.Bytes(), Width: w, Height: h, OrigWidth: ow, OrigHeight: oh}, nil
			}
		}
		// JPEG has no alpha: transparent pixels go on white, as a
		// viewer would show them, not on black.
		flat := image.NewRGBA(dst.Bounds())
		draw.Draw(flat, flat.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), dst, image.Point{}, draw.Over)
		for _, q := range []int{85, 70, 55, 40} {
			var b bytes.Buffer
			if err := jpeg.Encode(&b, flat, &jpeg.Options{Quality: q}); err != nil {
				return Image{}, fmt.Errorf("encode jpeg: %w", err)
			}
			if b.Len() <= maxRawSize {
				return Image{MediaType: "image/jpeg", Data: b.Bytes(), Width: w, Height: h, OrigWidth: ow, OrigHeight: oh}, nil
			}
		}
		if w <= 16 || h <= 16 {
			return Image{}, errors.New("encode: image does not fit the 5 MB limit")
		}
		w, h = max(1, w/2), max(1, h/2)
	}
}
