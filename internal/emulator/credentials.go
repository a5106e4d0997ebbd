package emulator

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
)

// Credentials are the identities the emulator accepts when it runs with
// --credentials: SigV4 access keys, verified fully, and Bedrock API keys
// sent as bearer tokens. The zero value accepts nobody.
type Credentials struct {
	Keys         []Key    `json:"keys"`
	BearerTokens []string `json:"bearer_tokens"`
}

// Key is one SigV4 identity. When SessionToken is set, a request signed with
// the key must carry the same X-Amz-Security-Token; when it is empty the
// header is not checked, so a key file can stay valid across STS refreshes.
type Key struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token"`
}

// String keeps secrets out of %v output, which is how they would otherwise
// end up in test failures and logs.
func (k Key) String() string {
	return fmt.Sprintf("{access_key_id:%s secret_access_key:%s session_token:%s}",
		k.AccessKeyID, redact(k.SecretAccessKey), redact(k.SessionToken))
}

// LogValue redacts the key for slog (STYLE.md: credential types redact
// themselves).
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", k.AccessKeyID),
		slog.String("secret_access_key", redact(k.SecretAccessKey)),
		slog.String("session_token", redact(k.SessionToken)),
	)
}

// String lists the access key IDs and counts the bearer tokens; it never
// prints a secret.
func (c Credentials) String() string {
	ids := make([]string, len(c.Keys))
	for i, k := range c.Keys {
		ids[i] = k.AccessKeyID
	}
	return fmt.Sprintf("{keys:[%s] bearer_tokens:%d}", strings.Join(ids, " "), len(c.BearerTokens))
}

// LogValue is the slog form of [Credentials.String].
func (c Credentials) LogValue() slog.Value {
	ids := make([]string, len(c.Keys))
	for i, k := range c.Keys {
		ids[i] = k.AccessKeyID
	}
	return slog.GroupValue(
		slog.Any("access_key_ids", ids),
		slog.Int("bearer_tokens", len(c.BearerTokens)),
	)
}

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "<redacted>"
}

// LoadCredentials reads a --credentials file. Syntax and type errors name
// FILE:LINE:COL; unknown fields, a key without an ID or secret, duplicate
// access key IDs, empty bearer tokens and a file that accepts nobody are
// errors too, because each is a typo that would otherwise surface as a
// confusing 403 much later. Errors never contain a secret.
func LoadCredentials(path string) (*Credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load credentials: %w", err)
	}
	creds, err := parseCredentials(data)
	if err != nil {
		return nil, fmt.Errorf("load credentials: %s%w", positionPrefix(path, data, err), err)
	}
	return creds, nil
}

// credentialsSyntaxError carries the byte offset of a decoding failure so
// LoadCredentials can turn it into a line and column.
type credentialsSyntaxError struct {
	offset int64
	err    error
}

func (e *credentialsSyntaxError) Error() string { return e.err.Error() }
func (e *credentialsSyntaxError) Unwrap() error { return e.err }

func parseCredentials(data []byte) (*Credentials, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Credentials
	if err := dec.Decode(&c); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty file")
		case errors.As(err, &syn):
			return nil, &credentialsSyntaxError{syn.Offset, err}
		case errors.As(err, &typ):
			return nil, &credentialsSyntaxError{typ.Offset, err}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, &credentialsSyntaxError{int64(len(data)) + 1, err} // just past the end
		}
		// Unknown fields come back without an offset: find the key in the
		// file so the error still points at the typo.
		if off, ok := unknownFieldOffset(data, err); ok {
			return nil, &credentialsSyntaxError{off, err}
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &credentialsSyntaxError{dec.InputOffset(), errors.New("unexpected data after the top-level object")}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Credentials) validate() error {
	var errs []error
	seen := map[string]bool{}
	for i, k := range c.Keys {
		switch {
		case k.AccessKeyID == "":
			errs = append(errs, fmt.Errorf("keys[%d]: missing access_key_id", i))
		case seen[k.AccessKeyID]:
			errs = append(errs, fmt.Errorf("keys[%d]: duplicate access_key_id %q", i, k.AccessKeyID))
		}
		seen[k.AccessKeyID] = true
		if k.SecretAccessKey == "" {
			errs = append(errs, fmt.Errorf("keys[%d]: missing secret_access_key", i))
		}
	}
	for i, t := range c.BearerTokens {
		if strings.TrimSpace(t) == "" {
			errs = append(errs, fmt.Errorf("bearer_tokens[%d]: empty token", i))
		}
	}
	if len(c.Keys) == 0 && len(c.BearerTokens) == 0 {
		errs = append(errs, errors.New("no keys and no bearer_tokens: the emulator would refuse every signed request"))
	}
	return errors.Join(errs...)
}

// unknownFieldOffset finds the first occurrence of the field named in a
// DisallowUnknownFields error that is used as an object key.
func unknownFieldOffset(data []byte, err error) (int64, bool) {
	_, quoted, ok := strings.Cut(err.Error(), "unknown field ")
	if !ok {
		return 0, false
	}
	name, uerr := strconv.Unquote(quoted)
	if uerr != nil {
		return 0, false
	}
	needle, _ := json.Marshal(name)
	for start := 0; ; {
		i := bytes.Index(data[start:], needle)
		if i < 0 {
			return 0, false
		}
		end := start + i + len(needle)
		if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
			return int64(start + i + 1), true
		}
		start = end
	}
}

// positionPrefix is "FILE:LINE:COL: " for errors that know their offset and
// "FILE: " for the rest.
func positionPrefix(path string, data []byte, err error) string {
	var se *credentialsSyntaxError
	if !errors.As(err, &se) {
		return path + ": "
	}
	line, col := lineCol(data, se.offset)
	return fmt.Sprintf("%s:%d:%d: ", path, line, col)
}

// lineCol converts a byte offset into a 1-based line and column (in bytes).
// encoding/json reports the offset just past the offending byte, so the
// column points at it; an offset past the end points just after the file.
func lineCol(data []byte, offset int64) (line, col int) {
	before := data[:min(offset, int64(len(data)))]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// key returns the key with the access key ID.
func (c *Credentials) key(accessKeyID string) (Key, bool) {
	for _, k := range c.Keys {
		if k.AccessKeyID == accessKeyID {
			return k, true
		}
	}
	return Key{}, false
}

// hasBearer reports whether token is one of the configured API keys, in
// constant time per candidate so response timing says nothing about how
// close a guess was.
func (c *Credentials) hasBearer(token string) bool {
	found := false
	for _, t := range c.BearerTokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			found = true
		}
	}
	return found
}
