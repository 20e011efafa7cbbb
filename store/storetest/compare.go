package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// same reports every difference between want and got as a test error.
// Times are compared as instants at microsecond precision; a nil and an
// empty map or slice are equal.
func same(t *testing.T, what string, want, got any) bool {
	t.Helper()
	d := diff(want, got)
	if len(d) > 0 {
		t.Errorf("%s: read back differs from what was written:\n\t%s", what, strings.Join(d, "\n\t"))
		return false
	}
	return true
}

// diff lists the differences between want and got, one per path.
func diff(want, got any) []string {
	var out []string
	diffValue("", reflect.ValueOf(want), reflect.ValueOf(got), &out)
	return out
}

func diffValue(path string, a, b reflect.Value, out *[]string) {
	name := path
	if name == "" {
		name = "value"
	}
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", name, show(a), show(b)))
		}
		return
	}
	if a.Type() != b.Type() {
		*out = append(*out, fmt.Sprintf("%s: want type %s, got %s", name, a.Type(), b.Type()))
		return
	}
	if a.Type() == timeType {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		if !ta.Truncate(time.Microsecond).Equal(tb.Truncate(time.Microsecond)) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", name, show(a), show(b)))
		}
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				*out = append(*out, fmt.Sprintf("%s: want %s, got %s", name, show(a), show(b)))
			}
			return
		}
		diffValue(path, a.Elem(), b.Elem(), out)
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			diffValue(join(path, f.Name), a.Field(i), b.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		if a.Len() == 0 && b.Len() == 0 {
			return
		}
		if a.Len() != b.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", name, show(a), show(b)))
			return
		}
		for i := range a.Len() {
			diffValue(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i), out)
		}
	case reflect.Map:
		if a.Len() == 0 && b.Len() == 0 {
			return
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				*out = append(*out, fmt.Sprintf("%s[%v]: missing (want %s)", path, k, show(a.MapIndex(k))))
				continue
			}
			diffValue(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), bv, out)
		}
		for _, k := range b.MapKeys() {
			if !a.MapIndex(k).IsValid() {
				*out = append(*out, fmt.Sprintf("%s[%v]: unexpected %s", path, k, show(b.MapIndex(k))))
			}
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			*out = append(*out, fmt.Sprintf("%s: want %s, got %s", name, show(a), show(b)))
		}
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func show(v reflect.Value) string {
	if !v.IsValid() {
		return "<nothing>"
	}
	if v.Type() == timeType {
		return v.Interface().(time.Time).UTC().Format(time.RFC3339Nano)
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "nil"
		}
		if v.Elem().Type() == timeType {
			return show(v.Elem())
		}
	}
	return fmt.Sprintf("%#v", v.Interface())
}
