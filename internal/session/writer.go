package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Writer appends entries to one transcript. It is safe for concurrent
// use; entries from several goroutines are written whole, one line each,
// in the order their Append calls take the lock.
//
// A Writer holds the session's lock (see [ErrLocked]) until it is
// closed, so no other process appends to the same transcript meanwhile.
type Writer struct {
	mu   sync.Mutex
	f    *os.File
	lock *os.File // the session's lock, released by Close
	id   string
	path string
	now  func() time.Time

	// durable, when not nil, receives the result of making the new
	// transcript's first entries and directory entries durable, which
	// Create starts in the background so that the first request need
	// not wait for three fsyncs. Sync and Close wait for it (under mu)
	// and report its error; durableErr keeps that error once received.
	durable    chan error
	durableErr error
}

// waitDurable waits for Create's background sync, once. w.mu is held.
func (w *Writer) waitDurable() error {
	if w.durable != nil {
		w.durableErr = <-w.durable
		w.durable = nil
	}
	return w.durableErr
}

// ID is the session's ID.
func (w *Writer) ID() string { return w.id }

// Path is the transcript file.
func (w *Writer) Path() string { return w.path }

// Append writes e as one line, with a single write(2), so that a crash
// tears at most the last line (which [Store.Load] then skips). A zero
// e.Time is set to now. Append does not sync: call [Writer.Sync] after
// each completed turn.
//
// The transcript stores what it is given. Secrets must be kept out of
// messages before they are sent, not here: the transcript has to equal
// what the model saw for resume to reuse the prompt cache.
func (w *Writer) Append(e Entry) error {
	if e.Type == "" {
		return errors.New("append entry: empty type")
	}
	if e.Time.IsZero() {
		e.Time = w.now()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HTML escaping would rewrite "<" inside Message as "\u003c": valid
	// JSON, but not the bytes that were sent.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil { // one line, newline included
		return fmt.Errorf("append %s entry: %w", e.Type, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return fmt.Errorf("append %s entry: %w", e.Type, os.ErrClosed)
	}
	if _, err := w.f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("append %s entry: %w", e.Type, err)
	}
	return nil
}

// Sync flushes the transcript to stable storage. The agent calls it after
// each completed turn: a completed turn is never lost (DESIGN.md §2).
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return fmt.Errorf("sync session: %w", os.ErrClosed)
	}
	if err := w.waitDurable(); err != nil {
		return fmt.Errorf("sync session: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("sync session: %w", err)
	}
	return nil
}

// Close syncs and closes the transcript, then releases the session's
// lock. Closing twice is not an error.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	derr := w.waitDurable()
	f := w.f
	w.f = nil
	serr := errors.Join(derr, f.Sync())
	cerr := f.Close()
	if w.lock != nil {
		w.lock.Close()
	}
	if err := errors.Join(serr, cerr); err != nil {
		return fmt.Errorf("close session: %w", err)
	}
	return nil
}
