// Package cost turns usage into money with the catalog prices: per-turn and
// per-session meters and reports.
//
// It never guesses a price it does not know: an unknown model costs
// "unknown", not zero.
package cost
