package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Kind classifies a failed request by what the user (or basalt) can do
// about it.
type Kind int

// The kinds of failure. Each has a fix in [APIError.Fix].
const (
	KindUnknown            Kind = iota
	KindThrottled               // 429 ThrottlingException, throttlingException in the stream
	KindUnavailable             // 5xx, ServiceUnavailable, InternalServer
	KindModelNotReady           // ModelNotReadyException
	KindTimeout                 // ModelTimeoutException, the idle-stream watchdog
	KindConnection              // the connection dropped
	KindStreamError             // modelStreamErrorException
	KindAuth                    // expired, unknown or mis-signed credentials
	KindAccessDenied            // IAM says no
	KindMarketplace             // the model's AWS Marketplace subscription is missing
	KindOnDemand                // a foundation-model ID Bedrock will not serve on demand
	KindInvalidModel            // the ID is not served in the region
	KindCachingUnsupported      // prompt caching is not available for the model or region
	KindQuota                   // ServiceQuotaExceededException
	KindValidation              // any other 400
	KindUnreachable             // no connection could be made: refused, no such host, TLS failure
)

var kindNames = map[Kind]string{
	KindUnknown: "error", KindThrottled: "throttled", KindUnavailable: "service unavailable",
	KindModelNotReady: "model not ready", KindTimeout: "timed out", KindConnection: "connection lost",
	KindStreamError: "stream error", KindAuth: "credentials refused", KindAccessDenied: "access denied",
	KindMarketplace: "marketplace subscription missing", KindOnDemand: "on-demand throughput not supported",
	KindInvalidModel: "invalid model identifier", KindCachingUnsupported: "prompt caching unsupported",
	KindQuota: "service quota exceeded", KindValidation: "invalid request", KindUnreachable: "endpoint unreachable",
}

func (k Kind) String() string { return kindNames[k] }

// Sentinels for errors.Is on an *APIError.
var (
	ErrThrottled          = errors.New("throttled")
	ErrAuth               = errors.New("credentials refused")
	ErrAccessDenied       = errors.New("access denied")
	ErrMarketplace        = errors.New("marketplace subscription missing")
	ErrOnDemand           = errors.New("on-demand throughput not supported")
	ErrInvalidModel       = errors.New("invalid model identifier")
	ErrCachingUnsupported = errors.New("prompt caching unsupported")
	ErrUnavailable        = errors.New("service unavailable")
	ErrUnreachable        = errors.New("endpoint unreachable")
)

// APIError is a request that failed for good: after the retries, the
// refresh and the fallbacks. Fix says what to do.
type APIError struct {
	Kind      Kind
	Status    int    // HTTP status; 200 for an error inside the stream
	Code      string // Bedrock's exception name, "ThrottlingException"
	Message   string // the service's message
	RequestID string
	Model     string
	Region    string
	Attempts  int
	Fix       string
	// Endpoint and EndpointSource are set for KindUnreachable: the URL
	// that could not be reached and what named it (Config.EndpointSource).
	Endpoint       string
	EndpointSource string

	retryAfter time.Duration
	err        error // the network error behind KindUnreachable
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Kind == KindUnreachable {
		// One sentence: where, set by what, and why.
		fmt.Fprintf(&b, "cannot reach %s", e.Endpoint)
		if e.EndpointSource != "" {
			fmt.Fprintf(&b, " (%s)", e.EndpointSource)
		}
		fmt.Fprintf(&b, ": %s", e.Message)
		return b.String()
	}
	b.WriteString(e.Kind.String())
	if e.Model != "" {
		fmt.Fprintf(&b, " (model %s", e.Model)
		if e.Region != "" {
			fmt.Fprintf(&b, " in %s", e.Region)
		}
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Code != "" && !strings.Contains(e.Message, e.Code) {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	return b.String()
}

// Hint is the fix, printed under the message by the CLI.
func (e *APIError) Hint() string { return e.Fix }

// Unwrap is the network error of an unreachable endpoint, nil otherwise.
func (e *APIError) Unwrap() error { return e.err }

// Is lets callers test the kind with errors.Is(err, provider.ErrThrottled).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrThrottled:
		return e.Kind == KindThrottled
	case ErrAuth:
		return e.Kind == KindAuth
	case ErrAccessDenied:
		return e.Kind == KindAccessDenied
	case ErrMarketplace:
		return e.Kind == KindMarketplace
	case ErrOnDemand:
		return e.Kind == KindOnDemand
	case ErrInvalidModel:
		return e.Kind == KindInvalidModel
	case ErrCachingUnsupported:
		return e.Kind == KindCachingUnsupported
	case ErrUnavailable:
		return e.Kind == KindUnavailable
	case ErrUnreachable:
		return e.Kind == KindUnreachable
	}
	return false
}

// retryable reports whether another attempt may succeed.
func (e *APIError) retryable() bool {
	switch e.Kind {
	case KindThrottled, KindUnavailable, KindModelNotReady, KindTimeout, KindConnection, KindStreamError:
		return true
	}
	return false
}

// classify turns an HTTP status, Bedrock exception name and message into a
// kind. Bedrock's x-amzn-ErrorType is authoritative; the status and the
// message decide when it is absent (a gateway in between, the Anthropic
// API).
func classify(status int, code, message string) Kind {
	lc := strings.ToLower(message)
	switch strings.ToLower(code) {
	case "throttlingexception", "toomanyrequestsexception", "rate_limit_error":
		return KindThrottled
	case "servicequotaexceededexception":
		return KindQuota
	case "modelnotreadyexception":
		return KindModelNotReady
	case "modeltimeoutexception":
		return KindTimeout
	case "modelstreamerrorexception":
		return KindStreamError
	case "serviceunavailableexception", "internalserverexception", "overloaded_error", "api_error":
		return KindUnavailable
	case "expiredtokenexception", "expiredtoken", "unrecognizedclientexception", "invalidsignatureexception",
		"incompletesignatureexception", "missingauthenticationtokenexception", "authentication_error":
		return KindAuth
	case "accessdeniedexception", "permission_error":
		// An invalid Bedrock API key is reported as AccessDenied.
		if strings.Contains(lc, "authentication failed") || strings.Contains(lc, "api key") {
			return KindAuth
		}
		if strings.Contains(lc, "aws-marketplace") || strings.Contains(lc, "marketplace") {
			return KindMarketplace
		}
		return KindAccessDenied
	case "validationexception", "invalid_request_error":
		switch {
		case strings.Contains(lc, "on-demand throughput"):
			return KindOnDemand
		case strings.Contains(lc, "model identifier is invalid"):
			return KindInvalidModel
		case strings.Contains(lc, "cach") && (strings.Contains(lc, "not supported") || strings.Contains(lc, "not available") || strings.Contains(lc, "unsupported")):
			return KindCachingUnsupported
		}
		return KindValidation
	}
	switch {
	case status == http.StatusTooManyRequests:
		return KindThrottled
	case status == http.StatusUnauthorized:
		return KindAuth
	case status == http.StatusForbidden && (strings.Contains(lc, "security token") || strings.Contains(lc, "signature")):
		return KindAuth
	case status == http.StatusForbidden:
		return classify(status, "AccessDeniedException", message)
	case status == http.StatusBadRequest:
		return classify(status, "ValidationException", message)
	case status == 529 || status >= 500:
		return KindUnavailable
	}
	return KindUnknown
}
