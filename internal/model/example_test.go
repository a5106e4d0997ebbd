package model_test

import (
	"fmt"

	"github.com/basalt-dev/basalt/internal/model"
)

// A bare foundation-model ID, which Bedrock refuses on demand, becomes the
// region's inference profile, with a notice for the user.
func ExampleResolve() {
	r, err := model.Resolve(model.Request{
		Provider: model.ProviderBedrock,
		Region:   "eu-west-1",
		Value:    "anthropic.claude-sonnet-4-6",
		Source:   "env ANTHROPIC_MODEL",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ID)
	fmt.Println(r.Model.Name)
	fmt.Println(r.Notices[0])
	// Output:
	// eu.anthropic.claude-sonnet-4-6
	// Claude Sonnet 4.6
	// anthropic.claude-sonnet-4-6 is a foundation-model ID, which Bedrock does not serve on demand; using the inference profile eu.anthropic.claude-sonnet-4-6 instead
}

// A misspelt alias is a usage error that names the closest model.
func ExampleResolve_typo() {
	_, err := model.Resolve(model.Request{
		Provider: model.ProviderBedrock,
		Region:   "us-east-1",
		Value:    "sonet",
		Source:   "flag --model",
	})
	fmt.Println(err)
	// Output:
	// unknown model "sonet" (flag --model); did you mean "sonnet"?
}

// The cost meter prices a call by the ID that was sent: global profiles
// are 10% cheaper than geo profiles from the 4.5 generation on.
func ExampleModel_PriceFor() {
	m, _ := model.Lookup("claude-sonnet-4-6")
	fmt.Println(m.PriceFor("global.anthropic.claude-sonnet-4-6").Input)
	fmt.Println(m.PriceFor("us.anthropic.claude-sonnet-4-6").Input)
	// Output:
	// 3
	// 3.3
}
