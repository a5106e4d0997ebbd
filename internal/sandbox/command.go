package sandbox

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
)

// Command returns a command that runs shell -c script (argv: shell,
// "-c", script) inside the sandbox, with dir as its working directory
// and env as its environment (nil means this process's), plus the
// policy's Env and, when a domain is allowed, the proxy variables. The
// caller sets Stdin, Stdout and Stderr and starts it; killing it kills
// everything inside (a new PID namespace on Linux). ExtraFiles, if the
// backend sets them, must be passed on: they tell the sandbox when the
// command has ended. They are the command's own copies: close them once
// it has started or ended.
func (s *Sandbox) Command(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error) {
	if shell == "" {
		return nil, errors.New("sandbox command: no shell")
	}
	if env == nil {
		env = os.Environ()
	}
	argv, extraEnv, files, err := s.backend.wrap(ctx, shell, script, dir)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = mergeEnv(env, s.policy.Env, extraEnv)
	cmd.ExtraFiles = files
	return cmd, nil
}

// mergeEnv appends the layers in order; a later KEY= replaces an earlier
// one, so the proxy variables win over whatever the user had.
func mergeEnv(layers ...[]string) []string {
	index := map[string]int{}
	var out []string
	for _, layer := range layers {
		for _, kv := range layer {
			k := kv
			for i := 0; i < len(kv); i++ {
				if kv[i] == '=' {
					k = kv[:i]
					break
				}
			}
			if i, ok := index[k]; ok {
				out[i] = kv
				continue
			}
			index[k] = len(out)
			out = append(out, kv)
		}
	}
	return out
}

// proxyEnv points every common client at the bridge.
func proxyEnv(port int) []string {
	u := "http://127.0.0.1:" + strconv.Itoa(port)
	noProxy := "localhost,127.0.0.1,::1"
	return []string{
		"HTTP_PROXY=" + u, "HTTPS_PROXY=" + u, "http_proxy=" + u, "https_proxy=" + u,
		"ALL_PROXY=" + u, "all_proxy=" + u, "NO_PROXY=" + noProxy, "no_proxy=" + noProxy,
	}
}
