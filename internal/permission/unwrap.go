package permission

import (
	"slices"
	"strings"
)

// wrapParse is what [parseWrapper] learned about one wrapper call.
type wrapParse struct {
	command []word   // the argv command it runs (operandsArgv, endOpts), nil if none
	inner   [][]word // further argv commands (find -exec … ;)
	shell   []word   // command lines it runs through a shell (script -c, tar --to-command)
	script  []word   // arguments it hands to a shell (su user -c …)
	code    []string // why it runs code basalt cannot read (perl -e, awk system())
	runs    string   // why it runs the inner commands (find -exec)
	changes string   // why it changes files without running code (find -delete)
	// unknown: an option or operand basalt does not know, so where the
	// command starts is a guess.
	unknown bool
	// clean: for allowInner wrappers, only options and assignments that
	// leave the command as it is.
	clean  bool
	lookup bool // it only looks a command up (command -v)
	// fromInput: it runs a shell or code from its input, which no rule sees.
	fromInput bool
	operand   bool // some operand or code option was given
}

// parseWrapper reads cur (cur[0] is the program) by its spec. It never
// fails: what it cannot place sets unknown, and callers then fall back to
// guessing for deny rules and to asking for allow rules.
func parseWrapper(sp *wrapperSpec, cur []word) wrapParse {
	p := wrapParse{clean: true}
	opts := true
	skipped := 0
	sawOperand := false
	codeGiven := false
	firstOperand, prevOperand := "", ""
	value := func(i int, attached string, has bool) (word, int) {
		if has {
			w := cur[i]
			w.text, w.src = attached, attached
			return w, i
		}
		if i+1 < len(cur) {
			return cur[i+1], i + 1
		}
		p.unknown = true
		return word{dynamic: true, text: cur[i].text, src: cur[i].src}, i
	}
	for i := 1; i < len(cur); i++ {
		w := cur[i]
		t := w.text
		if opts && w.lit() && t == "-" && slices.Contains(sp.flags, "-") {
			continue // su -
		}
		if opts && w.lit() && t == "--" {
			opts = false
			if sp.operands == operandsNone || sp.operands == operandsCode {
				continue
			}
			if skipped < sp.skip {
				continue
			}
			if i+1 < len(cur) {
				p.command, p.operand = cur[i+1:], true
			}
			return p.finish(sp, codeGiven)
		}
		if opts && len(t) > 1 && t[0] == '-' && (w.lit() || strings.HasPrefix(w.src, t[:2])) {
			name, val, has := splitOption(sp, t)
			if strings.HasPrefix(name, "--") && !sp.listed(name) {
				// getopt_long takes any unambiguous prefix: --to-comm is
				// --to-command. The most dangerous reading wins.
				name = sp.expandLong(name)
			}
			if w.dynamic && !has {
				p.unknown = true
				p.clean = false
				continue
			}
			global := !sawOperand || !slices.Contains(sp.globalOpts, name)
			if sp.clean != nil && !slices.Contains(sp.clean, name) {
				p.clean = false
			}
			switch {
			case !global:
				// git commit -c: not git's own -c.
			case slices.Contains(sp.programFileOpts, name):
				var v word
				v, i = value(i, val, has)
				codeGiven = true
				if v.dynamic || inputPath(v.text) {
					p.code = append(p.code, "reads its program from its input with "+name)
				}
			case slices.Contains(sp.pipeOpts, name):
				var v word
				v, i = value(i, val, has)
				if v.dynamic || strings.HasPrefix(v.text, "|") || strings.HasPrefix(v.text, "!") {
					v.text = strings.TrimLeft(v.text, "|!")
					p.shell = append(p.shell, v)
				}
			case slices.Contains(sp.values, name):
				_, i = value(i, val, has)
			case slices.Contains(sp.shellOpts, name):
				var v word
				v, i = value(i, val, has)
				if name == "--checkpoint-action" {
					if !strings.HasPrefix(v.text, "exec=") && !v.dynamic {
						break
					}
					v.text = strings.TrimPrefix(v.text, "exec=")
				}
				p.shell = append(p.shell, v)
				p.operand = true
			case slices.Contains(sp.progOpts, name):
				var v word
				v, i = value(i, val, has)
				p.shell = append(p.shell, v)
			case slices.Contains(sp.codeOpts, name):
				_, i = value(i, val, has)
				p.code = append(p.code, "runs code given with "+name)
				codeGiven = true
			case slices.Contains(sp.splitOpts, name):
				v, _ := value(i, val, has) // the rest is split by the wrapper, not read here
				p.shell = append(p.shell, v)
				p.clean = false
				return p.finish(sp, codeGiven)
			case slices.Contains(sp.lookupOpts, name):
				p.lookup = true
				return p
			case slices.Contains(sp.endOpts, name):
				if i+1 < len(cur) {
					p.command = cur[i+1:]
				}
				return p.finish(sp, codeGiven)
			case slices.Contains(sp.execOpts, name):
				j := i + 1
				for j < len(cur) && cur[j].text != ";" && cur[j].text != "+" {
					j++
				}
				if j > i+1 {
					p.inner = append(p.inner, cur[i+1:j])
				} else {
					p.code = append(p.code, "runs a command it is not given")
				}
				if p.runs == "" {
					p.runs = "runs other commands (" + baseName(cur[0].text) + " " + name + ")"
				}
				i = j
			case slices.Contains(sp.changeOpts, name):
				if p.changes == "" {
					p.changes = "changes files (" + baseName(cur[0].text) + " " + name + ")"
				}
			case slices.Contains(sp.configOpts, name):
				var v word
				v, i = value(i, val, has)
				p.config(sp, v)
			case firstOperand != "" && slices.Contains(sp.subOpts[firstOperand], name):
				_, i = value(i, val, has)
				p.code = append(p.code, "runs a command given with "+firstOperand+" "+name)
			case slices.Contains(sp.flags, name):
			case slices.Contains(sp.scriptOpts, name):
				var v word
				v, i = value(i, val, has)
				codeGiven = true
				if v.dynamic || sp.safeCode == nil || !sp.safeCode(v.text) {
					p.code = append(p.code, sp.why)
				}
			case isNumber(t[1:]) && baseName(cur[0].text) == "nice":
			default:
				p.unknown = true
				p.clean = false
			}
			continue
		}
		// An operand.
		for _, c := range sp.codeOperands {
			if w.dynamic || strings.Contains(strings.ToUpper(t), c) {
				p.code = append(p.code, sp.why)
				break
			}
		}
		if sp.codePrefix != "" && w.lit() && len(t) > 1 && strings.HasPrefix(t, sp.codePrefix) {
			p.code = append(p.code, "runs commands given as "+sp.codePrefix+"…")
			continue
		}
		if sp.assigns && skipped == 0 {
			if k, _, ok := strings.Cut(t, "="); ok && identRE().MatchString(k) && !w.dynamic {
				if !safeVarName(k) {
					p.clean = false
				}
				continue
			}
		}
		if sp.varOperands {
			if k, v, ok := strings.Cut(t, "="); ok && identRE().MatchString(strings.TrimPrefix(k, ".")) {
				vw := w
				vw.text = v
				p.shell = append(p.shell, vw)
				p.operand = true
				continue
			}
		}
		sawOperand = true
		if firstOperand == "" {
			firstOperand = t
		}
		if sp.runAfter != nil && prevOperand != "" {
			if kind, ok := sp.runAfter[prevOperand+" "+t]; ok && i+1 < len(cur) {
				if kind == operandsArgv {
					p.command = cur[i+1:]
				} else {
					p.shell = append(p.shell, joinWords(cur[i+1:]))
				}
				p.runs = "runs a command given to " + prevOperand + " " + t
				return p.finish(sp, codeGiven)
			}
		}
		prevOperand = t
		if skipped < sp.skip {
			skipped++
			opts = sp.optsAfterSkip
			continue
		}
		if !sp.fileOperands {
			p.operand = true
		}
		if sp.stdinShell && sp.operands == operandsNone && !p.fromInput && !codeGiven && (w.dynamic || inputPath(t)) {
			// python3 - , node /dev/stdin: the program comes from a stream.
			p.code = append(p.code, "reads its program from its input")
			codeGiven = true
		}
		switch sp.operands {
		case operandsArgv:
			p.command = cur[i:]
			return p.finish(sp, codeGiven)
		case operandsShell:
			end := len(cur)
			for j := i; j < len(cur); j++ {
				if slices.Contains(sp.stopAt, cur[j].text) {
					end = j
					break
				}
			}
			p.shell = append(p.shell, joinWords(cur[i:end]))
			return p.finish(sp, codeGiven)
		case operandsScript:
			p.script = cur[i:]
			return p.finish(sp, codeGiven)
		case operandsCode:
			if !codeGiven && !p.hasFileOpt(sp, cur) {
				codeGiven = true
				if w.dynamic || sp.safeCode == nil || !sp.safeCode(t) {
					p.code = append(p.code, sp.why)
				}
			}
		}
	}
	return p.finish(sp, codeGiven)
}

