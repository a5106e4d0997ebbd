package session

import (
	"errors"
	"io/fs"
	"os"
	"testing"
	"time"
)

func TestCleanup(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	clk := &clock{t: t0}
	here := NewStore(state, "/home/ana/src/here")
	here.now = clk.Now
	gone := NewStore(state, "/home/ana/src/gone")
	gone.now = clk.Now

	recent := create(t, here, Meta{})
	oldHere := create(t, here, Meta{})
	oldGone := create(t, gone, Meta{})
	now := t0.AddDate(0, 0, 40)
	here.now = func() time.Time { return now }
	setMod(t, here, recent, now.AddDate(0, 0, -29))
	setMod(t, here, oldHere, now.AddDate(0, 0, -31))
	setMod(t, gone, oldGone, now.AddDate(0, 0, -90))

	removed, err := here.Cleanup(30 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 {
		t.Errorf("removed %d, want 2 (every project's old sessions)", removed)
	}
	if _, err := here.Load(recent); err != nil {
		t.Errorf("the recent session is gone: %v", err)
	}
	if _, err := here.Load(oldHere); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(old) err = %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(gone.Dir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the emptied project directory is still there: %v", err)
	}

	for _, d := range []time.Duration{0, -time.Hour} {
		if _, err := here.Cleanup(d); err == nil {
			t.Errorf("Cleanup(%v) succeeded; a non-positive period would delete the live session", d)
		}
	}
	if n, err := NewStore(t.TempDir(), "/x").Cleanup(time.Hour); n != 0 || err != nil {
		t.Errorf("Cleanup with no state = %d, %v; want 0, nil", n, err)
	}
}
