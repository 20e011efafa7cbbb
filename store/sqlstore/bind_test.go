package sqlstore

import (
	"errors"
	"reflect"
	"testing"
)

func TestScopeBind(t *testing.T) {
	s := scope{realm: "R"}
	for _, c := range []struct {
		in       string
		args     []any
		want     string
		wantArgs []any
		err      bool
	}{
		{in: "SELECT 1 FROM t WHERE realm_id = :realm AND id = ?", args: []any{"x"},
			want: "SELECT 1 FROM t WHERE realm_id = ? AND id = ?", wantArgs: []any{"R", "x"}},
		{in: "UPDATE t SET a = ? WHERE realm_id = :realm AND id IN (SELECT id FROM u WHERE realm_id = :realm AND b = ?)",
			args:     []any{1, 2},
			want:     "UPDATE t SET a = ? WHERE realm_id = ? AND id IN (SELECT id FROM u WHERE realm_id = ? AND b = ?)",
			wantArgs: []any{1, "R", "R", 2}},
		// Quoted text is not scanned for placeholders or the token.
		{in: `SELECT '?:realm' FROM t WHERE realm_id = :realm AND k LIKE ? ESCAPE '\'`, args: []any{"%"},
			want: `SELECT '?:realm' FROM t WHERE realm_id = ? AND k LIKE ? ESCAPE '\'`, wantArgs: []any{"R", "%"}},
		{in: "SELECT 1 FROM t WHERE id = ?", args: []any{"x"}, err: true}, // forgot the realm
		{in: "SELECT 1 FROM t WHERE realm_id = :realm AND id = ?", err: true},
		{in: "SELECT 1 FROM t WHERE realm_id = :realm", args: []any{"x"}, err: true},
	} {
		got, args, err := s.bind(c.in, c.args)
		if c.err {
			if err == nil {
				t.Errorf("bind(%q, %v) succeeded", c.in, c.args)
			}
			continue
		}
		if err != nil || got != c.want || !reflect.DeepEqual(args, c.wantArgs) {
			t.Errorf("bind(%q, %v) = %q, %v, %v; want %q, %v", c.in, c.args, got, args, err, c.want, c.wantArgs)
		}
	}
	if _, _, err := s.bind("DELETE FROM t", nil); !errors.Is(err, errNoRealm) {
		t.Errorf("a statement without %s: %v", realmToken, err)
	}
}

func TestRebind(t *testing.T) {
	pg := &Dialect{NumberedParams: true}
	in := `UPDATE t SET a = ?, b = '' WHERE c = '?' AND d = ? AND e LIKE ? ESCAPE '\'`
	want := `UPDATE t SET a = $1, b = '' WHERE c = '?' AND d = $2 AND e LIKE $3 ESCAPE '\'`
	if got := pg.rebind(in); got != want {
		t.Errorf("rebind = %q, want %q", got, want)
	}
	if got := (&Dialect{}).rebind(in); got != in {
		t.Errorf("rebind without numbered parameters changed the query: %q", got)
	}
}

func TestLikePattern(t *testing.T) {
	for _, c := range []struct {
		term   string
		prefix bool
		want   string
	}{
		{"ada", false, "%ada%"},
		{"ada", true, "ada%"},
		{`50%_a\b`, false, `%50\%\_a\\b%`},
	} {
		if got := likePattern(c.term, c.prefix); got != c.want {
			t.Errorf("likePattern(%q, %v) = %q, want %q", c.term, c.prefix, got, c.want)
		}
	}
}
