// Package awsauth owns AWS credentials for Bedrock: the SDK default chain
// (environment keys, shared files, SSO, credential_process, aws login, web
// identity, container and instance roles), the Bedrock bearer token,
// awsCredentialExport, awsAuthRefresh and expiry detection. It also owns
// what the AWS tooling a team already uses means by AWS_CA_BUNDLE and
// NODE_EXTRA_CA_CERTS ([Roots], shared by the SDK's clients and basalt's
// own), and sends the SDK's log lines to basalt's log instead of stderr.
//
// It must never print, log or return a secret in an error message.
package awsauth
