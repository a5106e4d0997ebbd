package telemetry

import (
	"encoding/binary"
	"math"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// This file writes an OTLP ExportMetricsServiceRequest in the protobuf
// wire format by hand. The generated OTLP types would link the protobuf
// reflection runtime, and with it the linker keeps every exported method
// of every type in the binary (about 24 MB of basalt's 48); the message
// basalt sends uses a dozen fields and three wire types, so writing them
// directly is cheaper than that. (Even the protowire package would link
// one whose init reads and hashes the whole executable at every start.) The field numbers are those of opentelemetry-proto's
// metrics/v1, common/v1 and resource/v1 messages; otlp_test.go decodes
// the result with the generated types to prove the two agree.

// OTLP field numbers, by message.
const (
	fRequestResourceMetrics = 1 // ExportMetricsServiceRequest.resource_metrics

	fResourceMetricsResource  = 1
	fResourceMetricsScope     = 2
	fResourceMetricsSchemaURL = 3
	fResourceAttributes       = 1

	fScopeMetricsScope     = 1
	fScopeMetricsMetrics   = 2
	fScopeMetricsSchemaURL = 3
	fScopeName             = 1
	fScopeVersion          = 2
	fScopeAttributes       = 3

	fMetricName        = 1
	fMetricDescription = 2
	fMetricUnit        = 3
	fMetricGauge       = 5
	fMetricSum         = 7
	fMetricHistogram   = 9

	fDataPoints  = 1 // Gauge, Sum and Histogram
	fTemporality = 2 // Sum and Histogram
	fMonotonic   = 3 // Sum

	fNumberAttributes = 7
	fStartTime        = 2 // NumberDataPoint and HistogramDataPoint
	fTime             = 3 // NumberDataPoint and HistogramDataPoint
	fNumberAsDouble   = 4
	fNumberAsInt      = 6

	fHistAttributes   = 9
	fHistCount        = 4
	fHistSum          = 5
	fHistBucketCounts = 6
	fHistBounds       = 7
	fHistMin          = 11
	fHistMax          = 12

	fKeyValueKey   = 1
	fKeyValueValue = 2
	fAnyString     = 1
	fAnyBool       = 2
	fAnyInt        = 3
	fAnyDouble     = 4
	fAnyArray      = 5
	fArrayValues   = 1
)

// OTLP's AggregationTemporality enum.
const (
	otlpDelta      = 1
	otlpCumulative = 2
)

// encodeMetrics returns rm as an ExportMetricsServiceRequest. Aggregations
// basalt's instruments never produce (exponential histograms, summaries)
// are left out.
func encodeMetrics(rm *metricdata.ResourceMetrics) []byte {
	var res []byte
	if rm.Resource != nil {
		res = appendAttrs(res, fResourceAttributes, rm.Resource.Attributes())
	}
	var body []byte
	body = appendMessage(body, fResourceMetricsResource, res)
	for _, sm := range rm.ScopeMetrics {
		body = appendMessage(body, fResourceMetricsScope, encodeScopeMetrics(sm))
	}
	if rm.Resource != nil && rm.Resource.SchemaURL() != "" {
		body = appendString(body, fResourceMetricsSchemaURL, rm.Resource.SchemaURL())
	}
	return appendMessage(nil, fRequestResourceMetrics, body)
}

func encodeScopeMetrics(sm metricdata.ScopeMetrics) []byte {
	var scope []byte
	scope = appendString(scope, fScopeName, sm.Scope.Name)
	scope = appendString(scope, fScopeVersion, sm.Scope.Version)
	scope = appendAttrs(scope, fScopeAttributes, sm.Scope.Attributes.ToSlice())
	b := appendMessage(nil, fScopeMetricsScope, scope)
	for _, m := range sm.Metrics {
		if data, field := encodeData(m.Data); data != nil {
			var mb []byte
			mb = appendString(mb, fMetricName, m.Name)
			mb = appendString(mb, fMetricDescription, m.Description)
			mb = appendString(mb, fMetricUnit, m.Unit)
			mb = appendMessage(mb, field, data)
			b = appendMessage(b, fScopeMetricsMetrics, mb)
		}
	}
	return appendString(b, fScopeMetricsSchemaURL, sm.Scope.SchemaURL)
}

// encodeData returns the aggregation's message and the Metric field it
// goes in, or nil for an aggregation OTLP encoding is not written for.
func encodeData(a metricdata.Aggregation) ([]byte, fieldNum) {
	switch d := a.(type) {
	case metricdata.Sum[float64]:
		return encodeSum(d.DataPoints, d.Temporality, d.IsMonotonic), fMetricSum
	case metricdata.Sum[int64]:
		return encodeSum(d.DataPoints, d.Temporality, d.IsMonotonic), fMetricSum
	case metricdata.Gauge[float64]:
		return encodePoints(nil, d.DataPoints), fMetricGauge
	case metricdata.Gauge[int64]:
		return encodePoints(nil, d.DataPoints), fMetricGauge
	case metricdata.Histogram[float64]:
		return encodeHistogram(d), fMetricHistogram
	case metricdata.Histogram[int64]:
		return encodeHistogram(d), fMetricHistogram
	}
	return nil, 0
}

func encodeSum[N int64 | float64](points []metricdata.DataPoint[N], t metricdata.Temporality, monotonic bool) []byte {
	b := encodePoints(nil, points)
	b = appendVarint(b, fTemporality, temporality(t))
	if monotonic {
		b = appendVarint(b, fMonotonic, 1)
	}
	// A Sum with no points still has to be a present (non-nil) message.
	if b == nil {
		b = []byte{}
	}
	return b
}

func encodePoints[N int64 | float64](b []byte, points []metricdata.DataPoint[N]) []byte {
	for _, p := range points {
		var pb []byte
		pb = appendAttrs(pb, fNumberAttributes, p.Attributes.ToSlice())
		pb = appendTime(pb, fStartTime, p.StartTime)
		pb = appendTime(pb, fTime, p.Time)
		switch v := any(p.Value).(type) {
		case float64:
			pb = appendDouble(pb, fNumberAsDouble, v)
		case int64:
			pb = appendTag(pb, fNumberAsInt, wireFixed64)
			pb = appendFixed64(pb, uint64(v))
		}
		b = appendMessage(b, fDataPoints, pb)
	}
	if b == nil {
		b = []byte{}
	}
	return b
}

func encodeHistogram[N int64 | float64](h metricdata.Histogram[N]) []byte {
	var b []byte
	for _, p := range h.DataPoints {
		var pb []byte
		pb = appendAttrs(pb, fHistAttributes, p.Attributes.ToSlice())
		pb = appendTime(pb, fStartTime, p.StartTime)
		pb = appendTime(pb, fTime, p.Time)
		pb = appendTag(pb, fHistCount, wireFixed64)
		pb = appendFixed64(pb, p.Count)
		pb = appendDouble(pb, fHistSum, float64(p.Sum))
		if len(p.BucketCounts) > 0 {
			var packed []byte
			for _, c := range p.BucketCounts {
				packed = appendFixed64(packed, c)
			}
			pb = appendMessage(pb, fHistBucketCounts, packed)
		}
		if len(p.Bounds) > 0 {
			var packed []byte
			for _, x := range p.Bounds {
				packed = appendFixed64(packed, math.Float64bits(x))
			}
			pb = appendMessage(pb, fHistBounds, packed)
		}
		if v, ok := p.Min.Value(); ok {
			pb = appendDouble(pb, fHistMin, float64(v))
		}
		if v, ok := p.Max.Value(); ok {
			pb = appendDouble(pb, fHistMax, float64(v))
		}
		b = appendMessage(b, fDataPoints, pb)
	}
	return appendVarint(b, fTemporality, temporality(h.Temporality))
}

func temporality(t metricdata.Temporality) uint64 {
	if t == metricdata.DeltaTemporality {
		return otlpDelta
	}
	return otlpCumulative
}

func appendAttrs(b []byte, field fieldNum, kvs []attribute.KeyValue) []byte {
	for _, kv := range kvs {
		var kb []byte
		kb = appendString(kb, fKeyValueKey, string(kv.Key))
		kb = appendMessage(kb, fKeyValueValue, encodeValue(kv.Value))
		b = appendMessage(b, field, kb)
	}
	return b
}

// encodeValue returns v as an AnyValue; a slice becomes an ArrayValue.
func encodeValue(v attribute.Value) []byte {
	b := []byte{}
	switch v.Type() {
	case attribute.BOOL:
		b = appendTag(b, fAnyBool, wireVarint)
		b = binary.AppendUvarint(b, boolVarint(v.AsBool()))
	case attribute.INT64:
		b = appendTag(b, fAnyInt, wireVarint)
		b = binary.AppendUvarint(b, uint64(v.AsInt64()))
	case attribute.FLOAT64:
		b = appendTag(b, fAnyDouble, wireFixed64)
		b = appendFixed64(b, math.Float64bits(v.AsFloat64()))
	case attribute.STRING:
		b = appendTag(b, fAnyString, wireBytes)
		b = appendLen(b, []byte(v.AsString()))
	case attribute.BOOLSLICE:
		b = appendArray(b, v.AsBoolSlice(), attribute.BoolValue)
	case attribute.INT64SLICE:
		b = appendArray(b, v.AsInt64Slice(), attribute.Int64Value)
	case attribute.FLOAT64SLICE:
		b = appendArray(b, v.AsFloat64Slice(), attribute.Float64Value)
	case attribute.STRINGSLICE:
		b = appendArray(b, v.AsStringSlice(), attribute.StringValue)
	}
	return b
}

func appendArray[T any](b []byte, xs []T, value func(T) attribute.Value) []byte {
	arr := []byte{}
	for _, x := range xs {
		arr = appendMessage(arr, fArrayValues, encodeValue(value(x)))
	}
	return appendMessage(b, fAnyArray, arr)
}

// appendMessage appends a length-delimited field; a nil msg (an absent
// message) appends nothing, an empty one an empty field.
func appendMessage(b []byte, field fieldNum, msg []byte) []byte {
	if msg == nil {
		return b
	}
	b = appendTag(b, field, wireBytes)
	return appendLen(b, msg)
}

// appendString appends a string field, leaving out the empty string as
// proto3 does.
func appendString(b []byte, field fieldNum, s string) []byte {
	if s == "" {
		return b
	}
	b = appendTag(b, field, wireBytes)
	return appendLen(b, []byte(s))
}

func appendVarint(b []byte, field fieldNum, v uint64) []byte {
	b = appendTag(b, field, wireVarint)
	return binary.AppendUvarint(b, v)
}

func appendDouble(b []byte, field fieldNum, v float64) []byte {
	b = appendTag(b, field, wireFixed64)
	return appendFixed64(b, math.Float64bits(v))
}

// appendTime appends a fixed64 time in Unix nanoseconds; the zero time
// is left out.
func appendTime(b []byte, field fieldNum, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = appendTag(b, field, wireFixed64)
	return appendFixed64(b, uint64(t.UnixNano()))
}

// The protobuf wire format's field numbers and the three wire types used.
type fieldNum int32

const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
)

func appendTag(b []byte, field fieldNum, wire uint64) []byte {
	return binary.AppendUvarint(b, uint64(field)<<3|wire)
}

func appendFixed64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

// appendLen appends a length-prefixed payload.
func appendLen(b, payload []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(payload)))
	return append(b, payload...)
}

func boolVarint(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}
