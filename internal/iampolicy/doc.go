// Package iampolicy writes the IAM policy that lets an identity use
// exactly the Bedrock models basalt is configured with: the inference
// profiles, the foundation models in every region they route to, the
// guardrail, and the AWS Marketplace statement for first use.
//
// It reads inference profiles through a [ProfileSource] and never changes
// anything in AWS. Printing the policy, flags and exit codes belong to the
// `basalt iam-policy` command in internal/cli.
package iampolicy
