package awsauth

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestSDKLogLinesGoToTheLog: the AWS SDK's own warnings (here, IMDS
// refusing a session token, which makes the SDK fall back to IMDSv1)
// reach basalt's log, never stderr, where they would paint over the TUI.
// The instance metadata service is a loopback server.
func TestSDKLogLinesGoToTheLog(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.NotFound(w, nil)
	}))
	defer imds.Close()
	// The SDK reads the IMDS endpoint from the process environment.
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	env := sandbox(t)
	delete(env, "AWS_EC2_METADATA_DISABLED")

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	var log bytes.Buffer
	a, err := New(t.Context(), Options{Env: env, Log: slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err == nil {
		_, err = a.Credentials(t.Context())
	}
	os.Stderr = stderr
	w.Close()
	printed, _ := io.ReadAll(r)
	if err == nil {
		t.Fatal("credentials resolved from a loopback IMDS that has none")
	}
	if len(printed) > 0 {
		t.Errorf("the SDK wrote to stderr:\n%s", printed)
	}
	if !strings.Contains(log.String(), `"msg":"aws sdk"`) || !strings.Contains(log.String(), "falling back to IMDSv1") {
		t.Errorf("the SDK's warning is not in the log:\n%s", log.String())
	}
}
