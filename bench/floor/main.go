// Command floor is the start-up floor of basalt's required libraries: it
// links only the SDKs the design prescribes (the AWS SDK's configuration
// and Bedrock control-plane client, the Anthropic SDK with its Bedrock
// adapter, the MCP Go SDK), runs their package initialisation, and prints
// one line. Whatever basalt version costs above this program is basalt's.
//
//	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /tmp/floor ./bench/floor
//	perf stat -r 30 -e task-clock /tmp/floor
//	/usr/bin/time -f %M /tmp/floor
package main

import (
	"fmt"

	_ "github.com/anthropics/anthropic-sdk-go"
	_ "github.com/anthropics/anthropic-sdk-go/bedrock"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrock"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
)

func main() { fmt.Println("floor") }
