// Package tui owns the interactive terminal program (Bubble Tea): it renders
// the agent events and sends the user input and decisions back.
//
// It is presentation only and does no I/O in Update. It drives the session
// the harness runs (Backend, satisfied by *harness.Session) and never
// builds one: cli does.
package tui
