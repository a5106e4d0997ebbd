// Package doctor owns the diagnostic checks behind "basalt doctor": each
// check returns a finding (ok, warn or fail) with its detail and fix.
//
// Checks observe; they never change anything.
package doctor
