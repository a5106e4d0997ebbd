package media

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Output is one piece of a code cell's output: text, or an image.
type Output struct {
	Text  string
	Image *Image
}

// maxOutputText bounds the text of one output the model is shown.
const maxOutputText = 10_000

// ansiRE matches the colour codes of tracebacks.
var ansiRE = lazyre.New(`\x1b\[[0-9;]*[A-Za-z]`)

// parseOutput reads one nbformat output: a stream's text, a result's
// text/plain and its PNG or JPEG image, an error's name, value and
// traceback.
func parseOutput(raw json.RawMessage) []Output {
	var o struct {
		OutputType string                     `json:"output_type"`
		Text       json.RawMessage            `json:"text"`
		Data       map[string]json.RawMessage `json:"data"`
		EName      string                     `json:"ename"`
		EValue     string                     `json:"evalue"`
		Traceback  []string                   `json:"traceback"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return []Output{{Text: "[unreadable output]"}}
	}
	switch o.OutputType {
	case "stream":
		return []Output{{Text: cutText(multiline(o.Text))}}
	case "execute_result", "display_data":
		var out []Output
		if t, ok := o.Data["text/plain"]; ok {
			out = append(out, Output{Text: cutText(multiline(t))})
		}
		for _, mt := range []string{"image/png", "image/jpeg"} {
			b64, ok := o.Data[mt]
			if !ok {
				continue
			}
			data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(multiline(b64)), ""))
			if err != nil {
				out = append(out, Output{Text: fmt.Sprintf("[%s output: bad base64]", mt)})
				continue
			}
			im, err := LoadImage(data)
			if err != nil {
				out = append(out, Output{Text: fmt.Sprintf("[%s output: %v]", mt, err)})
				continue
			}
			out = append(out, Output{Image: &im})
			break
		}
		return out
	case "error":
		tb := ansiRE().ReplaceAllString(strings.Join(o.Traceback, "\n"), "")
		return []Output{{Text: cutText(fmt.Sprintf("%s: %s\n%s", o.EName, o.EValue, tb))}}
	}
	return nil
}

// multiline reads nbformat's "multiline string": a string or a list.
func multiline(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	_ = json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

func cutText(s string) string {
	if len(s) <= maxOutputText {
		return s
	}
	return s[:maxOutputText] + fmt.Sprintf("\n… [output cut: %d bytes]", len(s))
}
