package sqlstore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Times are stored as unix microseconds: one integer type that sorts,
// compares and indexes the same in every database, with no time zone or
// driver-specific time parsing involved. Reads return UTC.

func micros(t time.Time) int64 { return t.UnixMicro() }

// microsOrNull stores a nil time as NULL.
func microsOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// textOrNull stores "" as NULL, for optional references whose foreign key
// must not be checked when there is nothing to refer to.
func textOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// asInt64 accepts the integer representations drivers hand back.
func asInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case float64:
		return int64(x), nil
	}
	return 0, fmt.Errorf("sqlstore: cannot read %T as an integer", v)
}

// timeCol scans a NOT NULL microsecond column.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	if v == nil {
		*c.t = time.Time{}
		return nil
	}
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	*c.t = time.UnixMicro(n).UTC()
	return nil
}

// nullTimeCol scans a nullable microsecond column; NULL is nil.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.t = nil
		return nil
	}
	n, err := asInt64(v)
	if err != nil {
		return err
	}
	t := time.UnixMicro(n).UTC()
	*c.t = &t
	return nil
}

// textCol scans a nullable text column; NULL is "".
type textCol struct{ s *string }

func (c textCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = x
	case []byte:
		*c.s = string(x)
	default:
		return fmt.Errorf("sqlstore: cannot read %T as text", v)
	}
	return nil
}

// durationCol scans a time.Duration stored as nanoseconds.
type durationCol struct{ d *time.Duration }

func (c durationCol) Scan(v any) error {
	if v == nil {
		*c.d = 0
		return nil
	}
	n, err := asInt64(v)
	*c.d = time.Duration(n)
	return err
}

// jsonVal stores v as JSON text. A nil map or slice is stored as "null" and
// read back as nil, an empty one as "{}" or "[]" and read back empty.
type jsonVal struct{ v any }

func (j jsonVal) Value() (driver.Value, error) {
	b, err := json.Marshal(j.v)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding JSON column: %w", err)
	}
	return string(b), nil
}

// jsonCol scans JSON text into the value p points to.
type jsonCol struct{ p any }

func (j jsonCol) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("sqlstore: cannot read %T as JSON", v)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, j.p); err != nil {
		return fmt.Errorf("sqlstore: decoding JSON column: %w", err)
	}
	return nil
}
