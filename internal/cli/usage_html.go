package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/basalt-dev/basalt/internal/atomicfile"
	"github.com/basalt-dev/basalt/internal/usage"
)

// writeUsageHTML writes the report page to --out, standard output (-) or
// a new file in the temporary directory, and opens it when a display is
// there to show it.
func writeUsageHTML(app *App, rep *usage.Report, opts *usageOptions) error {
	o := usage.HTMLOptions{Title: "basalt usage", Generated: opts.Now(), Sources: opts.Files}
	if opts.Out == "-" {
		return rep.WriteHTML(app.IO.Out, o)
	}
	path := opts.Out
	if path == "" {
		path = filepath.Join(os.TempDir(), "basalt-usage-"+opts.Now().Format("20060102-150405")+".html")
	}
	var page bytes.Buffer
	if err := rep.WriteHTML(&page, o); err != nil {
		return err
	}
	if err := atomicfile.Write(path, page.Bytes(), 0o600); err != nil {
		return err
	}
	abs, _ := filepath.Abs(path)
	fmt.Fprintf(app.IO.Out, "Wrote %s\n", abs)
	if opts.NoOpen || !hasDisplay(app.Env) {
		return nil
	}
	if err := openInBrowser(abs); err != nil {
		fmt.Fprintf(app.IO.ErrOut, "basalt: could not open a browser (%v): open the file above yourself\n", err)
	}
	return nil
}

// hasDisplay reports whether a browser could show the page: macOS and
// Windows always have a desktop; elsewhere an X11 or Wayland display
// must be set (an SSH session or a CI runner has none).
func hasDisplay(env map[string]string) bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return env["SSH_CONNECTION"] == "" && env["CI"] == ""
	}
	return env["DISPLAY"] != "" || env["WAYLAND_DISPLAY"] != ""
}

// openInBrowser hands the file to the desktop's opener and does not wait
// for the browser.
func openInBrowser(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
