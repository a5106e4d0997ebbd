package emulator

import (
	"net/http"
	"strings"
)

// InvokeModel's body is a blob whose type the caller names: the API
// reference says "You must specify application/json" for contentType, and
// Bedrock compares the header as a string. A charset parameter is refused
// ("The provided Content Type is invalid or not supported for this
// model": tedder/requests-aws4auth#71, where a signer appended
// "; charset=utf-8", and tsibelman/aws-signer-v4-dot-net#40, where .NET's
// StringContent did). A request without the header is accepted: the
// model reads the bytes.
func checkInvokeContentType(r *http.Request) *apiError {
	ct, ok := r.Header["Content-Type"]
	if !ok {
		return nil
	}
	if len(ct) != 1 || !strings.EqualFold(strings.TrimSpace(ct[0]), "application/json") {
		return errValidation("The provided Content Type is invalid or not supported for this model")
	}
	return nil
}

// checkInvokeAccept checks the response type a caller asks for: the
// Accept header on InvokeModel, X-Amzn-Bedrock-Accept on the streaming
// operation (whose Accept is the event stream's). Claude answers JSON
// only, so a list must admit application/json. The wording mirrors the
// Content Type refusal; no capture of Bedrock's own has been found.
func checkInvokeAccept(r *http.Request, stream bool) *apiError {
	name := "Accept"
	if stream {
		name = "X-Amzn-Bedrock-Accept"
	}
	v := strings.TrimSpace(strings.Join(r.Header.Values(name), ","))
	if v == "" || admitsJSON(v) {
		return nil
	}
	return errValidation("The provided Accept Type is invalid or not supported for this model")
}

// admitsJSON reports whether an Accept list has a range that matches
// application/json with a non-zero quality.
func admitsJSON(list string) bool {
	for _, item := range strings.Split(list, ",") {
		mt, params, _ := strings.Cut(item, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		if mt != "application/json" && mt != "application/*" && mt != "*/*" {
			continue
		}
		zero := false
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") && strings.Trim(strings.TrimSpace(v), "0.") == "" && strings.TrimSpace(v) != "" {
				zero = true
			}
		}
		if !zero {
			return true
		}
	}
	return false
}
