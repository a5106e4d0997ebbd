package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file is the emulator's own SigV4 verifier. It deliberately does not
// use aws/signer/v4: the point of the emulator is to check basalt's client
// (which signs with the SDK) against an independent reading of the
// protocol. The tests check it against the SDK signer instead.
//
// Error wording follows what AWS front doors answer; where a message is
// known only from third-party captures the source is named next to it.

const (
	sigV4Algorithm  = "AWS4-HMAC-SHA256"
	sigV4Service    = "bedrock" // both bedrock and bedrock-runtime sign as "bedrock" (reference §5.1)
	sigV4Terminator = "aws4_request"
	sigV4TimeFormat = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"

	// maxClockSkew is how far X-Amz-Date may be from the server clock;
	// AWS answers "... - 5 min." for most services.
	maxClockSkew = 5 * time.Minute
)

// authInfo is who a request authenticated as, for the ledger and for
// per-key faults (expire-after).
type authInfo struct {
	Scheme      string // "sigv4" | "bearer" | "none"
	AccessKeyID string
	Region      string // from the SigV4 credential scope
}

// authenticate verifies the request's Authorization header.
//
// With creds == nil any well-formed SigV4 or Bearer header is accepted
// without verification; the SigV4 header is still parsed so the access key
// and region reach the ledger. "Well-formed" means: a supported algorithm,
// the Credential, SignedHeaders and Signature parameters, a five-part
// credential and a parseable X-Amz-Date. Scope, clock skew and signature
// are checked only against real credentials, so a test whose server clock
// is fake still works without --credentials.
//
// With creds the signature is verified fully (see [canonicalRequest]), and
// the request's X-Amz-Date must be within 5 minutes of now, which must be
// the wall clock, not a test clock that jumps hours ahead.
//
// Without an Authorization header the request passes (Scheme "none") only
// if allowUnsigned; otherwise it gets what Bedrock answers a request with
// no credentials: 403 AccessDeniedException "Authorization header is
// missing" (observed on bedrock-runtime in karthink/gptel#1397 and
// anthropics/claude-code#45000; generic coral services answer
// MissingAuthenticationTokenException instead, Bedrock does not).
//
// body is the complete request body; it is hashed when the client did not
// send X-Amz-Content-Sha256, and compared with it when it did.
//
// On failure the returned authInfo still says as much as could be parsed
// (the scheme, and for SigV4 the access key and region), so the ledger can
// show who was refused.
func authenticate(r *http.Request, body []byte, creds *Credentials, allowUnsigned bool, now time.Time) (authInfo, *apiError) {
	return authenticateFor(sigV4Service, r, body, creds, allowUnsigned, now)
}

// authenticateFor is [authenticate] for an endpoint whose SigV4 signing
// name is service: "bedrock" for the runtime and control plane,
// "bedrock-mantle" for Mantle.
func authenticateFor(service string, r *http.Request, body []byte, creds *Credentials, allowUnsigned bool, now time.Time) (authInfo, *apiError) {
	authz := strings.TrimSpace(r.Header.Get("Authorization"))
	if authz == "" {
		if allowUnsigned {
			return authInfo{Scheme: "none"}, nil
		}
		return authInfo{Scheme: "none"}, errAccessDenied("Authorization header is missing")
	}
	scheme, rest, _ := strings.Cut(authz, " ")
	if strings.EqualFold(scheme, "Bearer") {
		return authenticateBearer(strings.TrimSpace(rest), creds)
	}
	return authenticateSigV4(service, r, body, authz, creds, now)
}

// authenticateBearer checks a Bedrock API key. Bedrock answers an unknown
// key with 403 {"Message":"Authentication failed: Please make sure your API
// Key is valid."} (ai4s-research/open-science#53, anomalyco/opencode#47073).
// The exception name is not in those captures; AccessDeniedException is
// what the same front door sends for a missing header, so we use it.
func authenticateBearer(token string, creds *Credentials) (authInfo, *apiError) {
	if token == "" || (creds != nil && !creds.hasBearer(token)) {
		return authInfo{Scheme: "bearer"}, errInvalidAPIKey()
	}
	return authInfo{Scheme: "bearer"}, nil
}

func errInvalidAPIKey() *apiError {
	return errAccessDenied("Authentication failed: Please make sure your API Key is valid.")
}

