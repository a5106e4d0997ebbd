package session

import (
	"errors"
	"testing"
)

// TestCreateWithGivenID: --session-id names the new session, and an ID in
// use is refused without touching the session that has it.
func TestCreateWithGivenID(t *testing.T) {
	t.Parallel()
	s := NewStore(t.TempDir(), "/repo")
	const id = "0f8fad5b-d9cb-469f-a165-70867728950e"
	w, err := s.Create(Meta{ID: id, Model: "m1"})
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != id {
		t.Errorf("ID = %q, want %q", w.ID(), id)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(Meta{ID: id, Model: "m2"}); !errors.Is(err, ErrExists) {
		t.Fatalf("second Create: err = %v, want ErrExists", err)
	}
	tr, err := s.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Meta.Model != "m1" {
		t.Errorf("the first session was changed: model %q", tr.Meta.Model)
	}

	const forkID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	fw, err := s.ForkAs(tr, forkID)
	if err != nil {
		t.Fatal(err)
	}
	defer fw.Close()
	if fw.ID() != forkID {
		t.Errorf("fork ID = %q, want %q", fw.ID(), forkID)
	}
	if _, err := s.ForkAs(tr, id); !errors.Is(err, ErrExists) {
		t.Errorf("fork onto an existing ID: err = %v, want ErrExists", err)
	}
}
