// Package awsauth owns AWS credentials for Bedrock: the SDK default chain
// (environment keys, shared files, SSO, credential_process, aws login, web
// identity, container and instance roles), the Bedrock bearer token,
// awsCredentialExport, awsAuthRefresh and expiry detection.
//
// It must never print, log or return a secret in an error message.
package awsauth
