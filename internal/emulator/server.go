package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Options configure a [Server]. The zero value serves the emulator's own
// profile table for us-east-1 with fixed replies, no faults and no ledger,
// and accepts any well-formed SigV4 or bearer Authorization unverified.
type Options struct {
	Region  string // default "us-east-1"
	Account string // default "123456789012", used in ARNs

	// Scenario scripts the model's replies; nil: every reply is a short
	// fixed text.
	Scenario *Scenario

	// Credentials are the keys and bearer tokens to accept, with full
	// SigV4 verification; nil: any well-formed SigV4 or bearer header is
	// accepted unverified.
	Credentials *Credentials

	// AllowUnsigned accepts requests without Authorization, like a
	// gateway that signs on the client's behalf.
	AllowUnsigned bool

	Faults Faults

	// Models are the inference-profile IDs served; nil: the emulator's own
	// table for the region. See [New] for what an entry may be.
	Models []string

	Guardrails []Guardrail

	// Ledger, when set, receives one JSON line per request ([Record]).
	Ledger io.Writer
	// Log, when set, receives one human-readable line per request.
	Log io.Writer

	// Now is the clock of the prompt cache, the ledger and the latency
	// figures; default time.Now. Tests control time through it. SigV4
	// skew checks use the wall clock, as the clients that sign do.
	Now func() time.Time
}

// Server is a local Amazon Bedrock for Anthropic models. It is safe for
// concurrent use.
type Server struct {
	opts     Options
	mux      *http.ServeMux
	notFound http.Handler
	profiles *profileTable // of opts.Region
	regional regionalProfiles
	cache    *promptCache
	faults   *faultState
	ledger   *ledger
	guards   map[string]Guardrail
	ids      idSource
	sigs     signatures // of the thinking blocks issued (thinkinghistory.go)
}

var accountPattern = lazyre.New(`^[0-9]{12}$`)

// New checks opts and builds a server. Each entry of opts.Models is a
// system-defined profile ID offered in opts.Region (one the emulator's
// table does not know is served as a new Anthropic model) or the ID of one
// of the emulator's application profiles; an application profile is also
// served when a served system profile has its model.
func New(opts Options) (*Server, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log != nil {
		// The ledger and net/http's error log both write to it.
		opts.Log = &syncWriter{w: opts.Log}
	}
	if !regionPattern().MatchString(opts.Region) {
		return nil, fmt.Errorf("region %q: want a region name such as us-east-1", opts.Region)
	}
	if !accountPattern().MatchString(opts.Account) {
		return nil, fmt.Errorf("account %q: want 12 digits", opts.Account)
	}
	if err := opts.Faults.validate(); err != nil {
		return nil, err
	}
	profiles, err := newProfileTable(opts.Region, opts.Account, opts.Models)
	if err != nil {
		return nil, err
	}
	if len(profiles.list) == 0 {
		return nil, fmt.Errorf("region %s: no model to serve", opts.Region)
	}
	guards := map[string]Guardrail{}
	for _, g := range opts.Guardrails {
		if g.Pattern == nil || !guardrailIDPattern().MatchString(g.ID) || !guardrailVersionPattern().MatchString(g.Version) {
			return nil, fmt.Errorf("guardrail %s:%s: want a lowercase alphanumeric ID, a version (1… or DRAFT) and a pattern", g.ID, g.Version)
		}
		if _, dup := guards[g.ID]; dup {
			return nil, fmt.Errorf("guardrail %s: configured twice", g.ID)
		}
		guards[g.ID] = g
	}
	s := &Server{
		opts:     opts,
		profiles: profiles,
		cache:    newPromptCache(opts.Now),
		faults:   newFaultState(opts.Faults),
		ledger:   newLedger(opts.Ledger, opts.Log),
		guards:   guards,
	}
	s.mux = s.routes()
	return s, nil
}

// syncWriter serializes writes from several goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

var regionPattern = lazyre.New(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// ServeHTTP serves one Bedrock request. Disconnect faults abort the
// response with panic(http.ErrAbortHandler), which net/http turns into a
// cut connection; callers that invoke ServeHTTP directly with faults on
// must recover it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// ServeMux redirects unclean paths (//, ..) with a 301; Bedrock has no
	// such path, so it is an unknown operation like any other.
	if p := r.URL.Path; p != "" && path.Clean(p) != strings.TrimSuffix(p, "/") && path.Clean(p) != p {
		s.notFound.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Serve answers requests on ln, over HTTP/1.1 and cleartext HTTP/2 (h2c,
// which the AWS JS SDK uses), until ctx is cancelled; then it shuts down
// gracefully, giving in-flight streams a few seconds to finish, and
// returns nil. It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{
		Handler:           s,
		Protocols:         &protocols,
		ReadHeaderTimeout: 30 * time.Second,
		// net/http's own complaints (a client hanging up mid-frame, a bad
		// preface) go where the request lines go, never to the
		// process's stderr uninvited.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	if s.opts.Log != nil {
		srv.ErrorLog = log.New(s.opts.Log, "emulator: ", 0)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("emulator: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Streams that outlive the grace period are cut.
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("emulator: serve: %w", err)
	}
	return nil
}

// Records returns a copy of the in-process ledger, oldest first: the same
// records that go to Options.Ledger, most recent 65,536 only.
func (s *Server) Records() []Record {
	return s.ledger.records()
}
