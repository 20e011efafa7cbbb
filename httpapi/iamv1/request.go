package iamv1

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"iamd/httpapi"
	"iamd/iam"
)

// decode reads the JSON body of r into v (httpapi.DecodeJSON: one JSON
// value, application/json, the server's size limit; a value of the wrong
// type is a 400 naming the field). Unknown fields are ignored, as Spring
// ignores them.
func decode(r *http.Request, v any) error { return httpapi.DecodeJSON(r, v) }

// required refuses the first empty value of name/value pairs with a 400
// naming the field.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return iam.Invalid(pairs[i], "%s is required", pairs[i])
		}
	}
	return nil
}

// emailField checks an optional e-mail address in field; "" stays "".
func emailField(field, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	e, err := iam.NormalizeEmail(v)
	if err != nil {
		return "", iam.Invalid(field, "%s must be an e-mail address such as name@example.com", field)
	}
	return e, nil
}

// phoneField checks an optional phone number in field and returns it in
// E.164, reading a number without + in the realm's phone region; "" stays "".
func phoneField(field, v string, realm *iam.Realm) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	p, err := iam.NormalizePhone(v, realm.Settings.PhoneRegion)
	if err != nil {
		return "", iam.Invalid(field, "%s must be a phone number in international format, such as +6512345678", field)
	}
	return p, nil
}

// textField refuses a value over max characters, invalid UTF-8 or with
// control characters.
func textField(field, v string, max int) error {
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return iam.Invalid(field, "%s must be text of at most %d characters", field, max)
	}
	return nil
}

// enumField returns v upper-cased when it is one of allowed (compared
// case-insensitively, as the document's examples mix cases), def when v
// is empty, and a 400 naming the field otherwise.
func enumField(field, v string, allowed []string, def string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	u := strings.ToUpper(strings.TrimSpace(v))
	if !slices.Contains(allowed, u) {
		return "", iam.Invalid(field, "%s must be one of %s", field, strings.Join(allowed, ", "))
	}
	return u, nil
}

// Long is the document's "long": a JSON number, or a string of digits
// (which Jackson accepts as well). Anything else is a 400 naming the
// field.
type Long int64

// UnmarshalJSON implements json.Unmarshaler.
func (l *Long) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	kind := "number"
	if uq, err := strconv.Unquote(s); err == nil {
		s, kind = strings.TrimSpace(uq), "string"
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: kind + " " + truncate(s), Type: reflect.TypeFor[int64]()}
	}
	*l = Long(n)
	return nil
}

// FlexString is a string field the document's examples write as a number
// (contact numbers, codes): Jackson turns a JSON number into the string,
// and so does this. Other JSON types are a 400 naming the field.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = FlexString(n.String())
		return nil
	}
	return &json.UnmarshalTypeError{Value: "non-string", Type: reflect.TypeFor[string]()}
}

func truncate(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
