package headless

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestInputReader(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		`{"type":"user","message":{"role":"user","content":"first"},"session_id":"default","parent_tool_use_id":null}`,
		``,
		`  {"type":"user","message":{"role":"user","content":[{"type":"text","text":"second"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}}`,
		`{"type":"keep_alive"}`,
		`{"type":"control_request","request_id":"r1","request":{"subtype":"initialize","hooks":null}}`,
		`{"type":"user","message":{"role":"user","content":"third"}}`,
	}, "\n")
	r := NewInputReader(strings.NewReader(in))
	var got []string
	for {
		m, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if m.Control != nil {
			got = append(got, "control:"+m.Control.RequestID+":"+m.Control.Subtype)
			continue
		}
		var kinds []string
		for _, b := range m.Blocks {
			switch {
			case b.OfText != nil:
				kinds = append(kinds, "text:"+b.OfText.Text)
			case b.OfImage != nil:
				kinds = append(kinds, "image")
			default:
				kinds = append(kinds, "other")
			}
		}
		got = append(got, strings.Join(kinds, "+"))
	}
	want := "text:first|text:second+image|control:r1:initialize|text:third"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("got %q, want %q", g, want)
	}
}

func TestInputReaderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line, want string
	}{
		{"not json", `hello`, "stdin line 2: column 1: not a JSON object"},
		{"truncated", `{"type":"user"`, "stdin line 2: column 14: not a JSON object: unexpected end of JSON input"},
		{"array", `[1]`, "stdin line 2: not a user message: cannot unmarshal array"},
		{"wrong type", `{"type":"system"}`, `stdin line 2: type "system": want "user"`},
		{"no message", `{"type":"user"}`, `stdin line 2: no "message"`},
		{"wrong role", `{"type":"user","message":{"role":"assistant","content":"x"}}`, `message.role "assistant": want "user"`},
		{"no content", `{"type":"user","message":{"role":"user"}}`, "no message.content"},
		{"empty string", `{"type":"user","message":{"role":"user","content":"  "}}`, "message.content is empty"},
		{"empty array", `{"type":"user","message":{"role":"user","content":[]}}`, "empty array"},
		{"number", `{"type":"user","message":{"role":"user","content":7}}`, "want a string or an array"},
		{"tool result", `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"b"}]}}`, `message.content[0]: block type "tool_result"`},
		{"empty text", `{"type":"user","message":{"role":"user","content":[{"type":"text","text":""}]}}`, "message.content[0]: empty text block"},
		{"control without id", `{"type":"control_request","request":{"subtype":"initialize"}}`, `control_request: want "request_id"`},
		{"block not object", `{"type":"user","message":{"role":"user","content":["x"]}}`, "message.content[0]: not a content block object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok := `{"type":"user","message":{"role":"user","content":"fine"}}`
			r := NewInputReader(strings.NewReader(ok + "\n" + tt.line + "\n" + ok + "\n"))
			if _, err := r.Next(); err != nil {
				t.Fatalf("first line: %v", err)
			}
			_, err := r.Next()
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line != 2 {
				t.Fatalf("err = %v, want an *InputError on line 2", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestInputReaderLineTooLong(t *testing.T) {
	t.Parallel()
	r := NewInputReader(strings.NewReader(strings.Repeat("x", maxInputLine+10)))
	_, err := r.Next()
	if err == nil || !strings.Contains(err.Error(), "stdin line 1: longer than 32 MiB") {
		t.Errorf("err = %v", err)
	}
}

func TestAnswerControl(t *testing.T) {
	t.Parallel()
	tests := []struct{ subtype, want string }{
		{"initialize", `{"type":"control_response","response":{"subtype":"success","request_id":"r1","response":{"agents":[],"available_output_styles":["default"],"commands":[],"models":[],"output_style":"default","pid":`},
		{"interrupt", `{"type":"control_response","response":{"subtype":"success","request_id":"r1"}}` + "\n"},
		{"set_model", `{"type":"control_response","response":{"subtype":"error","request_id":"r1","error":"Unsupported control request subtype: set_model"}}` + "\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := AnswerControl(&b, ControlRequest{RequestID: "r1", Subtype: tt.subtype}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tt.want) {
			t.Errorf("%s: got %s, want %s", tt.subtype, b.String(), tt.want)
		}
	}
}
