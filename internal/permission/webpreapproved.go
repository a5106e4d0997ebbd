package permission

import (
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// preapprovedWebSources are the documentation sites Claude Code fetches
// from without asking (Claude Code 2.1.197's built-in list, read from its
// binary): a bare host covers that host exactly, not its subdomains; a
// host with a path covers that path and what is below it. basalt keeps
// the same list so that a team moving over is asked about the same
// fetches. Deny and ask rules still come first, so "ask: [WebFetch]"
// restores a question for every fetch; the fetcher's refusal of private
// and loopback addresses applies as to any host.
var preapprovedWebSources = []string{
	"platform.claude.com", "code.claude.com", "modelcontextprotocol.io", "github.com/anthropics", "agentskills.io",
	"docs.python.org", "en.cppreference.com", "docs.oracle.com", "learn.microsoft.com", "developer.mozilla.org",
	"go.dev", "pkg.go.dev", "www.php.net", "docs.swift.org", "kotlinlang.org", "ruby-doc.org", "doc.rust-lang.org",
	"www.typescriptlang.org", "react.dev", "angular.io", "vuejs.org", "nextjs.org", "expressjs.com", "nodejs.org",
	"bun.sh", "jquery.com", "getbootstrap.com", "tailwindcss.com", "d3js.org", "threejs.org", "redux.js.org",
	"webpack.js.org", "jestjs.io", "reactrouter.com", "docs.djangoproject.com", "flask.palletsprojects.com",
	"fastapi.tiangolo.com", "pandas.pydata.org", "numpy.org", "www.tensorflow.org", "pytorch.org", "scikit-learn.org",
	"matplotlib.org", "requests.readthedocs.io", "jupyter.org", "laravel.com", "symfony.com",
	"wordpress.org/documentation", "docs.spring.io", "hibernate.org", "tomcat.apache.org", "gradle.org",
	"maven.apache.org", "asp.net", "dotnet.microsoft.com", "blazor.net", "reactnative.dev", "docs.flutter.dev",
	"developer.apple.com", "developer.android.com", "keras.io", "spark.apache.org", "huggingface.co/docs",
	"www.kaggle.com/docs", "www.mongodb.com", "redis.io", "www.postgresql.org", "dev.mysql.com", "www.sqlite.org",
	"graphql.org", "prisma.io", "docs.getdbt.com", "docs.aws.amazon.com", "cloud.google.com", "kubernetes.io",
	"www.docker.com", "www.terraform.io", "www.ansible.com", "vercel.com/docs", "docs.stripe.com",
	"docs.netlify.com", "devcenter.heroku.com", "dev.wix.com/docs", "cypress.io", "selenium.dev", "docs.unity.com",
	"docs.unrealengine.com", "git-scm.com", "nginx.org", "httpd.apache.org",
}

// preapprovedWeb is preapprovedWebSources split into whole hosts and
// hosts with path prefixes, built on first use.
var preapprovedWeb = sync.OnceValues(func() (map[string]bool, map[string][]string) {
	hosts, prefixes := map[string]bool{}, map[string][]string{}
	for _, s := range preapprovedWebSources {
		if h, p, ok := strings.Cut(s, "/"); ok {
			prefixes[h] = append(prefixes[h], "/"+p)
		} else {
			hosts[s] = true
		}
	}
	return hosts, prefixes
})

// encodedSeparator finds a percent-encoded slash, backslash or dot, also
// when the percent sign itself is encoded again ("%252f"): a path that
// hides one could climb out of a pre-approved prefix once decoded.
var encodedSeparator = lazyre.New(`(?i)%(25)*(2f|5c|2e)`)

// preapprovedWebPage reports whether a fetch of host (lowercase) at
// escapedPath (the URL's path as sent, percent-encoding kept) is on the
// pre-approved list.
func preapprovedWebPage(host, escapedPath string) bool {
	hosts, prefixes := preapprovedWeb()
	if hosts[host] {
		return true
	}
	ps := prefixes[host]
	if len(ps) == 0 || encodedSeparator().MatchString(escapedPath) || strings.Contains(escapedPath, "/../") || strings.HasSuffix(escapedPath, "/..") {
		return false
	}
	for _, p := range ps {
		if escapedPath == p || strings.HasPrefix(escapedPath, p+"/") {
			return true
		}
	}
	return false
}
