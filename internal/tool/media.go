package tool

import (
	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/media"
)

// Media is the Display of a Read that returns more than text: the
// tool_result's content blocks (images, a notebook's cells) and the
// blocks that follow the results in the same user message (a PDF's
// document block, the note on how an image was scaled). The agent sends
// them in place of the result's text, which stays the short description
// the UI and the transcript search show.
type Media struct {
	Content []anthropic.ToolResultBlockParamContentUnion
	After   []anthropic.ContentBlockParamUnion
}

// ToolResultContent is what the tool_result block carries.
func (m *Media) ToolResultContent() []anthropic.ToolResultBlockParamContentUnion { return m.Content }

// ToolResultExtra is what follows every tool_result in the user message.
func (m *Media) ToolResultExtra() []anthropic.ContentBlockParamUnion { return m.After }

// ImageBlock is an image as a user-message content block.
func ImageBlock(im media.Image) anthropic.ContentBlockParamUnion {
	return anthropic.NewImageBlockBase64(im.MediaType, im.Base64())
}

// DocumentBlock is a PDF as a user-message content block.
func DocumentBlock(data []byte) anthropic.ContentBlockParamUnion {
	return anthropic.NewDocumentBlock(anthropic.Base64PDFSourceParam{Data: base64Std(data)})
}

func resultImage(im media.Image) anthropic.ToolResultBlockParamContentUnion {
	return anthropic.ToolResultBlockParamContentUnion{OfImage: &anthropic.ImageBlockParam{
		Source: anthropic.ImageBlockParamSourceUnion{OfBase64: &anthropic.Base64ImageSourceParam{
			Data: im.Base64(), MediaType: anthropic.Base64ImageSourceMediaType(im.MediaType)}}}}
}

func resultText(s string) anthropic.ToolResultBlockParamContentUnion {
	return anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: s}}
}
