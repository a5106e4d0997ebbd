// Package checkpoint keeps the file history of one session: the content
// every file had before the model changed it through a file-writing tool
// (Write, Edit, MultiEdit, NotebookEdit), keyed by the user's prompt
// (turn) that led to the change, so that /rewind can put the code back
// as it was before any prompt.
//
// It must not know who writes the files or what a conversation is: the
// tool package reports changes through its own small interface, which
// [*Store] implements, and the harness tells the store which turn is
// running. Changes made by commands (Bash) are not seen, so they are not
// restored.
//
// # Files
//
// A session's history is the directory <stateDir>/file-history/<session-id>/,
// after Claude Code's ~/.claude/file-history/<session-id>/. It holds
// index.json (the changes, written whole through [atomicfile] so that a
// crash leaves the previous index or the new one) and one file per
// distinct content, named by its SHA-256 in hex: identical content is
// stored once. A content file is written, synced and renamed into place
// before the index names it; content files no index names (left by a
// crash between the two) are removed when the store is opened.
//
// # Bounds
//
// A file larger than [Limits].MaxFileBytes is not copied: its change is
// recorded as one that cannot be restored. When the stored content passes
// [Limits].MaxBytes, or the prompts with changes pass [Limits].MaxTurns,
// the changes of the oldest prompts are dropped (and content no change
// names any more): those prompts can no longer restore code, and
// [Store.LostThrough] says up to which one.
package checkpoint
