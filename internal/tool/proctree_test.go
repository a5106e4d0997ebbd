package tool

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
)

// treeHelperArg makes the test binary run treeHelper (see TestMain): a
// stand-in for basalt that runs one command and is SIGKILLed mid-way.
const treeHelperArg = "__tree_helper"

// treeHelper runs the Bash command args[1] in a session rooted at args[0],
// supervised by this binary, and waits for it.
func treeHelper(args []string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s, err := NewSession(SessionOptions{WorkDir: args[0], Env: os.Environ(), Supervisor: exe})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	input, _ := json.Marshal(map[string]any{"command": args[1], "timeout": 600000})
	res, err := Bash{}.Run(context.Background(), s, input)
	fmt.Println(res.Content, err)
	return 0
}
