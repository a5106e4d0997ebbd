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
		`{"type":"user","message":{"role":"user","content":"third"}}`,
	}, "\n")
	r := NewInputReader(strings.NewReader(in))
	var got []string
	for {
		blocks, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, b := range blocks {
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
	want := "text:first|text:second+image|text:third"
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
		{"wrong type", `{"type":"control_request"}`, `stdin line 2: type "control_request": want "user"`},
		{"no message", `{"type":"user"}`, `stdin line 2: no "message"`},
		{"wrong role", `{"type":"user","message":{"role":"assistant","content":"x"}}`, `message.role "assistant": want "user"`},
		{"no content", `{"type":"user","message":{"role":"user"}}`, "no message.content"},
		{"empty string", `{"type":"user","message":{"role":"user","content":"  "}}`, "message.content is empty"},
		{"empty array", `{"type":"user","message":{"role":"user","content":[]}}`, "empty array"},
		{"number", `{"type":"user","message":{"role":"user","content":7}}`, "want a string or an array"},
		{"tool result", `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"b"}]}}`, `message.content[0]: block type "tool_result"`},
		{"empty text", `{"type":"user","message":{"role":"user","content":[{"type":"text","text":""}]}}`, "message.content[0]: empty text block"},
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
