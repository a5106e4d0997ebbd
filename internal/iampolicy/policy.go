package iampolicy

import (
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// Policy is an IAM policy document. Field names and order are IAM's.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a [Policy].
type Statement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Action    []string                     `json:"Action"`
	Resource  any                          `json:"Resource"` // "*" or a list
	Condition map[string]map[string]string `json:"Condition,omitempty"`

	// Why says in a sentence what the statement allows and why basalt
	// needs it, for the explanation printed after the policy.
	Why string `json:"-"`
}

// policyVersion is the current IAM policy language.
const policyVersion = "2012-10-17"

const (
	actInvoke       = "bedrock:InvokeModel"
	actInvokeStream = "bedrock:InvokeModelWithResponseStream"
	actList         = "bedrock:ListInferenceProfiles"
	actGet          = "bedrock:GetInferenceProfile"
	actGuardrail    = "bedrock:ApplyGuardrail"
)

var accountPattern = lazyre.New(`^[0-9]{12}$`)

// ValidAccount reports whether s is an AWS account ID (12 digits).
func ValidAccount(s string) bool {
	return accountPattern().MatchString(s)
}

// Partition is the ARN partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	}
	return "aws"
}

// marketplaceStatement is the seed documents' statement: Bedrock, and
// only Bedrock (aws:CalledViaLast), may subscribe to a model's AWS
// Marketplace offer on the identity's behalf the first time it is used.
func marketplaceStatement() Statement {
	return Statement{
		Sid:       "AllowMarketplaceSubscription",
		Effect:    "Allow",
		Action:    []string{"aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"},
		Resource:  "*",
		Condition: map[string]map[string]string{"StringEquals": {"aws:CalledViaLast": "bedrock.amazonaws.com"}},
		Why: "lets Bedrock, and only Bedrock (aws:CalledViaLast), subscribe to a model's AWS Marketplace offer the first time " +
			"it is invoked; once an administrator has enabled model access for the account it may be dropped",
	}
}

// Broad is the wildcard policy of the Claude Code on Bedrock
// documentation (the seed documents), with GetInferenceProfile, which
// basalt calls to learn the model behind an application profile.
func Broad(partition string) Policy {
	return Policy{Version: policyVersion, Statement: []Statement{
		{
			Sid:    "AllowModelAndInferenceProfileAccess",
			Effect: "Allow",
			Action: []string{actInvoke, actInvokeStream, actList, actGet},
			Resource: []string{
				"arn:" + partition + ":bedrock:*:*:inference-profile/*",
				"arn:" + partition + ":bedrock:*:*:application-inference-profile/*",
				"arn:" + partition + ":bedrock:*:*:foundation-model/*",
			},
			Why: "every model through every inference profile in every region: simple, and far more than basalt needs; `basalt iam-policy` without --broad prints the least-privilege version",
		},
		marketplaceStatement(),
	}}
}
