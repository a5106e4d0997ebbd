package config

import "sync"

// Var describes an environment variable basalt understands. The table is
// the single list behind config show, the README and the secret filter.
type Var struct {
	Name    string
	Secret  bool   // never printed or logged (what reaches commands: CommandEnv)
	Meaning string // one line, for config show and documentation
}

// Vars lists every environment variable basalt reads, Claude Code's names
// first (DESIGN.md §4).
var Vars = []Var{
	{Name: "CLAUDE_CODE_USE_BEDROCK", Meaning: "use Amazon Bedrock (1, true, yes, on)"},
	{Name: "AWS_REGION", Meaning: "AWS region of the Bedrock endpoint"},
	{Name: "AWS_DEFAULT_REGION", Meaning: "region used when AWS_REGION is unset"},
	{Name: "AWS_PROFILE", Meaning: "profile of the AWS shared config and credentials files"},
	{Name: "AWS_CONFIG_FILE", Meaning: "AWS shared config file (default ~/.aws/config)"},
	{Name: "AWS_SHARED_CREDENTIALS_FILE", Meaning: "AWS shared credentials file (default ~/.aws/credentials)"},
	{Name: "AWS_ACCESS_KEY_ID", Meaning: "static AWS access key"},
	{Name: "AWS_SECRET_ACCESS_KEY", Secret: true, Meaning: "static AWS secret key"},
	{Name: "AWS_SESSION_TOKEN", Secret: true, Meaning: "session token of temporary AWS credentials"},
	{Name: "AWS_BEARER_TOKEN_BEDROCK", Secret: true, Meaning: "Bedrock API key, sent as Authorization: Bearer (takes precedence over AWS credentials)"},
	{Name: "ANTHROPIC_MODEL", Meaning: "primary model: alias, inference-profile ID or ARN"},
	{Name: "ANTHROPIC_SMALL_FAST_MODEL", Meaning: "model for background tasks"},
	{Name: "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", Meaning: "region of the small/fast model"},
	{Name: "ANTHROPIC_DEFAULT_OPUS_MODEL", Meaning: "what the opus alias resolves to"},
	{Name: "ANTHROPIC_DEFAULT_SONNET_MODEL", Meaning: "what the sonnet alias resolves to"},
	{Name: "ANTHROPIC_DEFAULT_HAIKU_MODEL", Meaning: "what the haiku alias resolves to"},
	{Name: "ANTHROPIC_DEFAULT_FABLE_MODEL", Meaning: "what the fable (and best) alias resolves to; default Claude Fable 5"},
	{Name: "ANTHROPIC_DEFAULT_MODEL", Meaning: "the default primary model, used when nothing else names one"},
	{Name: "DISABLE_PROMPT_CACHING", Meaning: "turn prompt caching off for every model"},
	{Name: "DISABLE_PROMPT_CACHING_OPUS", Meaning: "turn prompt caching off for Opus models"},
	{Name: "DISABLE_PROMPT_CACHING_SONNET", Meaning: "turn prompt caching off for Sonnet models"},
	{Name: "DISABLE_PROMPT_CACHING_HAIKU", Meaning: "turn prompt caching off for Haiku models"},
	{Name: "DISABLE_PROMPT_CACHING_FABLE", Meaning: "turn prompt caching off for Fable models"},
	{Name: "ENABLE_PROMPT_CACHING_1H", Meaning: "write cache entries with the 1-hour TTL"},
	{Name: "ENABLE_PROMPT_CACHING_1H_BEDROCK", Meaning: "deprecated name of ENABLE_PROMPT_CACHING_1H"},
	{Name: "FORCE_PROMPT_CACHING_5M", Meaning: "keep the 5-minute TTL even when the 1-hour one is enabled"},
	{Name: "CLAUDE_CODE_MAX_OUTPUT_TOKENS", Meaning: "max_tokens of each request"},
	{Name: "CLAUDE_CODE_MAX_CONTEXT_TOKENS", Meaning: "context window to plan for (compaction starts at 80% of it); default: the model's"},
	{Name: "MAX_THINKING_TOKENS", Meaning: "extended-thinking budget (0 or unset: off)"},
	{Name: "CLAUDE_CODE_SUBAGENT_MODEL", Meaning: "model of every subagent (alias or ID), over the agent type's own"},
	{Name: "CLAUDE_CODE_EFFORT_LEVEL", Meaning: "effort level: low, medium, high, xhigh, max or auto (over the effortLevel setting)"},
	{Name: "CLAUDE_CODE_DISABLE_THINKING", Meaning: "no thinking, except on models that always think"},
	{Name: "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING", Meaning: "a thinking budget instead of adaptive thinking where the model takes both"},
	{Name: "DISABLE_INTERLEAVED_THINKING", Meaning: "no interleaved-thinking beta"},
	{Name: "ANTHROPIC_BETAS", Meaning: "comma-separated betas added to every request"},
	{Name: "CLAUDE_CODE_EXTRA_BODY", Meaning: "JSON object merged into every request body (fields basalt owns are refused)"},
	{Name: "ANTHROPIC_CUSTOM_HEADERS", Meaning: "extra request headers, one 'Name: value' per line (guardrails)"},
	{Name: "ANTHROPIC_BEDROCK_BASE_URL", Meaning: "Bedrock endpoint override (gateways, the emulator)"},
	{Name: "CLAUDE_CODE_SKIP_BEDROCK_AUTH", Meaning: "send unsigned requests (the gateway signs)"},
	{Name: "ANTHROPIC_BEDROCK_REGION_PREFIX", Meaning: "inference-profile prefix to prefer: us, eu, apac, jp, au, us-gov or global (default: from the region)"},
	{Name: "CLAUDE_CODE_MAX_RETRIES", Meaning: "retries of a throttled or failed request (default 10)"},
	{Name: "ANTHROPIC_BEDROCK_SERVICE_TIER", Meaning: "Bedrock service tier of model requests: default, flex or priority (sent as X-Amzn-Bedrock-Service-Tier; priced at the tier's rate)"},
	{Name: "CLAUDE_CODE_USE_MANTLE", Meaning: "send model requests to Bedrock's Mantle endpoint (the Anthropic Messages API on Bedrock)"},
	{Name: "ANTHROPIC_BEDROCK_MANTLE_BASE_URL", Meaning: "Mantle endpoint override (default https://bedrock-mantle.REGION.api.aws/anthropic)"},
	{Name: "CLAUDE_CODE_SKIP_MANTLE_AUTH", Meaning: "send unsigned Mantle requests (the gateway signs)"},
	{Name: "NODE_EXTRA_CA_CERTS", Meaning: "PEM file of CA certificates trusted in addition to the system's"},
	{Name: "AWS_CA_BUNDLE", Meaning: "PEM file of CA certificates trusted instead of the system's"},
	{Name: "SSL_CERT_FILE", Meaning: "PEM file of CA certificates trusted instead of the system's (OpenSSL's name)"},
	{Name: "CLAUDE_CODE_CLIENT_CERT", Meaning: "PEM client certificate for mutual TLS"},
	{Name: "CLAUDE_CODE_CLIENT_KEY", Meaning: "PEM private key of the client certificate (default: the certificate file)"},
	{Name: "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", Secret: true, Meaning: "passphrase of an encrypted client key"},
	{Name: "HTTPS_PROXY", Meaning: "proxy for HTTPS requests (model, credential and control-plane calls alike)"},
	{Name: "HTTP_PROXY", Meaning: "proxy for plain-HTTP requests"},
	{Name: "NO_PROXY", Meaning: "hosts reached directly, comma-separated"},
	{Name: "API_TIMEOUT_MS", Meaning: "longest a model request may take, in milliseconds (default 600000)"},
	{Name: "CLAUDE_CODE_SKIP_AWS_CRED_CACHE", Meaning: "resolve AWS credentials for every request instead of caching them"},
	{Name: "CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS", Meaning: "longest resolving the AWS credential chain may take, in milliseconds"},
	{Name: "AWS_EC2_METADATA_DISABLED", Meaning: "true: never ask the EC2 instance metadata service for credentials"},
	{Name: "ANTHROPIC_API_KEY", Secret: true, Meaning: "use the Anthropic API directly with this key"},
	{Name: "ANTHROPIC_BASE_URL", Meaning: "Anthropic API endpoint override"},
	{Name: "BASALT_LOG", Meaning: "log level of the log file: debug, info, warn, error (default: no log)"},
	{Name: "MCP_TIMEOUT", Meaning: "milliseconds an MCP server may take to start (default 30000)"},
	{Name: "MCP_TOOL_TIMEOUT", Meaning: "milliseconds an MCP tool call may take (default: no limit beyond the turn's)"},
	{Name: "MAX_MCP_OUTPUT_TOKENS", Meaning: "longest MCP tool result, in tokens (default 25000); longer ones are cut with a note"},
	{Name: "ENABLE_TOOL_SEARCH", Meaning: "defer MCP tool definitions behind ToolSearch: auto (default: over 40 tools or 10% of the window), auto:N, true, false"},
	{Name: "CLAUDE_CODE_ENABLE_TELEMETRY", Meaning: "export OpenTelemetry metrics (sessions, tokens, cost, requests, tool decisions)"},
	{Name: "OTEL_METRICS_EXPORTER", Meaning: "metrics exporter: otlp (default) or none"},
	{Name: "OTEL_EXPORTER_OTLP_ENDPOINT", Meaning: "OTLP collector base URL (default http://localhost:4318, gRPC :4317)"},
	{Name: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", Meaning: "OTLP metrics URL, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT)"},
	{Name: "OTEL_EXPORTER_OTLP_PROTOCOL", Meaning: "OTLP protocol: http/protobuf (default) or grpc"},
	{Name: "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", Meaning: "OTLP protocol of metrics (wins over OTEL_EXPORTER_OTLP_PROTOCOL)"},
	{Name: "OTEL_EXPORTER_OTLP_HEADERS", Secret: true, Meaning: "headers of OTLP requests, key=value,… (collector credentials)"},
	{Name: "OTEL_EXPORTER_OTLP_METRICS_HEADERS", Secret: true, Meaning: "headers of OTLP metrics requests, added to OTEL_EXPORTER_OTLP_HEADERS"},
	{Name: "OTEL_METRIC_EXPORT_INTERVAL", Meaning: "milliseconds between metric exports (default 60000; the rest is sent at exit)"},
	{Name: "OTEL_RESOURCE_ATTRIBUTES", Meaning: "resource attributes of the metrics, key=value,… (team, cost centre)"},
	{Name: "OTEL_LOGS_EXPORTER", Meaning: "events (OTel logs) exporter: otlp, console or none (default: no events)"},
	{Name: "OTEL_LOGS_EXPORT_INTERVAL", Meaning: "milliseconds between event exports (default 5000; the rest is sent at exit)"},
	{Name: "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", Meaning: "OTLP logs URL, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT)"},
	{Name: "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", Meaning: "OTLP protocol of events (wins over OTEL_EXPORTER_OTLP_PROTOCOL)"},
	{Name: "OTEL_EXPORTER_OTLP_LOGS_HEADERS", Secret: true, Meaning: "headers of OTLP logs requests, added to OTEL_EXPORTER_OTLP_HEADERS"},
	{Name: "OTEL_LOG_USER_PROMPTS", Meaning: "put the prompt's text in claude_code.user_prompt events (default: its length only)"},
	{Name: "OTEL_LOG_TOOL_DETAILS", Meaning: "put tool inputs and error text in claude_code.tool_result events"},
	{Name: "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", Meaning: "1: export traces (beta, with OTEL_TRACES_EXPORTER); ENABLE_ENHANCED_TELEMETRY_BETA also works"},
	{Name: "ENABLE_ENHANCED_TELEMETRY_BETA", Meaning: "older spelling of CLAUDE_CODE_ENHANCED_TELEMETRY_BETA"},
	{Name: "OTEL_TRACES_EXPORTER", Meaning: "traces exporter: otlp, console or none (default: no spans; needs CLAUDE_CODE_ENHANCED_TELEMETRY_BETA)"},
	{Name: "OTEL_BSP_SCHEDULE_DELAY", Meaning: "milliseconds between span exports (default 5000; the rest is sent at exit)"},
	{Name: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", Meaning: "OTLP traces URL, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT)"},
	{Name: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", Meaning: "OTLP protocol of traces (wins over OTEL_EXPORTER_OTLP_PROTOCOL)"},
	{Name: "OTEL_EXPORTER_OTLP_TRACES_HEADERS", Secret: true, Meaning: "headers of OTLP traces requests, added to OTEL_EXPORTER_OTLP_HEADERS"},
	{Name: "OTEL_METRICS_INCLUDE_SESSION_ID", Meaning: "false: leave session.id off the metrics (default true)"},
	{Name: "OTEL_METRICS_INCLUDE_VERSION", Meaning: "true: add app.version to the metrics (default false)"},
}

// varIndex is built on first use: a package-level map is built at every
// start of the binary, for every command.
var varIndex = sync.OnceValue(func() map[string]Var {
	m := make(map[string]Var, len(Vars))
	for _, v := range Vars {
		m[v.Name] = v
	}
	return m
})
