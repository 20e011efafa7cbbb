package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"iamd/iam"
)

// DecodeJSON reads one JSON value from the request body into v. A body over
// the server's size limit is CodeTooLarge; an empty, malformed or
// wrongly-typed body, trailing data, or a non-JSON content type is
// CodeInvalid with a message that says what is wrong.
func DecodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return iam.Errorf(iam.CodeInvalid, "content type must be application/json")
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return iam.Errorf(iam.CodeInvalid, "request body must hold a single JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		if tooLarge(err) {
			return decodeError(err)
		}
		return iam.Errorf(iam.CodeInvalid, "request body must hold a single JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case tooLarge(err):
		return iam.Errorf(iam.CodeTooLarge, "request body is too large")
	case errors.Is(err, io.EOF):
		return iam.Errorf(iam.CodeInvalid, "request body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return iam.Errorf(iam.CodeInvalid, "request body is not valid JSON: it ends too early")
	case errors.As(err, &syn):
		return iam.Errorf(iam.CodeInvalid, "request body is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return iam.Invalid(typ.Field, "field %q must be %s", typ.Field, jsonKind(typ.Type.Kind().String()))
		}
		return iam.Errorf(iam.CodeInvalid, "request body must be %s", jsonKind(typ.Type.Kind().String()))
	}
	return iam.Errorf(iam.CodeInvalid, "request body is not valid JSON")
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	}
	return fmt.Sprintf("of type %s", goKind)
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