// errIncompleteSignature is a malformed SigV4 header. The Bedrock
// troubleshooting page lists IncompleteSignature as HTTP 400, as coral
// services answer it (docs.aws.amazon.com/bedrock/latest/userguide/
// troubleshooting-api-error-codes.html).
func errIncompleteSignature(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "IncompleteSignatureException", msg}
}

// errSignatureRejected is an InvalidSignatureException whose message is not
// the signature-mismatch text (scope, skew, unsigned host).
func errSignatureRejected(msg string) *apiError {
	return &apiError{http.StatusForbidden, "InvalidSignatureException", msg}
}

// sigV4Auth is a parsed "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…" header.
type sigV4Auth struct {
	credential    string
	accessKeyID   string
	scopeDate     string
	region        string
	service       string
	terminator    string
	signedHeaders []string // lowercased and sorted
	signature     string
}

func authenticateSigV4(service string, r *http.Request, body []byte, authz string, creds *Credentials, now time.Time) (authInfo, *apiError) {
	auth, amzDate, signedAt, aerr := parseSigV4(r, authz)
	if aerr != nil {
		if strings.HasPrefix(authz, sigV4Algorithm) {
			return authInfo{Scheme: "sigv4"}, aerr
		}
		return authInfo{}, aerr // not recognisably any scheme
	}
	info := authInfo{Scheme: "sigv4", AccessKeyID: auth.accessKeyID, Region: auth.region}
	if creds == nil {
		return info, nil
	}

	// The order of the checks follows the one AWS front doors use (as
	// recorded by mhart/dynalite): time, host, scope, key, signature,
	// session token.
	if aerr := checkSkew(signedAt, now); aerr != nil {
		return info, aerr
	}
	if !auth.signsHost() {
		return info, errSignatureRejected("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if msg := auth.scopeProblems(amzDate, service); msg != "" {
		return info, errSignatureRejected(msg)
	}
	key, ok := creds.key(auth.accessKeyID)
	if !ok {
		return info, errUnrecognizedClient()
	}

	hash, hashOK := payloadHash(r, body)
	canonical := canonicalRequest(r, auth.signedHeaders, hash)
	stringToSign := sigV4StringToSign(amzDate, auth.scope(), canonical)
	want := sigV4Signature(key.SecretAccessKey, auth.scopeDate, auth.region, auth.service, stringToSign)
	if !hashOK || subtle.ConstantTimeCompare([]byte(want), []byte(auth.signature)) != 1 {
		// The detail shows the canonical request we built, with the
		// session token masked: it is a credential, and error messages
		// end up in logs.
		shown := canonical
		if tok := r.Header.Get("X-Amz-Security-Token"); tok != "" && auth.signs("x-amz-security-token") {
			shown = strings.ReplaceAll(shown, "\nx-amz-security-token:"+cleanHeaderValue(tok)+"\n", "\nx-amz-security-token:<redacted>\n")
		}
		return info, errInvalidSignature(fmt.Sprintf(
			"The Canonical String for this request should have been\n'%s'\n\nThe String-to-Sign should have been\n'%s'\n",
			shown, stringToSign))
	}
	if key.SessionToken != "" &&
		subtle.ConstantTimeCompare([]byte(key.SessionToken), []byte(r.Header.Get("X-Amz-Security-Token"))) != 1 {
		return info, errUnrecognizedClient()
	}
	return info, nil
}

// parseSigV4 parses the Authorization header and the request time. It
// returns the time both as sent (for the string to sign) and parsed.
func parseSigV4(r *http.Request, authz string) (sigV4Auth, string, time.Time, *apiError) {
	var auth sigV4Auth
	alg, params, hasParams := strings.Cut(authz, " ")
	if alg != sigV4Algorithm {
		if !hasParams {
			// A single word is most likely a bare token: never echo it.
			return auth, "", time.Time{}, errMissingEqualSign(authz)
		}
		return auth, "", time.Time{}, errIncompleteSignature(fmt.Sprintf(
			"Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg))
	}

	fields := map[string]string{}
	for _, p := range strings.Split(params, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return auth, "", time.Time{}, errMissingEqualSign(authz)
		}
		fields[k] = v // the last value wins, as on AWS
	}

	// AWS lists every missing part in one message, in this order
	// (aws/chalice#828 shows all four).
	var missing []string
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if _, ok := fields[name]; !ok {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", name))
		}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	date := r.Header.Get("Date")
	if amzDate == "" && date == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return auth, "", time.Time{}, errIncompleteSignature(strings.Join(missing, " ") + " Authorization=" + authz)
	}

	var signedAt time.Time
	var err error
	if amzDate != "" {
		signedAt, err = time.Parse(sigV4TimeFormat, amzDate)
	} else {
		amzDate = date
		signedAt, err = http.ParseTime(date)
		if err == nil {
			amzDate = signedAt.UTC().Format(sigV4TimeFormat)
		}
	}
	if err != nil {
		return auth, "", time.Time{}, errIncompleteSignature(fmt.Sprintf(
			"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate))
	}

	auth.credential = fields["Credential"]
	parts := strings.Split(auth.credential, "/")
	if len(parts) != 5 {
		return auth, "", time.Time{}, errIncompleteSignature(fmt.Sprintf(
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", auth.credential))
	}
	auth.accessKeyID, auth.scopeDate, auth.region, auth.service, auth.terminator = parts[0], parts[1], parts[2], parts[3], parts[4]

	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			auth.signedHeaders = append(auth.signedHeaders, h)
		}
	}
	sort.Strings(auth.signedHeaders)
	auth.signature = fields["Signature"]
	return auth, amzDate, signedAt, nil
}

// errMissingEqualSign is the newer AWS wording, which hashes the header
// instead of echoing it (awslabs/time-addressable-media-store#8), so a
// token sent without a scheme never appears in a response or a log.
func errMissingEqualSign(authz string) *apiError {
	sum := sha256.Sum256([]byte(authz))
	return errIncompleteSignature(fmt.Sprintf(
		"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '%s'.",
		base64.StdEncoding.EncodeToString(sum[:])))
}

// checkSkew rejects a request signed more than maxClockSkew away from now,
// with AWS's wording, e.g. (m0ngr31/kanzi#270, serverless/enterprise#11):
//
//	Signature expired: 20180707T233021Z is now earlier than 20180710T071214Z (20180710T071714Z - 5 min.)
//	Signature not yet current: 20181120T211543Z is still later than 20181120T211529Z (20181120T211029Z + 5 min.)
func checkSkew(signedAt, now time.Time) *apiError {
	now = now.UTC()
	signed := signedAt.UTC().Format(sigV4TimeFormat)
	if earliest := now.Add(-maxClockSkew); signedAt.Before(earliest) {
		return errSignatureRejected(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			signed, earliest.Format(sigV4TimeFormat), now.Format(sigV4TimeFormat)))
	}
	if latest := now.Add(maxClockSkew); signedAt.After(latest) {
		return errSignatureRejected(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			signed, latest.Format(sigV4TimeFormat), now.Format(sigV4TimeFormat)))
	}
	return nil
}

func (a sigV4Auth) signs(header string) bool {
	for _, h := range a.signedHeaders {
		if h == header {
			return true
		}
	}
	return false
}

// signsHost: HTTP/1.1 clients sign host; the AWS JS SDK over HTTP/2 signs
// :authority instead (reference §5.1).
func (a sigV4Auth) signsHost() bool { return a.signs("host") || a.signs(":authority") }

func (a sigV4Auth) scope() string {
	return a.scopeDate + "/" + a.region + "/" + a.service + "/" + a.terminator
}

// scopeProblems lists everything wrong with the credential scope in one
// message, as AWS does (the exact sentences, including the trailing spaces,
// are from mhart/dynalite's record of DynamoDB answers and from
// "Credential should be scoped to correct service: 'sagemaker'. " in
// disneystreaming/smithy4s#1568). Any region is accepted: clients sign with
// their configured region even when pointed at a custom endpoint.
func (a sigV4Auth) scopeProblems(amzDate, service string) string {
	var b strings.Builder
	if !validRegion(a.region) {
		fmt.Fprintf(&b, "Credential should be scoped to a valid region, not '%s'. ", a.region)
	}
	if a.service != service {
		fmt.Fprintf(&b, "Credential should be scoped to correct service: '%s'. ", service)
	}
	if a.terminator != sigV4Terminator {
		fmt.Fprintf(&b, "Credential should be scoped with a valid terminator: '%s', not '%s'. ", sigV4Terminator, a.terminator)
	}
	if day := amzDate[:min(8, len(amzDate))]; a.scopeDate != day {
		fmt.Fprintf(&b, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			a.scopeDate, day, amzDate)
	}
	return b.String()
}

func validRegion(region string) bool {
	if region == "" {
		return false
	}
	for _, c := range region {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// payloadHash is the hash that goes into the canonical request: the
// client's X-Amz-Content-Sha256 when it sent one (JS signers do; Go and
// boto3 don't), else the SHA-256 of the body. A header that is neither
// UNSIGNED-PAYLOAD nor the body's hash makes ok false and the computed hash
// is returned, so the error shows what the canonical request should have
// held.
func payloadHash(r *http.Request, body []byte) (hash string, ok bool) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	sent := r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case sent == "":
		return computed, true
	case sent == unsignedPayload:
		return sent, true
	case strings.EqualFold(sent, computed):
		return sent, true
	}
	return computed, false
}

// canonicalRequest builds the SigV4 canonical request:
//
//	METHOD \n CANONICAL-URI \n CANONICAL-QUERY \n HEADER-LINES \n SIGNED-HEADERS \n PAYLOAD-HASH
//
// The canonical URI is the path as it came over the wire, normalised as
// for every non-S3 service (RFC 3986 dot segments removed, empty segments
// merged: AWS's normalize-path test vectors) and then percent-encoded a
// second time (only unreserved characters and "/" are kept), which is
// what every AWS signer does for non-S3 services: "%3A" becomes "%253A"
// and a raw ":" becomes "%3A" (reference §5.1).
func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	return buildCanonicalRequest(r, signedHeaders, payloadHash, true)
}

