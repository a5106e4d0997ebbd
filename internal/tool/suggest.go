package tool

import (
	"github.com/basalt-dev/basalt/internal/editdist"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// notFound words a missing path for the model: which part of it is missing
// and, where the directory exists, the closest names in it.
func notFound(path string) Result {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		anc := dir
		for anc != "/" && anc != "." {
			anc = filepath.Dir(anc)
			if fi, err := os.Stat(anc); err == nil && fi.IsDir() {
				break
			}
		}
		return errorf("%s does not exist: directory %s does not exist (the closest existing ancestor is %s)", path, dir, anc)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	near := closest(base, names, 3)
	if len(near) == 0 {
		return errorf("%s does not exist", path)
	}
	for i, n := range near {
		near[i] = filepath.Join(dir, n)
		if strings.HasSuffix(n, "/") {
			near[i] += "/"
		}
	}
	return errorf("%s does not exist. Did you mean %s?", path, strings.Join(near, ", "))
}

// closest returns up to n of names that are near name: same name in
// another case, a shared stem, or a small edit distance.
func closest(name string, names []string, n int) []string {
	type scored struct {
		name  string
		score int
	}
	lname := strings.ToLower(name)
	stem := strings.TrimSuffix(lname, filepath.Ext(lname))
	var out []scored
	for _, cand := range names {
		lc := strings.ToLower(strings.TrimSuffix(cand, "/"))
		cstem := strings.TrimSuffix(lc, filepath.Ext(lc))
		d := editdist.Levenshtein(lname, lc)
		switch {
		case lc == lname:
			d = 0
		case stem != "" && cstem == stem:
			d = min(d, 1)
		case len(stem) >= 3 && (strings.Contains(lc, stem) || strings.Contains(lname, cstem) && len(cstem) >= 3):
			d = min(d, 2)
		}
		if d <= max(2, len(lname)/3) {
			out = append(out, scored{cand, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score < out[j].score
		}
		return out[i].name < out[j].name
	})
	res := make([]string, 0, n)
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].name)
	}
	return res
}
