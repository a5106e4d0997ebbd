package oauth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCallback(t *testing.T) {
	t.Parallel()
	cb, err := listenCallback("")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	u, _ := url.Parse(cb.redirectURI)
	if u.Hostname() != "127.0.0.1" || u.Path != callbackPath || u.Port() == "0" {
		t.Fatalf("redirect URI %s", cb.redirectURI)
	}
	// A registered port is reused while free.
	again, err := listenCallback("http://127.0.0.1:" + u.Port() + callbackPath)
	if err != nil {
		t.Fatal(err)
	}
	if again.redirectURI == cb.redirectURI {
		t.Error("two listeners on one port")
	}
	again.close()

	// Other paths are not the answer.
	resp, err := http.Get("http://" + u.Host + "/favicon.ico")
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("favicon: %v %v", resp, err)
	}
	resp, err = http.Get(cb.redirectURI + "?code=c&state=s")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("redirect: %v %v", resp, err)
	}
	// Only the first answer counts.
	resp, err = http.Get(cb.redirectURI + "?code=evil&state=s")
	if err != nil || resp.StatusCode != http.StatusConflict {
		t.Fatalf("second redirect: %v %v", resp, err)
	}
	q, err := cb.wait(t.Context())
	if err != nil || q.Get("code") != "c" {
		t.Fatalf("wait = %v, %v", q, err)
	}
}

func TestCallbackReusesFreedPort(t *testing.T) {
	t.Parallel()
	cb, err := listenCallback("")
	if err != nil {
		t.Fatal(err)
	}
	uri := cb.redirectURI
	cb.close()
	again, err := listenCallback(uri)
	if err != nil {
		t.Fatal(err)
	}
	defer again.close()
	if again.redirectURI != uri {
		t.Errorf("redirect URI %s, want the registered %s", again.redirectURI, uri)
	}
}

func TestCallbackDeadline(t *testing.T) {
	t.Parallel()
	cb, err := listenCallback("")
	if err != nil {
		t.Fatal(err)
	}
	defer cb.close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := cb.wait(ctx); err == nil || !strings.Contains(err.Error(), "no answer from the browser in time") {
		t.Fatalf("err = %v", err)
	}
}