// buildCanonicalRequest is [canonicalRequest] with normalisation a
// choice: S3 signs the path as sent, which the test suite's
// "-unnormalized" cases cover.
func buildCanonicalRequest(r *http.Request, signedHeaders []string, payloadHash string, normalize bool) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	p := wirePath(r)
	if normalize {
		p = normalizePath(p)
	}
	b.WriteString(uriEncode(p, true))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// wirePath is the escaped path exactly as the client sent it. RequestURI
// holds the request target for HTTP/1.1 and the :path pseudo-header for
// HTTP/2; URL.EscapedPath is only a fallback because it may re-encode a
// path differently from the client.
func wirePath(r *http.Request) string {
	p := r.RequestURI
	if p == "" || !strings.HasPrefix(p, "/") {
		p = r.URL.EscapedPath()
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		p = "/"
	}
	return p
}

// normalizePath removes "." and ".." segments and merges runs of "/", and
// keeps a trailing "/" unless nothing is left but the root: "//example//"
// is "/example/", "/example/.." is "/" (AWS's normalize-path vectors).
func normalizePath(p string) string {
	var segs []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	out := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		out += "/"
	}
	return out
}

// canonicalHeaderValue joins a header's values with "," after trimming
// each and collapsing runs of spaces. host and :authority are not in
// r.Header: Go moves both into r.Host.
func canonicalHeaderValue(r *http.Request, name string) string {
	switch name {
	case "host", ":authority":
		return cleanHeaderValue(r.Host)
	}
	values := r.Header.Values(name)
	if len(values) == 0 && name == "content-length" && r.ContentLength >= 0 {
		values = []string{strconv.FormatInt(r.ContentLength, 10)}
	}
	cleaned := make([]string, len(values))
	for i, v := range values {
		cleaned[i] = cleanHeaderValue(v)
	}
	return strings.Join(cleaned, ",")
}

func cleanHeaderValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// canonicalQuery decodes each name and value the way the signers read them
// ("+" is a space, as in url.ParseQuery) and re-encodes them per RFC 3986,
// sorted by name and then value after encoding. A pair that does not decode
// is used as sent, which then fails the signature check.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var pairs []string
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		pairs = append(pairs, uriEncode(k, false)+"="+uriEncode(v, false))
	}
	// Sort on the encoded name, then the encoded value; sorting the joined
	// "k=v" strings would misorder a name that is a prefix of another.
	sort.Slice(pairs, func(i, j int) bool {
		ki, vi, _ := strings.Cut(pairs[i], "=")
		kj, vj, _ := strings.Cut(pairs[j], "=")
		if ki != kj {
			return ki < kj
		}
		return vi < vj
	})
	return strings.Join(pairs, "&")
}

// uriEncode percent-encodes every byte except RFC 3986 unreserved
// characters (and "/" when keepSlash), with uppercase hex.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', keepSlash && c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func sigV4StringToSign(amzDate, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// sigV4Signature derives the signing key from the secret and the scope and
// signs the string to sign.
func sigV4Signature(secret, date, region, service, stringToSign string) string {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, sigV4Terminator)
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
