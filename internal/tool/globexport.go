package tool

// MatchGlob compiles pattern with the matcher behind Glob, Grep and
// .gitignore (`**`, `{a,b}`, classes) and returns its test over
// slash-separated paths, so path-scoped memory rules match files exactly
// as the Glob tool would find them.
func MatchGlob(pattern string) (func(path string) bool, error) {
	g, err := compileGlob(pattern, false)
	if err != nil {
		return nil, err
	}
	return g.match, nil
}
