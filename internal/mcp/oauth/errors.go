package oauth

import (
	"errors"
	"fmt"
)

// ErrNeedsLogin is what [Client.Transport] answers, wrapped in a
// *[NeedsLoginError], when the server wants a token basalt does not have:
// the caller tells the user to run `basalt mcp login NAME` (or runs the
// browser flow itself) instead of retrying.
var ErrNeedsLogin = errors.New("needs login")

// NeedsLoginError says which server needs a login and why.
type NeedsLoginError struct {
	Server string
	// Reason is why the stored credentials do not serve, e.g. "no token
	// stored" or "refresh refused: invalid_grant".
	Reason string
}

func (e *NeedsLoginError) Error() string {
	return fmt.Sprintf("mcp server %q needs login (%s): run `basalt mcp login %s`", e.Server, e.Reason, e.Server)
}

// Is makes errors.Is(err, ErrNeedsLogin) true.
func (e *NeedsLoginError) Is(target error) bool { return target == ErrNeedsLogin }

// The steps of a login, named in a [StepError].
const (
	StepDiscovery     = "discovery"
	StepRegistration  = "registration"
	StepAuthorization = "authorization"
	StepTokenExchange = "token exchange"
	StepRefresh       = "refresh"
)

// StepError is a login or refresh that failed at one step. Its message
// names the server, the step and what to do.
type StepError struct {
	Server string
	Step   string
	Err    error
	// Hint is what the user can do about it.
	Hint string
}

func (e *StepError) Error() string {
	msg := fmt.Sprintf("mcp server %q: %s: %v", e.Server, e.Step, e.Err)
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

func (e *StepError) Unwrap() error { return e.Err }

func (c *Client) stepErr(step string, err error, hint string) error {
	return &StepError{Server: c.server, Step: step, Err: err, Hint: hint}
}
