//go:build !linux

package tool

// SelfSupervisor returns "": outside Linux there is no supervisor, and
// commands run in their own process group, which is signalled as a whole.
// A child that leaves the group (setsid) or outlives a SIGKILLed basalt is
// not stopped there.
func SelfSupervisor() string { return "" }
