package permission_test

import (
	"encoding/json"
	"fmt"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
)

func ExampleChecker_Decide() {
	allow, _ := config.ParseRuleList("Bash(go test:*) Edit(src/**)")
	deny, _ := config.ParseRuleList("Bash(rm:*) Read(./.env)")
	c, err := permission.New(permission.Options{
		Mode:        permission.ModeDefault,
		ProjectRoot: "/work/example",
		Home:        "/home/dev",
		Allow:       allow,
		Deny:        deny,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	bash := func(cmd string) permission.Request {
		in, _ := json.Marshal(map[string]string{"command": cmd})
		return permission.Request{Tool: "Bash", Input: in}
	}
	for _, req := range []permission.Request{
		bash("go test ./..."),
		bash("go test ./... && rm -rf build"),
		bash("go vet ./..."),
		{Tool: "Read", Input: json.RawMessage(`{"file_path": ".env"}`)},
	} {
		d := c.Decide(req)
		fmt.Println(d.Behavior, d.Rule)
	}
	// Output:
	// allow Bash(go test:*)
	// deny Bash(rm:*)
	// ask Bash(go vet:*)
	// deny Read(./.env)
}
