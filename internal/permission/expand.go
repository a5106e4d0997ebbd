package permission

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// scan looks inside a word for the commands it runs when expanded.
func (s *shellScan) scan(n syntax.Node) {
	if n == nil {
		return
	}
	syntax.Walk(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			s.walkStmts(n.Stmts)
			return false
		case *syntax.ProcSubst:
			s.walkStmts(n.Stmts)
			return false
		case *syntax.ArithmExp:
			s.arith(n.X)
			return false
		case *syntax.ParamExp:
			s.paramExp(n)
			return false
		}
		return true
	})
}

func (s *shellScan) paramExp(p *syntax.ParamExp) {
	allIndex := p.Index != nil && isAllIndex(p.Index)
	if p.Excl && p.Names == 0 && !allIndex {
		s.addHidden("uses indirect expansion ${!…}, which can evaluate code stored in a variable")
	}
	if p.Exp != nil && p.Exp.Op == syntax.OtherParamOps {
		s.addHidden("uses a ${…@…} transformation, which can evaluate code stored in a variable")
	}
	if p.Index != nil && !allIndex {
		s.arith(p.Index)
	}
	if p.Slice != nil {
		s.arith(p.Slice.Offset)
		s.arith(p.Slice.Length)
	}
	if p.Exp != nil && p.Exp.Word != nil {
		s.scan(p.Exp.Word)
	}
	if p.Exp != nil && (p.Exp.Op == syntax.AssignUnset || p.Exp.Op == syntax.AssignUnsetOrNull) && p.Param != nil {
		// : ${CDPATH:=..} assigns like CDPATH=..
		s.assignVar(p.Param.Value, p.Exp.Word)
	}
	if p.Repl != nil {
		if p.Repl.Orig != nil {
			s.scan(p.Repl.Orig)
		}
		if p.Repl.With != nil {
			s.scan(p.Repl.With)
		}
	}
}

func isAllIndex(x syntax.ArithmExpr) bool {
	w, ok := x.(*syntax.Word)
	if !ok {
		return false
	}
	l := w.Lit()
	return l == "@" || l == "*"
}

var numericRE = lazyre.New(`^(0[xX][0-9a-fA-F]+|[0-9]+(#[0-9a-zA-Z@_]+)?)$`)

// arith scans an arithmetic expression. Bash evaluates the value of every
// variable named in one as an expression in turn, and an array subscript in
// that value runs command substitutions: x='a[$(rm -rf ~)]'; (( x )) runs
// rm. So arithmetic on variables cannot be proven safe and is asked.
func (s *shellScan) arith(x syntax.ArithmExpr) {
	if x == nil {
		return
	}
	vars := false
	syntax.Walk(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			s.walkStmts(n.Stmts)
			return false
		case *syntax.ProcSubst:
			s.walkStmts(n.Stmts)
			return false
		case *syntax.ParamExp:
			vars = true
			s.paramExp(n)
			return false
		case *syntax.Lit:
			if !numericRE().MatchString(n.Value) {
				vars = true
			}
		}
		return true
	})
	if vars {
		s.addHidden("evaluates variables as arithmetic, which can run code stored in them")
	}
}

// test scans a [[ … ]] expression. Its arithmetic comparisons and -v/-R
// evaluate operands the way arith does.
func (s *shellScan) test(x syntax.TestExpr) {
	switch t := x.(type) {
	case *syntax.BinaryTest:
		switch t.Op {
		case syntax.TsEql, syntax.TsNeq, syntax.TsLeq, syntax.TsGeq, syntax.TsLss, syntax.TsGtr:
			if !numericOperand(t.X) || !numericOperand(t.Y) {
				s.addHidden("compares non-literal numbers in [[ ]], which evaluates them as arithmetic")
			}
		}
		s.test(t.X)
		s.test(t.Y)
	case *syntax.UnaryTest:
		if t.Op == syntax.TsVarSet || t.Op == syntax.TsRefVar {
			s.addHidden("uses [[ %s ]], which evaluates array subscripts as code", t.Op)
		}
		s.test(t.X)
	case *syntax.ParenTest:
		s.test(t.X)
	case *syntax.Word:
		s.scan(t)
	}
}

func numericOperand(x syntax.TestExpr) bool {
	w, ok := x.(*syntax.Word)
	if !ok {
		return false
	}
	return numericRE().MatchString(strings.TrimPrefix(w.Lit(), "-"))
}
