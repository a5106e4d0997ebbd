package harness

// UsageError is a request the harness cannot carry out as asked (no
// earlier session to continue, an unknown session ID, a session in use,
// permission rules that do not compile): nothing ran, and the request must
// change. The command layer maps it to its usage exit code.
type UsageError struct {
	Err  error
	Hint string
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }
