package config

import (
	"regexp"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// This file is the one rule of what counts as a secret (STYLE.md "One rule,
// one place"). Everything basalt prints, logs or records about its
// configuration goes through it: config show, doctor, /status, the log
// file, error messages. The rule looks at two things, and either is
// enough to hide a value:
//
//   - the NAME of a variable or header (IsSecret, IsSecretHeader): the
//     known secrets of [Vars], any name that says it holds a credential
//     (…SECRET…, …TOKEN…, …PASS…, …_PAT, …DSN…, …COOKIE…, …SESSION…,
//     …AUTH…, …CREDENTIAL…, …PRIVATE…, …SIGNATURE…, …API_KEY…, …_KEY),
//     every OTEL_…HEADERS, and every request header not known to be
//     harmless (fail closed: Cookie and X-Gateway-Secret are hidden);
//   - the SHAPE of a value, wherever it appears in a text (RedactText):
//     the password of a URL's user-info, JWTs, AWS access key IDs, bearer
//     and basic credentials, GitHub, GitLab, Slack, Anthropic, OpenAI,
//     Stripe, npm and Google key formats, PEM private keys, a secret-named
//     key=value pair inside a text, and long random-looking strings (see
//     looksRandom for the thresholds).
//
// Values are hidden as Redact does: "****" plus the last four characters
// when the value is long enough for those to identify it without
// revealing it.

// IsSecret reports whether the variable's value must never be shown: the
// known secrets, every OTEL_…HEADERS variable, and any variable whose name
// says it holds one (a settings file's env may carry a gateway token basalt
// has never heard of).
func IsSecret(name string) bool {
	if len(name) > 4 && strings.EqualFold(name[:4], "env.") {
		// A settings path ("env.CLAUDE_CODE_SKIP_BEDROCK_AUTH", as trust
		// findings name it) is its variable.
		return IsSecret(name[4:])
	}
	n := strings.ToUpper(name)
	if v, ok := varIndex()[n]; ok && n == name {
		return v.Secret
	}
	if notSecretNames[strings.ReplaceAll(n, "-", "_")] {
		return false
	}
	if strings.HasPrefix(n, "OTEL_") && strings.HasSuffix(n, "HEADERS") {
		return true
	}
	return isSecretName(n)
}

// secretName matches names that announce a credential. It runs on the
// upper-cased name with "-" and "." turned into "_", after benign
// look-alikes are removed (see benignName).
var secretName = lazyre.New(`SECRET|TOKEN|PASS|CREDENTIAL|API_?KEY|PRIVATE|SIGNATURE|COOKIE|SESSION|AUTH|DSN|(^|_)KEY$|(^|_)PAT$`)

// benignName removes the parts of a name that only look like a secret
// name: token counts (MAX_TOKENS, input_tokens), git's author, and session
// identifiers (SESSION_ID names a session, it does not open one).
var benignName = strings.NewReplacer("TOKENS", "", "AUTHOR", "", "SESSION_ID", "")

// notSecretNames are basalt's own names that contain a secret word but
// name a command or a switch, not a credential.
var notSecretNames = map[string]bool{
	"AWSAUTHREFRESH":      true,
	"AWSCREDENTIALEXPORT": true,
	"AWS_AUTH_REFRESH":    true,
	"APIKEYHELPER":        true, // Claude Code's command that prints a key
}

// nameSeparators turns "-" and "." of a name into "_". A Replacer builds
// its tables on first use; one shared instance builds them once, not for
// each of the environment's variables.
var nameSeparators = strings.NewReplacer("-", "_", ".", "_")

func isSecretName(upper string) bool {
	n := nameSeparators.Replace(upper)
	if strings.Contains(n, "AUTHORIZATION") {
		return true
	}
	return secretName().MatchString(benignName.Replace(n))
}

// harmlessHeaders are the request headers whose values are shown. Every
// other header of ANTHROPIC_CUSTOM_HEADERS or OTEL_…HEADERS is hidden: a
// gateway's credential can hide under any name.
var harmlessHeaders = map[string]bool{
	"X-AMZN-BEDROCK-GUARDRAILIDENTIFIER":       true,
	"X-AMZN-BEDROCK-GUARDRAILVERSION":          true,
	"X-AMZN-BEDROCK-TRACE":                     true,
	"X-AMZN-BEDROCK-PERFORMANCECONFIG-LATENCY": true,
	"ANTHROPIC-BETA":                           true,
	"ANTHROPIC-VERSION":                        true,
	"USER-AGENT":                               true,
	"CONTENT-TYPE":                             true,
	"ACCEPT":                                   true,
	"ACCEPT-ENCODING":                          true,
	"ACCEPT-LANGUAGE":                          true,
}

// IsSecretHeader reports whether a request header's value must be hidden:
// every header except the few known to carry no credential.
func IsSecretHeader(name string) bool {
	return !harmlessHeaders[strings.ToUpper(strings.TrimSpace(name))]
}

// RedactHeader returns a header's value as it may be shown.
func RedactHeader(name, value string) string {
	if IsSecretHeader(name) {
		return Redact(value)
	}
	return RedactText(value)
}

// Redact hides a secret value: "****" plus its last four characters when
// the value is long enough (16 characters or more) for those to identify
// it without giving much of it away.
func Redact(value string) string {
	if value == "" {
		return ""
	}
	r := []rune(value)
	if len(r) < 16 {
		return "****"
	}
	return "****" + string(r[len(r)-4:])
}

// RedactVar returns a variable's value as it may be shown: hidden whole
// when the name is a secret's, header by header for
// ANTHROPIC_CUSTOM_HEADERS (names kept), and otherwise with every
// secret-shaped part of the value hidden (RedactText).
func RedactVar(name, value string) string {
	if IsSecret(name) {
		return Redact(value)
	}
	if name == "ANTHROPIC_CUSTOM_HEADERS" {
		return redactHeaderLines(value)
	}
	return RedactText(value)
}

// redactHeaderLines redacts a "Name: value" per line text. A line that is
// not of that form is hidden whole: it may be a value on its own.
func redactHeaderLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || !validHeaderName(strings.TrimSpace(k)) {
			lines[i] = "****"
			continue
		}
		lines[i] = k + ": " + RedactHeader(strings.TrimSpace(k), strings.TrimSpace(strings.TrimRight(v, "\r")))
	}
	return strings.Join(lines, "\n")
}

// shape is a secret format found inside any text. Each match is replaced
// by Redact of its group named "s" (or of the whole match), the rest of
// the match kept, so a reader still sees what kind of thing was there.
type shape struct {
	re    func() *regexp.Regexp
	whole bool                // hide as "****", without the last four characters
	is    func(s string) bool // nil: every match is a secret
	// may is a cheap test every text the expression matches passes (a
	// literal the match must hold): a text that fails it is skipped
	// without compiling the expression. Start-up redacts a few short
	// values (protectProcess), and compiling all of these there cost as
	// much as a package init.
	may func(s string) bool
}

var shapes = []shape{ // compiled on first use, like the other expressions here
	// PEM private keys; an unterminated one to the end of the text.
	{re: lazyre.New(`-----BEGIN[A-Z ]* PRIVATE KEY(?: BLOCK)?-----(?s:(?P<s>.*?))(?:-----END[A-Z ]* PRIVATE KEY(?: BLOCK)?-----|$)`), whole: true, may: holds("-----BEGIN")},
	// JWTs (and JWS/JWE): a base64url JSON header starting {" and two more parts.
	{re: lazyre.New(`(?P<s>\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_.-]*)`), may: holds("eyJ")},
	// AWS access key IDs.
	{re: lazyre.New(`\b(?P<s>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16})\b`), may: func(s string) bool { return len(s) >= 20 && strings.IndexByte(s, 'A') >= 0 }},
	// Credentials of an Authorization header; "Bearer token" in prose is
	// not one (see credentialWord).
	{re: lazyre.New(`\b(?:Bearer|Basic|Digest|AWS4-HMAC-SHA256)\s+(?P<s>[A-Za-z0-9._~+/=,:-]{8,})`), is: credentialWord, may: holds("Bearer", "Basic", "Digest", "AWS4-HMAC-SHA256")},
	// Vendor token formats.
	{re: lazyre.New(`\b(?P<s>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,})`), may: holds("gh", "github_pat_", "glpat-")},
	{re: lazyre.New(`\b(?P<s>xox[abposre]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,})`), may: holds("xox", "xapp-")},
	{re: lazyre.New(`\b(?P<s>sk-ant-[A-Za-z0-9_-]{8,}|sk-(?:proj-)?[A-Za-z0-9_-]{20,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|npm_[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{30,})`), may: holds("sk-", "k_live_", "k_test_", "npm_", "AIza")},
	{re: lazyre.New(`hooks\.slack\.com/(?:services|workflows)/(?P<s>[A-Za-z0-9/_-]+)`), may: holds("hooks.slack.com/")},
}

// holds returns a test that a text holds one of the literals.
func holds(literals ...string) func(string) bool {
	return func(s string) bool {
		for _, l := range literals {
			if strings.Contains(s, l) {
				return true
			}
		}
		return false
	}
}

