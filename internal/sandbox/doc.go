// Package sandbox wraps a shell command so that the operating system,
// not only basalt's permission engine, keeps it inside a policy: the
// root filesystem read-only except the writable directories, protected
// paths read-only or hidden, no network except through a proxy basalt
// runs that lets only the allowed domains through, and nothing that
// outlives the command.
//
// On Linux the wall is bubblewrap (bwrap): new mount, PID, IPC, user and
// network namespaces. The proxy listens on a unix socket; basalt itself
// runs as a small bridge ([BridgeArg]) in a network namespace that has
// only loopback, listening there and forwarding to that socket. One such
// namespace and bridge serve a session's commands (started in it with
// nsenter); without nsenter each command gets its own.
// On macOS the wall is sandbox-exec with a generated Seatbelt profile,
// and the proxy listens on the host's loopback. Elsewhere [Probe]
// reports the sandbox unavailable.
//
// The package must not weaken a permission decision: it only ever adds
// restrictions to a command the permission engine already allowed. It
// reads no configuration; the caller hands it a [Policy].
package sandbox
