// Package model owns the model catalog (IDs, aliases, inference-profile
// prefixes, context windows, cache minimums, prices) and the resolution of
// what the user asked for ("sonnet", an inference-profile ID, an ARN) into
// the ID basalt sends.
//
// Model IDs are hard-coded here and nowhere else.
package model
