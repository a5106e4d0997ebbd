package media

import (
	"image"

	"golang.org/x/image/draw"
)

// scale resizes src to w×h. Catmull-Rom alone gets slow on big
// downscales (its kernel widens with the ratio: seconds for a 4K
// screenshot), so the image is first halved by averaging 2×2 blocks, an
// exact box filter, until it is less than twice the target; Catmull-Rom
// then does the rest with a narrow kernel.
func scale(src image.Image, w, h int) *image.RGBA {
	cur := toRGBA(src)
	for cur.Rect.Dx()/2 >= w && cur.Rect.Dy()/2 >= h {
		cur = halve(cur)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), cur, cur.Bounds(), draw.Src, nil)
	return dst
}

func toRGBA(src image.Image) *image.RGBA {
	if r, ok := src.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	return dst
}

// halve averages each 2×2 block of src (premultiplied RGBA, so averaging
// is exact for transparency too). An odd last row or column is dropped.
func halve(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx()/2, src.Rect.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		r0 := src.Pix[(2*y)*src.Stride:]
		r1 := src.Pix[(2*y+1)*src.Stride:]
		out := dst.Pix[y*dst.Stride:]
		for x := range w {
			i := 8 * x
			for c := range 4 {
				sum := uint32(r0[i+c]) + uint32(r0[i+4+c]) + uint32(r1[i+c]) + uint32(r1[i+4+c])
				out[4*x+c] = uint8((sum + 2) / 4)
			}
		}
	}
	return dst
}
