package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/emulator"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
	"github.com/basalt-dev/basalt/internal/model"
)

// The corporate-network commands of the end-to-end scripts: a private CA,
// an emulator behind TLS and mutual TLS, a proxy that records what goes
// through it, and the check of a result's cost against the ledger.

// netCmds are added to the scripts' commands (script_test.go).
var netCmds = map[string]func(*testscript.TestScript, bool, []string){
	"gencerts":    cmdGenCerts,
	"stsproxy":    cmdSTSProxy,
	"ledger-cost": cmdLedgerCost,
}

// cmdGenCerts writes a fresh private PKI into DIR (emulatortest.PKI):
// ca.pem, server.pem/server-key.pem for 127.0.0.1, client-ca.pem,
// client.pem with client-key.pem, client-key-enc.pem (encrypted PKCS#8)
// and client-key-legacy.pem (legacy encrypted PEM) under the passphrase
// in $CLIENT_KEY_PASSPHRASE, and other-ca.pem, which signed nothing.
//
//	gencerts DIR
func cmdGenCerts(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gencerts DIR")
	}
	p, err := emulatortest.WritePKI(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Setenv("CLIENT_KEY_PASSPHRASE", p.Passphrase)
}

// startScriptEmulator starts the emulator of the `emulator` command, over
// TLS with the server certificate of a gencerts directory when dir is
// set, requiring client certificates from its client CA with mtls.
func startScriptEmulator(ts *testscript.TestScript, opts emulator.Options, dir string, mtls bool) (*emulator.Running, error) {
	if dir == "" {
		if mtls {
			ts.Fatalf("emulator: --mtls needs --tls DIR")
		}
		return emulator.Start(context.Background(), emulator.DefaultAddr, opts)
	}
	dir = ts.MkAbs(dir)
	files := emulator.TLSFiles{Cert: filepath.Join(dir, "server.pem"), Key: filepath.Join(dir, "server-key.pem")}
	if mtls {
		files.ClientCA = filepath.Join(dir, "client-ca.pem")
	}
	cfg, err := files.Config()
	if err != nil {
		return nil, err
	}
	return emulator.StartTLS(context.Background(), emulator.DefaultAddr, opts, cfg)
}

// cmdSTSProxy starts a forward proxy for plain-HTTP requests (absolute
// URIs) and CONNECT tunnels, which appends "METHOD URL" to LOG for each
// request. It answers STS itself for any host starting with "sts.", with
// temporary credentials whose access key is ASIAPROXIEDSTS, so a script
// can see the AWS SDK's role assumption go through the proxy; it
// forwards only to loopback addresses. $PROXY_URL is its URL.
//
//	stsproxy LOG
func cmdSTSProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: stsproxy LOG")
	}
	logPath := ts.MkAbs(args[0])
	var mu sync.Mutex
	logf := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return
		}
		fmt.Fprintf(f, format+"\n", a...)
		f.Close()
	}
	loopback := func(hostport string) bool {
		h, _, err := net.SplitHostPort(hostport)
		if err != nil {
			h = hostport
		}
		ip := net.ParseIP(h)
		return h == "localhost" || (ip != nil && ip.IsLoopback())
	}
	proxy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			logf("CONNECT %s", r.Host)
			if !loopback(r.Host) {
				http.Error(w, "this test proxy tunnels to loopback only", http.StatusForbidden)
				return
			}
			dst, err := net.Dial("tcp", r.Host)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.WriteHeader(http.StatusOK)
			src, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				dst.Close()
				return
			}
			go func() { io.Copy(dst, buf); dst.Close() }()
			io.Copy(src, dst)
			src.Close()
			return
		}
		logf("%s %s", r.Method, r.URL.String())
		if strings.HasPrefix(r.URL.Hostname(), "sts.") {
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, assumeRoleResponse)
			return
		}
		if !loopback(r.URL.Host) {
			http.Error(w, "this test proxy forwards to loopback only", http.StatusForbidden)
			return
		}
		(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.Out.URL = r.URL }}).ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	ts.Defer(func() { srv.Close() })
	ts.Setenv("PROXY_URL", "http://"+ln.Addr().String())
}

const assumeRoleResponse = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><AssumedRoleId>AROAPROXIED:basalt</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/basalt-dev/basalt</Arn></AssumedRoleUser>
    <Credentials><AccessKeyId>ASIAPROXIEDSTS</AccessKeyId><SecretAccessKey>proxied-secret</SecretAccessKey><SessionToken>proxied-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
</AssumeRoleResponse>`

// cmdLedgerCost prices every model call of an emulator ledger from its
// recorded usage with the catalog's prices at the recorded service tier
// (cost.OfTier), and checks that the sum is the total_cost_usd of a
// `--output-format json` result: the number basalt printed is the one the
// bill would show. FROM, when given, is the first ledger line of the run
// (a ledger accumulates every run of a script).
//
//	ledger-cost LEDGER RESULT [FROM]
func cmdLedgerCost(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && len(args) != 3 {
		ts.Fatalf("usage: ledger-cost LEDGER RESULT [FROM]")
	}
	from := 1
	if len(args) == 3 {
		var err error
		if from, err = strconv.Atoi(args[2]); err != nil || from < 1 {
			ts.Fatalf("ledger-cost: bad line %q", args[2])
		}
	}
	var result struct {
		Cost float64 `json:"total_cost_usd"`
	}
	if err := json.Unmarshal([]byte(ts.ReadFile(args[1])), &result); err != nil {
		ts.Fatalf("ledger-cost: %s: %v", args[1], err)
	}
	var sum float64
	sc := bufio.NewScanner(strings.NewReader(ts.ReadFile(args[0])))
	sc.Buffer(nil, 1<<20)
	n, line := 0, 0
	for sc.Scan() {
		if line++; line < from {
			continue
		}
		var r emulator.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			ts.Fatalf("ledger-cost: %v", err)
		}
		if r.Status != http.StatusOK || (r.Operation != "InvokeModelWithResponseStream" && r.Operation != "InvokeModel" && r.Operation != "MantleMessages") {
			continue
		}
		m, ok := model.Lookup(r.Model)
		if !ok && config.IsMantleID(r.Model) {
			res, err := config.ResolveMantle(model.Request{Provider: model.ProviderBedrock, Value: r.Model})
			m, ok = res.Model, err == nil && res.Model != nil
		}
		if !ok {
			ts.Fatalf("ledger-cost: %s is not in the catalog", r.Model)
		}
		u := cost.Usage{InputTokens: r.InputTokens, OutputTokens: r.OutputTokens, CacheRead: r.CacheReadInputTokens, CacheWrite5m: r.CacheCreationInputTokens}
		c := cost.OfTier(m, r.Model, cost.Tier(r.ServiceTier), u)
		if !c.Known {
			ts.Fatalf("ledger-cost: no price for %s", r.Model)
		}
		sum += c.USD
		n++
	}
	ok := n > 0 && math.Abs(sum-result.Cost) < 1e-6
	fmt.Fprintf(ts.Stdout(), "%d calls, ledger $%s, result $%s\n", n, strconv.FormatFloat(sum, 'f', 6, 64), strconv.FormatFloat(result.Cost, 'f', 6, 64))
	if ok == neg {
		ts.Fatalf("ledger-cost: the ledger prices %d calls at $%.6f, the result says $%.6f", n, sum, result.Cost)
	}
}

// withNetCmds adds netCmds to the scripts' commands.
func withNetCmds(cmds map[string]func(*testscript.TestScript, bool, []string)) map[string]func(*testscript.TestScript, bool, []string) {
	for k, v := range netCmds {
		cmds[k] = v
	}
	return cmds
}
