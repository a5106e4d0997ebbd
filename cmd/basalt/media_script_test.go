package main

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdImageFixture writes an image file, since a txtar archive holds text:
//
//	image-fixture shot.png 64x48 [png|jpeg|gif|corrupt]
//
// The picture is a gradient, so that a scaled copy is not trivially
// small. corrupt writes a PNG cut off after its header.
func cmdImageFixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: image-fixture FILE WIDTHxHEIGHT [png|jpeg|gif|corrupt]")
	}
	ws, hs, ok := strings.Cut(args[1], "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 1 || h < 1 {
		ts.Fatalf("image-fixture: bad size %q", args[1])
	}
	kind := "png"
	if len(args) == 3 {
		kind = args[2]
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	var b bytes.Buffer
	var err error
	switch kind {
	case "png", "corrupt":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	default:
		ts.Fatalf("image-fixture: unknown kind %q", kind)
	}
	ts.Check(err)
	data := b.Bytes()
	if kind == "corrupt" {
		data = data[:60]
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
}