// credentialWord reports whether what follows "Bearer" or "Basic" is a
// credential rather than a word: it holds a digit or punctuation, or
// mixes upper and lower case.
func credentialWord(s string) bool {
	if strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == "" {
		return false
	}
	return strings.ContainsAny(s, "0123456789._~+/=-") || strings.ToLower(s) != s && strings.ToUpper(s) != s
}

// userInfo finds the authority of a URL with user-info; the last "@"
// before the path ends it, as in net/url.
var userInfo = lazyre.New(`\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#"'<>\x60]*@`)

// secretPair finds "key=value" (quotes allowed, as in JSON or a shell)
// whose key names a secret; the value ends at a separator. secretHeader
// finds "Key: value" with a capitalised key, a header line, whose value
// runs to the end of the line (a Cookie holds "; "). secretYAML finds a
// line that is only "key: value", lower case, as YAML writes it. A
// lower-case "word: text" inside a line is Go's error style
// ("credentials: open /x: no such file") and is left to the other rules.
var (
	secretPair   = lazyre.New(`(?P<k>[A-Za-z_][A-Za-z0-9_.-]*)(?P<q>"?)(?P<sep>\s*=\s*|"\s*:\s*)(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s"',;&}<>]+)`)
	secretHeader = lazyre.New(`(?P<k>\b[A-Z][A-Za-z0-9_.-]*)(?P<q>)(?P<sep>:[ \t]*)(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s"'][^\n"']*)`)
	secretYAML   = lazyre.New(`(?m)^(?P<k>[ \t]*[a-z_][a-z0-9_.-]*)(?P<q>)(?P<sep>:[ \t]*)(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s"']+)[ \t]*$`)
)

// token finds runs of base64/hex-ish characters for looksRandom.
var tokenRun = lazyre.New(`[A-Za-z0-9+/_=-]{32,}`)

var uuidShape = lazyre.New(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// RedactText hides every secret-shaped part of a free text: a value of the
// environment, an error message, a log line. What is not secret-shaped is
// kept, so region names, model IDs, ARNs and paths stay readable.
func RedactText(s string) string {
	if s == "" {
		return s
	}
	for _, sh := range shapes {
		if sh.may(s) {
			s = sh.replace(s)
		}
	}
	// Each expression below is compiled only for a text that holds what
	// its match must: the guards are the literals of the patterns.
	if mayHoldUserInfo(s) {
		s = userInfo().ReplaceAllStringFunc(s, redactUserInfo)
	}
	if mayHoldPair(s) {
		s = redactPairs(secretPair(), s)
	}
	if mayHoldHeader(s) {
		s = redactPairs(secretHeader(), s)
	}
	if mayHoldYAML(s) {
		s = redactPairs(secretYAML(), s)
	}
	return redactRandom(s)
}

// The guards of userInfo, secretPair, secretHeader and secretYAML: every
// text the expression matches passes its guard
// (TestRedactGuardsHoldForEveryMatch), so a text that fails it is left
// alone without compiling the expression.
func mayHoldUserInfo(s string) bool { return strings.Contains(s, "://") && strings.Contains(s, "@") }
func mayHoldPair(s string) bool {
	return strings.Contains(s, "=") || strings.Contains(s, `"`) && strings.Contains(s, ":")
}
func mayHoldHeader(s string) bool { return strings.Contains(s, ":") && hasUpperASCII(s) }
func mayHoldYAML(s string) bool   { return strings.Contains(s, ":") }

// hasUpperASCII reports whether s holds a letter A to Z, as every match
// of secretHeader's key does.
func hasUpperASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// redactPairs hides the value of every key-value match of re whose key
// names a secret.
func redactPairs(re *regexp.Regexp, s string) string {
	return re.ReplaceAllStringFunc(s, func(m string) string {
		g := re.FindStringSubmatch(m)
		k, v := g[1], g[4]
		if !IsSecret(strings.TrimSpace(k)) || v == `""` || v == "''" || isPath(v) {
			return m
		}
		q := ""
		if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "'") {
			q, v = v[:1], v[1:len(v)-1]
		}
		if strings.HasPrefix(v, "****") || authScheme().MatchString(v) {
			return m // already hidden, by a shape or the Authorization rule
		}
		tail := m[len(k)+len(g[2])+len(g[3])+len(g[4]):] // secretYAML's trailing blanks
		return k + g[2] + g[3] + q + Redact(v) + q + tail
	})
}

// isPath reports whether a value names a file (--credentials=/x.json)
// rather than holding a secret.
func isPath(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, "$")
}

