package headless

import (
	"encoding/json"
	"testing"
)

func TestMarshalLeavesHTMLAlone(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   any
		want string
	}{
		{"string", map[string]string{"t": "a & <b>"}, `{"t":"a & <b>"}`},
		{"raw escaped upstream", json.RawMessage(`{"t":"a \u0026 \u003cb\u003E"}`), `{"t":"a & <b>"}`},
		{"escaped backslash is text", json.RawMessage(`{"t":"\\u0026"}`), `{"t":"\\u0026"}`},
		{"other escapes kept", json.RawMessage(`{"t":"\u00e9\n\"\\"}`), `{"t":"\u00e9\n\"\\"}`},
		{"escape at the end", json.RawMessage(`"\\"`), `"\\"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("marshal = %s, want %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
}
