package provider

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/option"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/basalt-dev/basalt/internal/awsauth"
)

// authMiddleware runs after the Anthropic SDK's bedrock middleware, which
// rewrites the request for Bedrock and translates the event stream, and
// owns everything about who the request is from: SigV4 with the current
// credentials (fetched per request, so a refresh applies to the next
// attempt), the bearer token, or nothing for gateways that sign
// themselves. It also puts back a base-URL path prefix, which the adapter
// cannot handle, before signing so the signature covers the real path.
type authMiddleware struct {
	auth *awsauth.Auth
	// service is the SigV4 signing name: bedrock, or bedrock-mantle.
	service    string
	region     string
	pathPrefix string
	// customAuth is an Authorization header from ANTHROPIC_CUSTOM_HEADERS,
	// kept in skip-auth mode for gateways that want their own token.
	customAuth string
	signer     *v4.Signer
	now        func() time.Time
	// skipAuth sends requests unsigned whatever the credentials
	// (CLAUDE_CODE_SKIP_MANTLE_AUTH; Bedrock's skip is the auth's mode).
	skipAuth bool
}

// The SigV4 signing names of Bedrock's endpoints.
const (
	sigV4Bedrock = "bedrock"
	sigV4Mantle  = "bedrock-mantle"
)

func (m *authMiddleware) handle(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	// The adapter signed with a placeholder bearer token; drop it.
	r.Header.Del("Authorization")
	if m.pathPrefix != "" {
		r.URL.Path = m.pathPrefix + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = m.pathPrefix + r.URL.RawPath
		}
	}
	switch m.mode() {
	case awsauth.ModeNone:
		if m.customAuth != "" {
			r.Header.Set("Authorization", m.customAuth)
		}
	case awsauth.ModeBearer:
		r.Header.Set("Authorization", "Bearer "+m.auth.BearerToken())
	default:
		creds, err := m.auth.Credentials(r.Context())
		if err != nil {
			return nil, err
		}
		body, err := readBody(r)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		payload := hex.EncodeToString(sum[:])
		// Signed, as Claude Code's SDKs sign it: a gateway that checks
		// the body's hash finds it where AWS's own clients put it.
		r.Header.Set("X-Amz-Content-Sha256", payload)
		if err := m.signer.SignHTTP(r.Context(), creds, r, payload, m.service, m.region, m.now()); err != nil {
			return nil, err
		}
	}
	return next(r)
}

// mode is the authentication of this endpoint: the credentials' mode,
// or none where the endpoint's skip-auth variable says a gateway signs.
func (m *authMiddleware) mode() awsauth.Mode {
	if m.skipAuth {
		return awsauth.ModeNone
	}
	return m.auth.Mode()
}

// readBody returns the request body and leaves it readable again.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, nil
}

// splitBaseURL separates a base URL into the origin the SDK is given and
// the path prefix the middleware adds back.
func splitBaseURL(base string) (origin, prefix string) {
	base = strings.TrimRight(base, "/")
	i := strings.Index(base, "://")
	if i < 0 {
		return base, ""
	}
	rest := base[i+3:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		return base[:i+3+j], rest[j:]
	}
	return base, ""
}
