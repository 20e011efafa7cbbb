package iamv1

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// schemaGen makes JSON Schemas (draft 2020-12, OpenAPI 3.1's dialect) of
// the Go types the handlers decode and encode, following encoding/json:
// a struct is an object of its json-tagged fields (embedded structs
// flattened), named structs become components/schemas under their Go
// name, which is the document's model name.
//
// What a property promises depends on the direction a model travels:
//
//   - answers (encoded): a field without omitempty is always written, so
//     it is required; with omitempty it may be missing. A pointer without
//     omitempty may be null. Slices and maps are promised non-null: the
//     handlers make them, and the response test would catch a nil one.
//   - requests (decoded): the decoder requires no field; the handler's
//     required checks are listed in requestRequired (openapi_ops.go). A
//     pointer field that is not required may be null (absent and null
//     mean the same to the handler). Long and FlexString take a number or
//     a string as Jackson does.
//
// A model used both ways (InviteUserUpdateRequest) gets the looser of the
// two rules for each property.
type schemaGen struct {
	dirs  map[reflect.Type]direction // directions each named struct travels
	comps map[string]any
	types map[string]reflect.Type
}

type direction uint8

const (
	dirIn  direction = 1 << iota // decoded from a request
	dirOut                       // encoded in an answer
)

var (
	longType       = reflect.TypeFor[Long]()
	flexStringType = reflect.TypeFor[FlexString]()
	timeType       = reflect.TypeFor[time.Time]()
	rawType        = reflect.TypeFor[json.RawMessage]()
)

// newSchemaGen marks the direction of every model apiOps reaches, so that
// a component's rules are known before it is generated.
func newSchemaGen() *schemaGen {
	g := &schemaGen{dirs: map[reflect.Type]direction{}, comps: map[string]any{}, types: map[string]reflect.Type{}}
	for _, op := range apiOps {
		switch op.body.(type) {
		case nil, bareString, formBody:
		default:
			g.mark(reflect.TypeOf(op.body), dirIn)
		}
		for _, r := range op.ok {
			if r.model != nil && r.model != (textBody{}) {
				g.mark(reflect.TypeOf(r.model), dirOut)
			}
		}
	}
	g.mark(reflect.TypeFor[ErrorBody](), dirOut)
	return g
}

func (g *schemaGen) mark(t reflect.Type, d direction) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return
	}
	if t.Name() != "" {
		if g.dirs[t]&d != 0 {
			return
		}
		g.dirs[t] |= d
	}
	for i := 0; i < t.NumField(); i++ {
		g.mark(t.Field(i).Type, d)
	}
}

// request is the schema of a request body value v.
func (g *schemaGen) request(v any) map[string]any { return g.typeSchema(reflect.TypeOf(v), dirIn) }

// response is the schema of an answer value v.
func (g *schemaGen) response(v any) map[string]any { return g.typeSchema(reflect.TypeOf(v), dirOut) }

// components are the named schemas generated so far.
func (g *schemaGen) components() map[string]any { return g.comps }

func (g *schemaGen) typeSchema(t reflect.Type, d direction) map[string]any {
	if t.Kind() == reflect.Pointer {
		return g.typeSchema(t.Elem(), d)
	}
	switch t {
	case longType:
		if d&dirIn != 0 {
			return map[string]any{"type": []string{"integer", "string"}, "pattern": `^\s*[+-]?[0-9]+\s*$`,
				"description": "A whole number; a string of digits is read as well."}
		}
		return map[string]any{"type": "integer", "format": "int64"}
	case flexStringType:
		if d&dirIn != 0 {
			return map[string]any{"type": []string{"string", "number"}, "description": "Text; a JSON number is read as its digits."}
		}
		return map[string]any{"type": "string"}
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawType:
		return map[string]any{}
	}
	if implementsJSON(t) {
		// A custom encoding this generator does not know would be
		// described wrongly; make whoever adds one teach it here.
		panic(fmt.Sprintf("iamv1 openapi: %v has its own JSON encoding; describe it in typeSchema", t))
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.typeSchema(t.Elem(), d)}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("iamv1 openapi: map key of %v", t))
		}
		return map[string]any{"type": "object", "additionalProperties": g.typeSchema(t.Elem(), d)}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t, d)
		}
		g.component(t)
		return map[string]any{"$ref": "#/components/schemas/" + t.Name()}
	}
	panic(fmt.Sprintf("iamv1 openapi: no schema for %v", t))
}

func implementsJSON(t reflect.Type) bool {
	for _, i := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[json.Unmarshaler](),
		reflect.TypeFor[encoding.TextMarshaler](), reflect.TypeFor[encoding.TextUnmarshaler]()} {
		if t.Implements(i) || reflect.PointerTo(t).Implements(i) {
			return true
		}
	}
	return false
}

// component generates the named schema of t, once, with the rules of
// every direction it travels.
func (g *schemaGen) component(t reflect.Type) {
	name := t.Name()
	if prev, ok := g.types[name]; ok {
		if prev != t {
			panic(fmt.Sprintf("iamv1 openapi: two models named %s (%v, %v)", name, prev, t))
		}
		return
	}
	g.types[name] = t
	g.comps[name] = true // placeholder: a recursive model refers to itself
	d := g.dirs[t]
	if d == 0 {
		d = dirOut
	}
	g.comps[name] = g.object(t, d)
}

// object is the schema of struct t travelling in directions d.
func (g *schemaGen) object(t reflect.Type, d direction) map[string]any {
	props := map[string]any{}
	var required []string
	hinted := map[string]bool{}
	for _, f := range requestRequired[t.Name()] {
		hinted[f] = true
	}
	g.fields(t, d, props, &required, hinted)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	if note, ok := modelNotes[t.Name()]; ok && t.Name() != "" {
		s["description"] = note
	}
	return s
}

// fields adds the JSON fields of struct t (embedded structs flattened, as
// encoding/json does) to props and required.
func (g *schemaGen) fields(t reflect.Type, d direction, props map[string]any, required *[]string, hinted map[string]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, d, props, required, hinted)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitempty := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		s := g.typeSchema(f.Type, d)
		if strings.Contains(","+opts+",", ",string,") {
			s = map[string]any{"type": "string"}
		}
		ptr := f.Type.Kind() == reflect.Pointer
		nullable := (d&dirOut != 0 && ptr && !omitempty) || (d&dirIn != 0 && ptr && !hinted[name])
		if nullable {
			s = orNull(s)
		}
		for k, v := range fieldNotes[t.Name()+"."+name] {
			s[k] = v
		}
		props[name] = s
		req := true
		if d&dirOut != 0 && omitempty {
			req = false
		}
		if d&dirIn != 0 && !hinted[name] {
			req = false
		}
		if req {
			*required = append(*required, name)
		}
	}
}

// orNull lets s be null too.
func orNull(s map[string]any) map[string]any {
	switch ty := s["type"].(type) {
	case string:
		s["type"] = []string{ty, "null"}
		return s
	case []string:
		s["type"] = append(append([]string{}, ty...), "null")
		return s
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}
