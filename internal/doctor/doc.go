// Package doctor owns the diagnostic checks behind "basalt doctor": each
// check returns a finding (ok, warn, fail or skip) with what it observed
// and the fix. [Run] performs them in order; [ResolveRoles] resolves the
// models a configuration makes basalt call, one by one, for doctor,
// "basalt models" and "basalt iam-policy".
//
// Checks observe; they never change anything: no file is written and
// awsAuthRefresh is never run. Every network call has its own deadline,
// so a diagnosis never hangs.
package doctor
