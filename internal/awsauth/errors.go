package awsauth

import "fmt"

// Error is an authentication failure the user must act on: no credentials,
// a failing awsCredentialExport or awsAuthRefresh command, credentials the
// service still refuses after a refresh. The CLI maps it to exit code 3.
// Its message never contains a secret or a command's output.
type Error struct {
	Op  string // what basalt was doing: "resolve credentials", "run awsAuthRefresh", …
	Err error
	Fix string // what the user should do
}

func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Hint is the fix, printed under the message.
func (e *Error) Hint() string { return e.Fix }

func authErrorf(op, fix, format string, args ...any) *Error {
	return &Error{Op: op, Err: fmt.Errorf(format, args...), Fix: fix}
}
