package iampolicy

// actMantleInference is the one action of Bedrock's Mantle endpoint that
// basalt's requests need: Messages API calls (POST /anthropic/v1/messages)
// are CreateInference in the bedrock-mantle service (AWS, "Making
// inference requests", bedrock-mantle endpoint, and the Service
// Authorization Reference for "Amazon Bedrock Powered by AWS Mantle").
const actMantleInference = "bedrock-mantle:CreateInference"

// Mantle is the least-privilege policy for CLAUDE_CODE_USE_MANTLE:
// CreateInference on "*", as AWS's own example grants it. AWS's example
// adds GetProject, ListProjects and ListTagsForResources for tools that
// manage Mantle projects; basalt calls none of them, so they are left
// out. Mantle takes the model from the request body, so the policy
// cannot name models.
func Mantle() Policy {
	return Policy{Version: policyVersion, Statement: []Statement{{
		Sid:      "MantleInference",
		Effect:   "Allow",
		Action:   []string{actMantleInference},
		Resource: "*",
		Why: "send Messages API requests to Bedrock's Mantle endpoint (CLAUDE_CODE_USE_MANTLE); the model is in the request body, " +
			"so IAM cannot restrict it by resource, and bedrock:InvokeModel is not needed for Mantle",
	}}}
}
