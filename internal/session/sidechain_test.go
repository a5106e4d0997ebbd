package session

import (
	"os"
	"testing"
	"time"
)

func TestSidechain(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	parent := create(t, s, Meta{Model: "m"})
	w, err := s.CreateSidechain(parent, "a1", Meta{Model: "small", AgentType: "Explore"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(Entry{Type: TypeUser, Message: []byte(`{"role":"user","content":[{"type":"text","text":"find x"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSidechain(parent, "a1", Meta{}); err == nil {
		t.Error("a second sidechain with the same agent ID was created")
	}
	if _, err := s.CreateSidechain(parent, "../x", Meta{}); err == nil {
		t.Error("an agent ID with a slash was taken as a path")
	}
	tr, err := s.LoadSidechain(parent, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Meta.IsSidechain || tr.Meta.AgentID != "a1" || tr.Meta.ParentID != parent || tr.Meta.AgentType != "Explore" || len(tr.Messages()) != 1 {
		t.Errorf("sidechain = %+v, %d messages", tr.Meta, len(tr.Messages()))
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != parent {
		t.Errorf("List = %+v, want only the parent session", list)
	}
	// Cleaning the session up takes its sidechains with it.
	s.now = func() time.Time { return t0.Add(1000 * time.Hour) }
	if _, err := s.Cleanup(time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.SidechainPath(parent, "a1")); !os.IsNotExist(err) {
		t.Errorf("sidechain left after cleanup: %v", err)
	}
}
