package oauth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/atomicfile"
)

// DirName is the directory under basalt's state directory that holds the
// records of a [Store].
const DirName = "mcp-auth"

// DefaultDir returns the directory of the Store under stateDir.
func DefaultDir(stateDir string) string { return filepath.Join(stateDir, DirName) }

// Store keeps, for each MCP server, its client registration and its
// tokens as one JSON file, mode 0600, in Dir (created mode 0700 on the
// first write). A record remembers the server URL it was made for: when
// the URL in the configuration changes, the record is no longer used,
// because the tokens and the registration belong to another resource.
type Store struct {
	// Dir is the directory of the records, normally DefaultDir(state dir).
	Dir string
}

// record is one server's file. Secrets live only here and in memory.
type record struct {
	Server string `json:"server"`
	URL    string `json:"url"`
	// Resource is the RFC 8707 resource indicator the tokens were issued
	// for: the canonical server URL from the protected-resource metadata.
	Resource string        `json:"resource,omitempty"`
	Client   *registration `json:"client,omitempty"`
	Token    *token        `json:"token,omitempty"`
}

// registration is what the authorization server told us about our client,
// and the endpoints a refresh needs without a new discovery.
type registration struct {
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret,omitempty"`
	// AuthMethod is the token_endpoint_auth_method: none,
	// client_secret_post or client_secret_basic.
	AuthMethod   string `json:"token_endpoint_auth_method,omitempty"`
	RedirectURI  string `json:"redirect_uri"`
	AuthURL      string `json:"authorization_endpoint"`
	TokenURL     string `json:"token_endpoint"`
	RegisteredAt int64  `json:"registered_at,omitempty"`
	// SecretExpiresAt is client_secret_expires_at (Unix seconds; 0: never).
	SecretExpiresAt int64 `json:"client_secret_expires_at,omitempty"`
}

func (r *registration) secretExpired(now time.Time) bool {
	return r.ClientSecret != "" && r.SecretExpiresAt > 0 && now.Unix() >= r.SecretExpiresAt
}

type token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Scope        string    `json:"scope,omitempty"`
}

// path is the file of server. The name stays readable for a person looking
// at the directory; the hash keeps two names that sanitize alike apart.
func (s Store) path(server string) string {
	sum := sha256.Sum256([]byte(server))
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, server)
	if len(safe) > 64 {
		safe = safe[:64]
	}
	return filepath.Join(s.Dir, safe+"-"+hex.EncodeToString(sum[:4])+".json")
}

// load returns the record of server for serverURL; a missing file, or one
// made for another URL, is an empty record. A file that cannot be read or
// parsed is an error naming it: losing a registration silently would
// register a new client on every login.
func (s Store) load(server, serverURL string) (*record, error) {
	p := s.path(server)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &record{Server: server, URL: serverURL}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read %s: %v (delete the file, then run `basalt mcp login %s`)", p, err, server)
	}
	if r.Server != server || r.URL != serverURL {
		return &record{Server: server, URL: serverURL}, nil
	}
	return &r, nil
}

// save replaces server's file with r atomically, so a crash mid-write
// leaves the old tokens or the new, never a torn file.
func (s Store) save(r *record) error {
	if s.Dir == "" {
		return errors.New("mcp auth store has no directory")
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	// MkdirAll leaves an existing directory's mode alone; one that another
	// tool created wider is narrowed, since it holds secrets.
	if err := os.Chmod(s.Dir, 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.path(r.Server), append(data, '\n'), 0o600)
}

// remove deletes server's file; a missing file is not an error.
func (s Store) remove(server string) error {
	err := os.Remove(s.path(server))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
