package session

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: whatever a transcript file holds, loading it, reading the
// conversation and summarising it never panic, and a file that loads can
// be resumed and still loads. The seeds run on every go test.
func FuzzLoad(f *testing.F) {
	const meta = `{"type":"meta","time":"2026-11-23T18:45:00Z","meta":{"id":"x","system":[{"type":"text","text":"s"}]}}` + "\n"
	for _, seed := range []string{
		"",
		"\n\n",
		"\x00\x00\x00",
		"null\n",
		"[]\n{}\n",
		meta,
		meta + `{"type":"user","time":"2026-11-23T18:45:01Z","turn":1,"message":{"role":"user","content":"hi"}}`,
		meta + `{"type":"user","message":{"role":"user","content":"hi"}}` + "\n" + `{"type":"assistant","guardrail":true,"message":{"role":"assistant","content":"no"}}` + "\n",
		meta + `{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}]}}` + "\n",
		meta + `{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use"},{"type":7}]}}` + "\n",
		meta + `{"type":"compaction","summary":"s"}` + "\n" + `{"type":"assistant","guardrail":true,"message":{"role":"user","content":[{"type":"tool_result"}]}}` + "\n",
		meta + `{"type":"assistant","usage":{"input_tokens":-5},"cost_usd":1e308}` + "\n" + `{"type":"assistant","usage":{"input_tokens":1},"cost_usd":1e308}` + "\n",
		meta + `{"type":"user","message":"string"}` + "\n" + `{"type":"user","message":{"content":null}}` + "\n",
		meta + "{torn",
		meta + "{bad}\n" + meta,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewStore(t.TempDir(), "/p")
		if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
			t.Fatal(err)
		}
		const id = "20261123T184500-abcdef"
		path := filepath.Join(s.Dir(), id+ext)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.List(); err != nil {
			t.Fatal(err)
		}
		tr, err := s.Load(id)
		if err != nil {
			return
		}
		tr.Messages()
		tr.Unfinished()
		tr.Usage()
		tr.Cost()
		w, err := s.Append(id)
		if err != nil {
			t.Fatalf("a transcript that loads cannot be resumed: %v", err)
		}
		if err := w.Append(Entry{Type: TypeNotice, Text: "resumed"}); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if _, err := s.Load(id); err != nil {
			t.Fatalf("a resumed transcript no longer loads: %v", err)
		}
	})
}
