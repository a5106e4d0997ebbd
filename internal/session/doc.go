// Package session owns transcripts: the append-only JSONL file of each
// session, resume and listing.
//
// It must never lose a completed turn.
package session
