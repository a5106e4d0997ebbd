// Package session owns transcripts: the append-only JSONL file of each
// session, resume and listing.
//
// It must never lose a completed turn.
//
// # Files
//
// A session is one file, <stateDir>/projects/<path-key>/<id>.jsonl, where
// stateDir is $XDG_STATE_HOME/basalt and the path key is the project root
// with "/" and "." replaced by "-" ([PathKey]). Each line is one [Entry];
// the first is the meta entry. IDs are the UTC creation time and six
// random hex digits, 20261123T184500-3f9a1c: they sort by age, and a
// unique prefix is enough to resume.
//
// A transcript holds the user's prompts and the contents of every file
// and command output the agent sent to the model, so directories are 0700
// and files 0600. It is not redacted: it must equal what the model saw,
// or a resumed session would send different bytes and miss the prompt
// cache. Secrets are kept out of messages before they are sent (the agent
// and tools' job); the transcript never sees credentials otherwise.
//
// # Durability
//
// Entries are only ever appended, each with one write(2), and the agent
// syncs after every completed turn ([Writer.Sync]), so a crash tears at
// most the last line. [Store.Load] skips a torn last line with a warning;
// a bad line followed by good ones is corruption, reported as file:line.
// Unknown entry types and fields are kept and ignored, so older versions
// read newer transcripts.
//
// # Locking and forks
//
// Two processes appending to one transcript would mix two conversations.
// A [Writer] ([Store.Create], [Store.Append], [Store.Fork]) holds the
// session's lock, flock(2) on <id>.lock beside the transcript, until it is
// closed; the kernel drops it when the process dies, however it dies.
// Appending to a session another process holds fails with [ErrLocked].
// [Store.Fork] is the way on: a new session seeded with the history, the
// original untouched.
//
// # Rewind
//
// Every entry carries the number of the user's prompt it follows
// ([Entry].Turn; numbers only grow). Taking the conversation back to
// before a prompt (/rewind) appends a [TypeRewind] entry instead of
// rewriting lines; [Transcript.Live] leaves out what a rewind took back,
// and everything that reads the conversation reads it through Live.
//
// # Resume
//
// [Transcript.Messages] is the conversation to send next, after the last
// compaction, without guardrail-blocked exchanges, and repaired after a
// crash mid-turn; its comment states the rules. Together with
// [Meta].System and [Meta].Tools, stored as sent, it reproduces the
// previous request's bytes, so the first request of a resumed session
// reads the prompt cache.
package session