// finish notes a wrapper that was given no command: with stdinShell it
// runs a shell or code read from its input.
func (p wrapParse) finish(sp *wrapperSpec, codeGiven bool) wrapParse {
	if sp.readsInput {
		p.fromInput = true
	}
	if sp.stdinShell && p.command == nil && len(p.shell) == 0 && len(p.script) == 0 && !codeGiven && !p.operand {
		p.fromInput = true
	}
	return p
}

// hasFileOpt reports whether an awk or sed program comes from a file or an
// option, so that the first operand is no program.
func (p *wrapParse) hasFileOpt(sp *wrapperSpec, cur []word) bool {
	for _, w := range cur[1:] {
		name, _, _ := splitOption(sp, w.text)
		if slices.Contains(sp.scriptOpts, name) || slices.Contains(sp.programFileOpts, name) {
			return true
		}
	}
	return false
}

// config reads one KEY=VALUE setting of a config option.
func (p *wrapParse) config(sp *wrapperSpec, v word) {
	if v.dynamic || sp.configRuns == nil {
		p.code = append(p.code, "sets configuration known only when it runs")
		return
	}
	key, val, _ := strings.Cut(v.text, "=")
	code, runs, unknown := sp.configRuns(key, val)
	switch {
	case runs:
		w := v
		w.text = code
		p.shell = append(p.shell, w)
	case unknown:
		p.code = append(p.code, "sets "+key+", which may run programs")
	}
}

