package media

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// object is a JSON object that remembers the order of its keys and the
// exact text of every value, so that writing it back changes only what
// was edited.
type object struct {
	keys   []string
	vals   map[string]json.RawMessage
	raw    []byte // the text it was parsed from; nil for a new object
	edited bool
}

func parseObject(data []byte) (*object, error) {
	o, _, err := parseObjectAt(data, "")
	return o, err
}

// parseObjectAt parses data and returns, for the key want, the span of
// its value in data.
func parseObjectAt(data []byte, want string) (*object, [2]int, error) {
	var span [2]int
	o, err := parseObjectSpan(data, want, &span)
	return o, span, err
}

func parseObjectSpan(data []byte, want string, span *[2]int) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("expected an object, found %v", tok)
	}
	o := &object{vals: map[string]json.RawMessage{}, raw: data}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if _, dup := o.vals[k]; dup {
			return nil, fmt.Errorf("duplicate key %q", k)
		}
		o.keys = append(o.keys, k)
		o.vals[k] = v
		if k == want {
			end := int(dec.InputOffset())
			span[0], span[1] = end-len(v), end
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, fmt.Errorf("unexpected data after the object at offset %d", dec.InputOffset())
	}
	return o, nil
}

// get decodes the value of k into v; a missing key leaves v alone.
func (o *object) get(k string, v any) error {
	raw, ok := o.vals[k]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%q: %w", k, err)
	}
	return nil
}

func (o *object) has(k string) bool { _, ok := o.vals[k]; return ok }

// set replaces or appends k's value.
func (o *object) set(k string, v any) {
	raw, err := marshalPlain(v)
	if err != nil {
		panic(err) // only basalt's own values are set
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = raw
	o.edited = true
}

func (o *object) del(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	o.edited = true
	for i, kk := range o.keys {
		if kk == k {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			break
		}
	}
}

// compact writes the object on one line, values as they were.
func (o *object) compact(b *bytes.Buffer) {
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := marshalPlain(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
}

// marshalPlain is json.Marshal without HTML escaping: Jupyter writes "<"
// and "&" as they are.
func marshalPlain(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
