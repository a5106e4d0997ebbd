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
	auth       *awsauth.Auth
	region     string
	pathPrefix string
	// customAuth is an Authorization header from ANTHROPIC_CUSTOM_HEADERS,
	// kept in skip-auth mode for gateways that want their own token.
	customAuth string
	signer     *v4.Signer
	now        func() time.Time
}

func (m *authMiddleware) handle(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	// The adapter signed with a placeholder bearer token; drop it.
	r.Header.Del("Authorization")
	if m.pathPrefix != "" {
		r.URL.Path = m.pathPrefix + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = m.pathPrefix + r.URL.RawPath
		}
	}
	switch m.auth.Mode() {
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
		if err := m.signer.SignHTTP(r.Context(), creds, r, hex.EncodeToString(sum[:]), "bedrock", m.region, m.now()); err != nil {
			return nil, err
		}
	}
	return next(r)
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
