// Package model owns the model catalog (IDs, aliases, inference-profile
// prefixes, context windows, cache minimums, prices) and the resolution of
// what the user asked for ("sonnet", an inference-profile ID, an ARN) into
// the ID basalt sends.
//
// Model IDs are hard-coded here and nowhere else: catalog.go is the data
// table, [Lookup] finds a model by any of its IDs, [ProfileID] picks the
// inference profile for a region, [Model.PriceFor] the price row for the ID
// sent, and [Resolve] turns a request (flag, environment, settings,
// ANTHROPIC_DEFAULT_*_MODEL, modelOverrides) into the ID to send, with
// notices for the user and errors that match [ErrInvalidModel]. Claude
// Code's other names (opusplan, fable, best) are in named.go; a name the
// catalog lacks is sent as given with a "cost unknown" notice, and only a
// near miss of a known name is an error.
//
// The package is a leaf: it takes plain values and imports neither config,
// awsauth nor provider, and does no I/O. The provider looks up the backing
// model of an application inference profile (GetInferenceProfile) and
// passes its ID to [Lookup].
//
// Aliases and defaults change only with a release (DESIGN.md §4): nothing
// here picks a newer model on its own.
package model
