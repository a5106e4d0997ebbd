package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are the failures the emulator injects, drawn from a seeded
// generator so that a run with the same requests in the same order
// fails the same way.
type Faults struct {
	Throttle    float64 // P(429 ThrottlingException) per invocation
	Unavailable float64 // P(503 ServiceUnavailableException) per invocation
	// Disconnect is P(connection cut mid-response) per invocation.
	Disconnect float64
	// StreamError is P(an exception frame after some chunks) per
	// streamed invocation: throttlingException or modelStreamErrorException.
	StreamError float64
	// ExpireAfter, when positive, refuses every SigV4 access key with
	// ExpiredTokenException after that many requests signed with it.
	ExpireAfter int
	Latency     time.Duration // delay before each streamed chunk
	Seed        uint64
	// Overloaded refuses every invocation of a model whose ID contains
	// it with 503 ServiceUnavailableException: a model that stays
	// overloaded while others answer (what --fallback-model is for).
	Overloaded string
}

var faultKeys = []string{"throttle", "unavailable", "disconnect", "stream-error", "expire-after", "latency", "seed", "overloaded"}

// ParseFaults reads a fault spec such as
// "throttle=0.2,unavailable=0.05,disconnect=0.1,stream-error=0.05,expire-after=3,latency=20ms,seed=7".
// The empty spec injects nothing. Without seed= the seed is 0, so runs are
// still reproducible.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return Faults{}, fmt.Errorf("faults: %q: want KEY=VALUE", item)
		}
		if seen[k] {
			return Faults{}, fmt.Errorf("faults: %s given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "throttle":
			f.Throttle, err = parseProbability(v)
		case "unavailable":
			f.Unavailable, err = parseProbability(v)
		case "disconnect":
			f.Disconnect, err = parseProbability(v)
		case "stream-error":
			f.StreamError, err = parseProbability(v)
		case "expire-after":
			f.ExpireAfter, err = strconv.Atoi(v)
			if err == nil && f.ExpireAfter < 1 {
				err = fmt.Errorf("want a number of requests, 1 or more")
			}
		case "latency":
			f.Latency, err = time.ParseDuration(v)
			if err == nil && f.Latency < 0 {
				err = fmt.Errorf("want a duration such as 20ms, not negative")
			}
		case "seed":
			f.Seed, err = strconv.ParseUint(v, 10, 64)
		case "overloaded":
			f.Overloaded = v
			if v == "" {
				err = fmt.Errorf("want part of a model ID, e.g. overloaded=sonnet")
			}
		default:
			return Faults{}, fmt.Errorf("faults: unknown key %q (want one of %s)", k, strings.Join(faultKeys, ", "))
		}
		if err != nil {
			return Faults{}, fmt.Errorf("faults: %s=%s: %w", k, v, unwrapNum(err))
		}
	}
	return f, nil
}

func parseProbability(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(p) || p < 0 || p > 1 {
		return 0, fmt.Errorf("want a probability between 0 and 1")
	}
	return p, nil
}

// unwrapNum drops strconv's repetition of the input from its errors.
func unwrapNum(err error) error {
	if ne, ok := err.(*strconv.NumError); ok {
		return ne.Err
	}
	return err
}

func (f Faults) validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"throttle", f.Throttle}, {"unavailable", f.Unavailable}, {"disconnect", f.Disconnect}, {"stream-error", f.StreamError}} {
		if math.IsNaN(p.v) || p.v < 0 || p.v > 1 {
			return fmt.Errorf("faults: %s=%v: want a probability between 0 and 1", p.name, p.v)
		}
	}
	if f.ExpireAfter < 0 || f.Latency < 0 {
		return fmt.Errorf("faults: expire-after and latency must not be negative")
	}
	return nil
}

func (f Faults) random() bool {
	return f.Throttle > 0 || f.Unavailable > 0 || f.Disconnect > 0 || f.StreamError > 0
}

// faultState is the generator and the per-key counters of one server.
type faultState struct {
	cfg  Faults
	mu   sync.Mutex
	rng  *rand.Rand
	uses map[string]int // requests per access key, for expire-after
}

func newFaultState(f Faults) *faultState {
	return &faultState{
		cfg:  f,
		rng:  rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15)),
		uses: map[string]int{},
	}
}

// faultDraw is what happens to one invocation.
type faultDraw struct {
	throttle, unavailable bool
	disconnect            bool
	streamError           bool
	at                    float64 // where in the stream the fault strikes, [0,1)
	modelStreamError      bool    // which exception stream-error sends
}

// draw decides the faults of one invocation. It always consumes the same
// six numbers, so the faults of request n depend only on the seed and n.
func (s *faultState) draw() faultDraw {
	if !s.cfg.random() {
		return faultDraw{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := [6]float64{}
	for i := range u {
		u[i] = s.rng.Float64()
	}
	d := faultDraw{
		throttle:         u[0] < s.cfg.Throttle,
		unavailable:      u[1] < s.cfg.Unavailable,
		disconnect:       u[2] < s.cfg.Disconnect,
		streamError:      u[3] < s.cfg.StreamError,
		at:               u[4],
		modelStreamError: u[5] < 0.5,
	}
	return d
}

// expired counts one request signed with key and reports whether the key
// has now exceeded its expire-after allowance. An expired key stays
// expired; new credentials (a new key) start afresh, which is what a
// refresh gives a client.
func (s *faultState) expired(key string) bool {
	if s.cfg.ExpireAfter <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uses[key]++
	return s.uses[key] > s.cfg.ExpireAfter
}