// authScheme matches a value whose credential the Authorization shape has
// already hidden.
var authScheme = lazyre.New(`^(?:Bearer|Basic|Digest|AWS4-HMAC-SHA256)\s+\*\*\*\*`)

// digestLabel precedes a hash that is a checksum, not a key.
var digestLabel = lazyre.New(`(?i)(?:sha1|sha224|sha256|sha384|sha512|md5)[:=-]$`)

// redactRandom hides the runs of token characters that looksRandom
// flags.
func redactRandom(s string) string {
	if !hasTokenRun(s) {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range tokenRun().FindAllStringIndex(s, -1) {
		t := s[m[0]:m[1]]
		if !looksRandom(t) || digestLabel().MatchString(s[max(0, m[0]-8):m[0]]) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(Redact(t))
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// hasTokenRun reports whether s holds a run tokenRun matches: 32 or more
// of its characters in a row. A scan is cheaper than compiling it.
func hasTokenRun(s string) bool {
	run := 0
	for i := range len(s) {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("+/_=-", c) >= 0 {
			if run++; run >= 32 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// LooksSecret reports whether RedactText would hide part of value.
func LooksSecret(value string) bool { return RedactText(value) != value }

func (sh shape) replace(s string) string {
	i := sh.re().SubexpIndex("s")
	var b strings.Builder
	last := 0
	for _, m := range sh.re().FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		if i > 0 && m[2*i] >= 0 {
			start, end = m[2*i], m[2*i+1]
		}
		if sh.is != nil && !sh.is(s[start:end]) {
			continue
		}
		b.WriteString(s[last:start])
		if sh.whole {
			b.WriteString("****")
		} else {
			b.WriteString(Redact(s[start:end]))
		}
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// redactUserInfo keeps a URL's scheme and user name and hides its
// password. A user name alone is hidden when it looks like a token
// (https://ghp_…@github.com), kept when it is a login (ssh://git@host).
func redactUserInfo(m string) string {
	scheme, rest, _ := strings.Cut(m, "://")
	info := strings.TrimSuffix(rest, "@") // a password may hold "@" too
	user, pass, hasPass := strings.Cut(info, ":")
	switch {
	case hasPass:
		if strings.HasPrefix(pass, "****") {
			return m
		}
		return scheme + "://" + user + ":****@"
	case len(user) >= 16 || LooksSecret(user):
		return scheme + "://****@"
	}
	return m
}

// looksRandom reports whether a run of 32 or more base64/hex characters
// is a key rather than a word, a path or an identifier:
//
//   - hex only (ignoring "-"): 32 hex digits or more is a key. A UUID is
//     kept (session and request IDs), and so is a digest labelled as one
//     ("sha256:…", see digestLabel). Git commit hashes are hidden too: a
//     40-digit hex secret cannot be told from one, and failing closed
//     costs only readability.
//   - otherwise it must hold digits and not start with "/" (an absolute
//     path). With both cases of letters, it must have less than half of
//     its characters in runs of three or more lower-case letters: words,
//     CamelCase names and paths are mostly such runs (60–80%); random
//     base64 has about 15% (above 50% for fewer than 1 in 1,000 keys of
//     32–40 characters). With one case (base32, lower-case keys), a fifth
//     or more of it must be digits, and letters and digits must alternate
//     at a quarter of its positions or more. Keys without digits are not
//     caught by their shape: their name must say what they are, or their
//     prefix.
func looksRandom(t string) bool {
	if uuidShape().MatchString(t) {
		return false
	}
	core := strings.TrimRight(t, "=")
	plain := strings.ReplaceAll(core, "-", "")
	if strings.Trim(plain, "0123456789abcdefABCDEF") == "" {
		return len(plain) >= 32
	}
	if strings.HasPrefix(t, "/") {
		return false
	}
	var upper, lower bool
	inWords, run, digits, switches := 0, 0, 0, 0
	for i := 0; i <= len(core); i++ {
		if i < len(core) {
			c := core[i]
			isDigit := c >= '0' && c <= '9'
			if isDigit {
				digits++
			}
			if i > 0 && isDigit != (core[i-1] >= '0' && core[i-1] <= '9') {
				switches++
			}
			upper = upper || c >= 'A' && c <= 'Z'
			if c >= 'a' && c <= 'z' {
				lower = true
				run++
				continue
			}
		}
		if run >= 3 {
			inWords += run
		}
		run = 0
	}
	if digits == 0 {
		return false
	}
	if upper && lower {
		return 2*inWords < len(core)
	}
	// One case of letters and digits (base32, lower-case hex-like keys):
	// random when a fifth or more are digits, mixed in rather than in a
	// block (a date, a version).
	return 5*digits >= len(core) && 4*switches >= len(core)
}