// splitOption returns an option's name and any value attached to it:
// --name=value, -xVALUE for a one-letter option that takes a value, and
// the option that takes a value inside a cluster of one-letter options
// (script -qc CMD, perl -ne CODE, tar -xIPROG), which getopt reads the same
// way.
func splitOption(sp *wrapperSpec, t string) (name, val string, has bool) {
	if strings.HasPrefix(t, "--") {
		if n, v, ok := strings.Cut(t, "="); ok {
			return n, v, true
		}
		return t, "", false
	}
	if n, v, ok := strings.Cut(t, "="); ok && sp.listed(n) {
		return n, v, true // go test -exec=prog
	}
	if len(t) <= 2 || t[0] != '-' || sp.listed(t) {
		return t, "", false
	}
	for k := 1; k < len(t); k++ {
		short := "-" + t[k:k+1]
		if sp.takesValue(short) {
			return short, t[k+1:], k+1 < len(t)
		}
	}
	return t, "", false
}

// expandLong returns the listed long option that an abbreviation stands
// for, preferring one that runs code, or the abbreviation itself.
func (sp *wrapperSpec) expandLong(abbr string) string {
	if len(abbr) < 4 {
		return abbr
	}
	for _, l := range [][]string{sp.shellOpts, sp.progOpts, sp.codeOpts, sp.scriptOpts, sp.programFileOpts, sp.splitOpts, sp.pipeOpts,
		sp.configOpts, sp.execOpts, sp.endOpts, sp.changeOpts, sp.values, sp.lookupOpts, sp.flags} {
		for _, o := range l {
			if strings.HasPrefix(o, abbr) && strings.HasPrefix(o, "--") {
				return o
			}
		}
	}
	return abbr
}

// takesValue reports whether the option is followed by a value.
func (sp *wrapperSpec) takesValue(o string) bool {
	for _, l := range [][]string{sp.values, sp.shellOpts, sp.progOpts, sp.codeOpts, sp.scriptOpts, sp.programFileOpts, sp.configOpts, sp.splitOpts, sp.pipeOpts} {
		if slices.Contains(l, o) {
			return true
		}
	}
	return false
}

// listed reports whether the spec names the option at all.
func (sp *wrapperSpec) listed(o string) bool {
	if sp.takesValue(o) {
		return true
	}
	for _, l := range [][]string{sp.flags, sp.lookupOpts, sp.endOpts, sp.execOpts, sp.changeOpts} {
		if slices.Contains(l, o) {
			return true
		}
	}
	return false
}

// joinWords joins operands that a program runs as one shell command line.
func joinWords(ws []word) word {
	out := word{}
	texts := make([]string, len(ws))
	srcs := make([]string, len(ws))
	for i, w := range ws {
		texts[i], srcs[i] = w.text, w.src
		out.dynamic = out.dynamic || w.dynamic
	}
	out.text = strings.Join(texts, " ")
	out.src = strings.Join(srcs, " ")
	return out
}

func isNumber(s string) bool {
	return isDigits(strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+"))
}
