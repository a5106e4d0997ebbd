package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// apiError is a Bedrock error as it goes on the wire: the HTTP status, the
// exception name (sent as x-amzn-ErrorType before the first byte, and
// lowercase-first as :exception-type inside a stream) and its message.
type apiError struct {
	Status  int
	Type    string // e.g. "ValidationException"
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// streamType is the exception name as a ResponseStream union member:
// "throttlingException", not "ThrottlingException" (reference §3.5).
func (e *apiError) streamType() string {
	if e.Type == "" {
		return ""
	}
	return strings.ToLower(e.Type[:1]) + e.Type[1:]
}

func errValidation(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationException", fmt.Sprintf(format, args...)}
}

func errThrottling(msg string) *apiError {
	return &apiError{http.StatusTooManyRequests, "ThrottlingException", msg}
}

func errUnavailable(msg string) *apiError {
	return &apiError{http.StatusServiceUnavailable, "ServiceUnavailableException", msg}
}

func errNotFound(msg string) *apiError {
	return &apiError{http.StatusNotFound, "ResourceNotFoundException", msg}
}

func errAccessDenied(msg string) *apiError {
	return &apiError{http.StatusForbidden, "AccessDeniedException", msg}
}

// Authentication failures come from the AWS front door, not the model; all
// are 403 with these exact messages (reference §4.2).
func errUnrecognizedClient() *apiError {
	return &apiError{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}
}

func errExpiredToken() *apiError {
	return &apiError{http.StatusForbidden, "ExpiredTokenException", "The security token included in the request is expired"}
}

func errInvalidSignature(detail string) *apiError {
	msg := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	if detail != "" {
		msg += "\n\n" + detail
	}
	return &apiError{http.StatusForbidden, "InvalidSignatureException", msg}
}
