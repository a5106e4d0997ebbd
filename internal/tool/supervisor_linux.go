//go:build linux

package tool

// SelfSupervisor is the executable to give as [SessionOptions.Supervisor]
// by a program that runs the supervisor when its first argument is
// [SuperviseArg]: the running binary itself, through /proc/self/exe, which
// stays valid when the file on disk is replaced or deleted mid-session.
func SelfSupervisor() string { return "/proc/self/exe" }
