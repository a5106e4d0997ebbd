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

func errInternal() *apiError {
	return &apiError{http.StatusInternalServerError, "InternalServerException", "The server encountered an internal error while processing the request."}
}

// errOnDemand is the answer to a bare foundation-model ID (reference §4.3);
// note the U+2019 in "isn’t".
func errOnDemand(modelID string) *apiError {
	return errValidation("Invocation of model ID %s with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", modelID)
}

// errInvalidModel answers a model ID that is not served in the region.
func errInvalidModel() *apiError {
	return errValidation("The provided model identifier is invalid.")
}

// errEnum is the Smithy validation message for a bad enum member.
func errEnum(member, value string, values []string) *apiError {
	return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, strings.Join(values, ", "))
}

// errUnknownOperation answers a path no operation serves.
func errUnknownOperation(method, path string) *apiError {
	return &apiError{http.StatusNotFound, "UnknownOperationException", fmt.Sprintf("No operation serves %s %s.", method, path)}
}

// errorNamespace is the suffix of x-amzn-ErrorType: Bedrock's own
// exceptions carry the bedrock namespace (reference §4.1); those of the AWS
// front door (authentication, routing) the coral service one, an educated
// guess the SDKs do not care about, since they cut at the first ':'.
func (e *apiError) errorNamespace() string {
	switch e.Type {
	case "UnrecognizedClientException", "ExpiredTokenException", "InvalidSignatureException",
		"MissingAuthenticationTokenException", "IncompleteSignatureException", "UnknownOperationException":
		return "http://internal.amazon.com/coral/com.amazon.coral.service/"
	}
	return "http://internal.amazon.com/coral/com.amazon.bedrock/"
}

// messageKey is the casing of the error body's one field. Bedrock's own
// exceptions send "message"; the access-denied answers of the layer in
// front of it (an IAM deny, a missing Authorization header, an unknown
// API key) send "Message", as captured in posit-dev/positron#10683 and
// BerriAI/litellm#39166 ({"Message":"User: … is not authorized to
// perform: bedrock:InvokeModel …"}) and ai4s-research/open-science#53 for
// the API key. The SDKs read either; clients that parse the body by hand
// do not always.
func (e *apiError) messageKey() string {
	if e.Type == "AccessDeniedException" {
		return "Message"
	}
	return "message"
}
