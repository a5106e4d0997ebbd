// Command floorui is bench/floor plus the libraries basalt's terminal
// side is prescribed to use (Bubble Tea, Bubbles, Lip Gloss, Cobra,
// goldmark): the start-up floor of a basalt that shipped nothing of its
// own. basalt version's cost above it is basalt's own code and its other
// dependencies (bench/lean.md).
//
//	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /tmp/floorui ./bench/floorui
//	/usr/bin/time -f %M /tmp/floorui
package main

import (
	"fmt"

	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbles/v2/textinput"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/anthropics/anthropic-sdk-go"
	_ "github.com/anthropics/anthropic-sdk-go/bedrock"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrock"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
	_ "github.com/spf13/cobra"
	_ "github.com/yuin/goldmark"
)

func main() { fmt.Println("floor with the UI libraries") }
