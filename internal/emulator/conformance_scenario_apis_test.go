package emulator_test

// One scenario file, three APIs: the same conversation sent through
// InvokeModel (the Anthropic SDK's bedrock adapter, as basalt and Claude
// Code send it), Converse (aws-sdk-go-v2) and Mantle (the Anthropic SDK's
// Mantle client) gets the same scripted turn, the same tool call and the
// same token counts.

import (
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/bedrock"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// turnView is what every API must agree on for one scripted turn.
type turnView struct {
	Text, Tool, ToolInput, Stop string
	InputTokens, OutputTokens   int
}

func TestConformanceOneScenarioEveryAPI(t *testing.T) {
	t.Parallel()
	srv := confStart(t, emulator.Options{Scenario: convToolScenario(t)})
	const prompt = "what is in /tmp/a.txt?"
	schema := map[string]any{"type": "object", "properties": map[string]any{"file_path": map[string]any{"type": "string"}}}

	// InvokeModel through the bedrock adapter.
	inv := confAnthropic(srv.URL)
	tools := []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
		Name: "Read", Description: anthropic.String("Read a file"),
		InputSchema: anthropic.ToolInputSchemaParam{Properties: schema["properties"]},
	}}}
	m, err := inv.Messages.New(t.Context(), anthropic.MessageNewParams{
		Model: confModel, MaxTokens: 4096, Tools: tools,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(prompt))},
	})
	if err != nil {
		t.Fatalf("InvokeModel: %v", err)
	}
	invoke := viewAnthropic(m)

	// Mantle.
	mc := mantleClient(t, bedrock.MantleClientConfig{APIKey: confBearer, BaseURL: srv.URL + "/anthropic"})
	mm, err := mc.Messages.New(t.Context(), anthropic.MessageNewParams{
		Model: mantleModel, MaxTokens: 4096, Tools: tools,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(prompt))},
	})
	if err != nil {
		t.Fatalf("Mantle: %v", err)
	}
	mantle := viewAnthropic(mm)

	// Converse.
	rt := confRuntime(srv.URL, confStaticCreds())
	out, err := rt.Converse(t.Context(), &bedrockruntime.ConverseInput{
		ModelId: aws.String(confModel), Messages: []types.Message{userText(prompt)},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
			Name: aws.String("Read"), Description: aws.String("Read a file"),
			InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(schema)},
		}}}},
	})
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	r := fromConverse(t, out)
	converse := turnView{Text: r.Text, Tool: r.ToolName, ToolInput: r.ToolJSON, Stop: string(r.StopReason),
		InputTokens: int(aws.ToInt32(r.Usage.InputTokens)), OutputTokens: int(aws.ToInt32(r.Usage.OutputTokens))}

	if diff := cmp.Diff(invoke, converse); diff != "" {
		t.Errorf("InvokeModel and Converse disagree (-invoke +converse):\n%s", diff)
	}
	if diff := cmp.Diff(invoke, mantle); diff != "" {
		t.Errorf("InvokeModel and Mantle disagree (-invoke +mantle):\n%s", diff)
	}
	if invoke.Tool != "Read" || invoke.Stop != "tool_use" {
		t.Errorf("the scripted first turn was not served: %+v", invoke)
	}
}

func viewAnthropic(m *anthropic.Message) turnView {
	v := turnView{Stop: string(m.StopReason), InputTokens: int(m.Usage.InputTokens), OutputTokens: int(m.Usage.OutputTokens)}
	for _, b := range m.Content {
		switch b := b.AsAny().(type) {
		case anthropic.TextBlock:
			v.Text += b.Text
		case anthropic.ToolUseBlock:
			v.Tool, v.ToolInput = b.Name, string(b.Input)
		}
	}
	return v
}
