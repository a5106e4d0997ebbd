package telemetry

import (
	"go.opentelemetry.io/otel/attribute"
)

// Field numbers of opentelemetry-proto's collector/logs/v1 and logs/v1
// messages; otlplogs_test.go decodes the result with the generated types.
const (
	fRequestResourceLogs = 1 // ExportLogsServiceRequest.resource_logs

	fResourceLogsResource = 1
	fResourceLogsScope    = 2

	fScopeLogsScope   = 1
	fScopeLogsRecords = 2

	fLogTime         = 1
	fLogSeverity     = 2
	fLogSeverityText = 3
	fLogBody         = 5
	fLogAttributes   = 6
	fLogObservedTime = 11
	// fLogEventName is LogRecord.event_name (opentelemetry-proto 1.5);
	// older collectors skip it as an unknown field.
	fLogEventName = 12
)

// severityInfo is SeverityNumber SEVERITY_NUMBER_INFO: events are not
// problems, even an api_error, which is reported by its attributes.
const severityInfo = 9

// encodeLogs returns recs as an ExportLogsServiceRequest with one
// resource and one scope.
func encodeLogs(resource []attribute.KeyValue, version string, recs []logRecord) []byte {
	var res []byte
	res = appendAttrs(res, fResourceAttributes, resource)

	var scope []byte
	scope = appendString(scope, fScopeName, eventScope)
	scope = appendString(scope, fScopeVersion, version)

	var sl []byte
	sl = appendMessage(sl, fScopeLogsScope, scope)
	for _, r := range recs {
		var lr []byte
		lr = appendTime(lr, fLogTime, r.time)
		lr = appendVarint(lr, fLogSeverity, severityInfo)
		lr = appendString(lr, fLogSeverityText, "INFO")
		body := appendTag(nil, fAnyString, wireBytes)
		body = appendLen(body, []byte(r.name))
		lr = appendMessage(lr, fLogBody, body)
		lr = appendAttrs(lr, fLogAttributes, r.attrs)
		lr = appendTime(lr, fLogObservedTime, r.time)
		lr = appendString(lr, fLogEventName, r.name)
		sl = appendMessage(sl, fScopeLogsRecords, lr)
	}

	var rl []byte
	rl = appendMessage(rl, fResourceLogsResource, res)
	rl = appendMessage(rl, fResourceLogsScope, sl)
	return appendMessage(nil, fRequestResourceLogs, rl)
}
