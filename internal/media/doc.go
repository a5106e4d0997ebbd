// Package media turns files the model or the user names into what the
// Messages API accepts: images sized to the model's limits, PDFs as
// documents or page text, and Jupyter notebooks cell by cell (and edited
// cell by cell).
//
// It decodes with explicit decoders (png.Decode, webp.Decode, …), never
// through image.Decode's registry, so nothing here costs at start-up
// beyond the standard library's own format registrations. It does no I/O
// of its own: callers hand it bytes.
//
// It must not import tool, agent, harness or any frontend.
package media
