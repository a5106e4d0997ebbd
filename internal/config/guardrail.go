package config

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// The request headers that apply a Bedrock guardrail (InvokeModel API
// reference). Bedrock matches header names case-insensitively.
const (
	HeaderGuardrailID      = "X-Amzn-Bedrock-GuardrailIdentifier"
	HeaderGuardrailVersion = "X-Amzn-Bedrock-GuardrailVersion"
)

// The shapes Bedrock accepts in those headers (the patterns of the API
// reference): an ID, or the guardrail's ARN, and a version.
var (
	guardrailIDPattern      = lazyre.New(`^[a-z0-9]+$`)
	guardrailARNPattern     = lazyre.New(`^arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):guardrail/([a-z0-9]+)$`)
	guardrailVersionPattern = lazyre.New(`^([1-9][0-9]{0,7}|DRAFT)$`)
)

// Guardrail is a Bedrock guardrail as requests name it. It is the one
// place that knows how the guardrail headers are spelt and what they may
// hold: setup writes them, doctor checks them and iam-policy grants them
// through it.
type Guardrail struct {
	// ID is the guardrail's identifier (lowercase letters and digits)
	// or its ARN.
	ID string
	// Version is a published version number (1 to 99999999) or DRAFT.
	Version string
}

// ParseGuardrail reads "ID:VERSION", the form of `basalt setup
// --guardrail`, and validates both parts. The ID may be an ARN, which
// has colons of its own: the version is what follows the last one. The
// error does not repeat spec: the caller names where it came from.
func ParseGuardrail(spec string) (Guardrail, error) {
	i := strings.LastIndex(spec, ":")
	if i <= 0 || i == len(spec)-1 {
		return Guardrail{}, errors.New("want ID:VERSION, e.g. abc123def456:1")
	}
	g := Guardrail{ID: spec[:i], Version: spec[i+1:]}
	if err := g.Validate(); err != nil {
		return Guardrail{}, err
	}
	return g, nil
}

// GuardrailFrom reads the guardrail that headers name. Either field is
// empty when its header is absent (a guardrail half set up is for
// [Guardrail.Validate] or doctor to report); ok is false when neither is
// there.
func GuardrailFrom(headers []Header) (g Guardrail, ok bool) {
	for _, h := range headers {
		switch {
		case strings.EqualFold(h.Name, HeaderGuardrailID):
			g.ID, ok = h.Value, true
		case strings.EqualFold(h.Name, HeaderGuardrailVersion):
			g.Version, ok = h.Value, true
		}
	}
	return g, ok
}

// Validate reports every problem with g at once, on one line, as a flag
// error is printed.
func (g Guardrail) Validate() error {
	idErr, versionErr := ValidateGuardrailID(g.ID), ValidateGuardrailVersion(g.Version)
	if idErr != nil && versionErr != nil {
		return fmt.Errorf("%w; %w", idErr, versionErr)
	}
	return cmp.Or(idErr, versionErr)
}

// ValidateGuardrailID checks a guardrail ID or ARN alone, for a form
// that asks for each part in its own field.
func ValidateGuardrailID(id string) error {
	if id == "" {
		return errors.New("the guardrail ID is empty: want its ID (lowercase letters and digits) or its ARN")
	}
	if !guardrailIDPattern().MatchString(id) && !guardrailARNPattern().MatchString(id) {
		return fmt.Errorf("%q is neither a guardrail ID (lowercase letters and digits) nor a guardrail ARN", id)
	}
	return nil
}

// ValidateGuardrailVersion checks a guardrail version alone.
func ValidateGuardrailVersion(version string) error {
	if !guardrailVersionPattern().MatchString(version) {
		return fmt.Errorf("%q is not a guardrail version: want a published version number (1, 2, …) or DRAFT", version)
	}
	return nil
}

// String is the "ID:VERSION" form [ParseGuardrail] reads.
func (g Guardrail) String() string {
	return g.ID + ":" + g.Version
}

// Headers are the request headers that apply g.
func (g Guardrail) Headers() []Header {
	return []Header{{Name: HeaderGuardrailID, Value: g.ID}, {Name: HeaderGuardrailVersion, Value: g.Version}}
}

// Region is the region of a guardrail named by its ARN, or "" for a
// plain ID (which names a guardrail in the region requests go to).
func (g Guardrail) Region() string {
	if m := guardrailARNPattern().FindStringSubmatch(g.ID); m != nil {
		return m[2]
	}
	return ""
}

// ARN is the guardrail's ARN: its ID when that is one, else built from
// the partition, region and account requests go to ("*" for an unknown
// account).
func (g Guardrail) ARN(partition, region, account string) string {
	if strings.HasPrefix(g.ID, "arn:") {
		return g.ID
	}
	if account == "" {
		account = "*"
	}
	return fmt.Sprintf("arn:%s:bedrock:%s:%s:guardrail/%s", partition, region, account, g.ID)
}

// WithGuardrail returns the ANTHROPIC_CUSTOM_HEADERS text customHeaders
// with its guardrail lines replaced by g's, every other line kept as
// written.
func WithGuardrail(customHeaders string, g Guardrail) string {
	var lines []string
	for _, l := range strings.Split(customHeaders, "\n") {
		name, _, _ := strings.Cut(l, ":")
		name = strings.TrimSpace(name)
		if strings.TrimSpace(l) == "" || strings.EqualFold(name, HeaderGuardrailID) || strings.EqualFold(name, HeaderGuardrailVersion) {
			continue
		}
		lines = append(lines, l)
	}
	for _, h := range g.Headers() {
		lines = append(lines, h.Name+": "+h.Value)
	}
	return strings.Join(lines, "\n")
}
