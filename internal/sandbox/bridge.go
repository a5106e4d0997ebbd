package sandbox

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
)

// BridgeArg is the hidden first argument that makes basalt run as the
// sandbox's network bridge: `basalt __sandbox-bridge --sock PATH --port
// N -- SHELL -c SCRIPT`. cli.Main dispatches it before reading any
// configuration.
const BridgeArg = "__sandbox-bridge"

// RunBridge runs inside the sandbox, in its private network namespace:
// it listens on 127.0.0.1:port (the proxy address the command's
// HTTP_PROXY names), forwards every connection to the proxy's unix
// socket, runs the command as its child with the signals it receives
// passed on, and returns the command's exit code (128+N for a signal,
// as a shell reports it). With --hold it runs no command and serves a
// network namespace the sandbox's commands share, until killed.
func RunBridge(args []string) int {
	fs := flag.NewFlagSet(BridgeArg, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	sock := fs.String("sock", "", "the proxy's unix socket")
	port := fs.Int("port", 0, "the loopback port to listen on")
	hold := fs.Bool("hold", false, "run no command: serve until killed, after printing \"ready\"")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	argv := fs.Args()
	if *sock == "" || *port <= 0 || len(argv) == 0 && !*hold {
		fmt.Fprintf(os.Stderr, "basalt %s: want --sock PATH --port N (--hold | -- COMMAND...)\n", BridgeArg)
		return 2
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "basalt sandbox bridge: %v\n", err)
		return 1
	}
	if *hold {
		fmt.Println("ready")
		serveBridge(ln, *sock)
		return 0
	}
	go serveBridge(ln, *sock)
	return runChild(argv)
}

// serveBridge forwards each loopback connection to the unix socket.
func serveBridge(ln net.Listener, sock string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			u, err := net.Dial("unix", sock)
			if err != nil {
				return
			}
			defer u.Close()
			done := make(chan struct{})
			go func() {
				io.Copy(u, c)
				closeWrite(u)
				close(done)
			}()
			io.Copy(c, u)
			closeWrite(c)
			<-done
		}()
	}
}

// runChild runs argv with this process's stdio and environment, passes
// on the signals that end or interrupt a command, and returns its exit
// code.
func runChild(argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "basalt sandbox bridge: %v\n", err)
		return 127
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(sigs)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "basalt sandbox bridge: %v\n", err)
		return 1
	}
	return 0
}
