package harness

// loginName is who runs the session, for `basalt usage --by user`: the
// login name the shell exported ($USER on Unix, %USERNAME% on Windows).
// It is a label for reports, never an identity check.
func loginName(getenv func(string) string) string {
	for _, k := range []string{"USER", "LOGNAME", "USERNAME"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}
