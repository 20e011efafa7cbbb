package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"iamd/config"
	"iamd/oidc/signer"
	"iamd/seal"
	"iamd/store/sqlstore/sqlite"
)

func TestKeysRotate(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) result { return iamd(t, nil, append(args, "--data-dir", dir)...) }
	if r := run("realm", "create", "acme"); r.code != 0 {
		t.Fatalf("realm create: %+v", r)
	}

	first := run("keys", "rotate", "--realm", "acme")
	if first.code != 0 {
		t.Fatalf("keys rotate: %+v", first)
	}
	out := decodeJSON(t, first.stdout)
	kids := newKids(t, out)
	if out["realm"] != "acme" || len(kids) != 2 || kids["ES256"] == "" || kids["RS256"] == "" {
		t.Fatalf("first rotation output: %s", first.stdout)
	}
	if strings.Contains(first.stdout, "private") || strings.Contains(first.stdout, "Enc") {
		t.Fatalf("rotation output shows key material: %s", first.stdout)
	}

	second := run("keys", "rotate", "--realm", "acme", "--overlap", "2h")
	if second.code != 0 {
		t.Fatalf("second keys rotate: %+v", second)
	}
	out = decodeJSON(t, second.stdout)
	next := newKids(t, out)
	retired := map[string]bool{}
	for _, k := range out["retired"].([]any) {
		m := k.(map[string]any)
		if m["expiresAt"] == nil {
			t.Errorf("retired key without expiresAt: %v", m)
		}
		retired[m["kid"].(string)] = true
	}
	if next["ES256"] == kids["ES256"] || next["RS256"] == kids["RS256"] ||
		len(retired) != 2 || !retired[kids["ES256"]] || !retired[kids["RS256"]] {
		t.Fatalf("second rotation: new %v, retired %v; want fresh kids and the first ones retired", next, retired)
	}

	// The server, with the same data dir, signs with the new key: it was
	// sealed with the master key the server uses.
	cfg, _, err := config.Load("test", []string{"--data-dir", dir}, nil, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := seal.LoadOrCreateKey("", cfg.MasterKeyPath())
	if err != nil {
		t.Fatal(err)
	}
	box, _ := seal.New(key)
	st, err := sqlite.Open(context.Background(), cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	realm, err := st.Realms().GetByName(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	keys := &signer.Keys{Store: st, Box: box}
	tok, err := keys.Sign(context.Background(), realm, signer.ES256, "", map[string]any{"sub": "x"})
	if err != nil {
		t.Fatalf("sign with the rotated key: %v", err)
	}
	if _, err := keys.Verify(context.Background(), realm, tok); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if kid := kidInHeader(t, tok); kid != next["ES256"] {
		t.Fatalf("the server signs with kid %q, want the new ES256 key %q", kid, next["ES256"])
	}

	for _, tc := range []struct {
		name string
		args []string
		env  []string
		code int
		want string
	}{
		{"no subcommand", []string{"keys"}, nil, 2, "missing subcommand"},
		{"unknown subcommand", []string{"keys", "list"}, nil, 2, "unknown subcommand"},
		{"missing realm", []string{"keys", "rotate"}, nil, 2, "--realm is required"},
		{"unknown realm", []string{"keys", "rotate", "--realm", "nope"}, nil, 1, "realm nope not found"},
		{"extra argument", []string{"keys", "rotate", "--realm", "acme", "now"}, nil, 2, "unexpected argument"},
		{"bad overlap", []string{"keys", "rotate", "--realm", "acme", "--overlap", "-1h"}, nil, 2, "--overlap must be positive"},
		{"bad master key", []string{"keys", "rotate", "--realm", "acme"}, []string{"IAMD_MASTER_KEY=short"}, 1, "IAMD_MASTER_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := iamd(t, tc.env, append(tc.args, "--data-dir", dir)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Fatalf("want exit %d mentioning %q and no output, got %+v", tc.code, tc.want, r)
			}
		})
	}
	// None of the failures rotated anything.
	recs, err := st.Realm(realm.ID).Keys().List(context.Background())
	if err != nil || len(recs) != 4 {
		t.Fatalf("after the failed commands the realm has %d keys (%v), want the 4 of two rotations", len(recs), err)
	}
	for _, rec := range recs {
		if rec.Current() != (rec.ID == next["ES256"] || rec.ID == next["RS256"]) {
			t.Errorf("key %s (%s): current %v", rec.ID, rec.Alg, rec.Current())
		}
	}
}

// newKids maps algorithm to kid of a rotation's "new" list.
func newKids(t *testing.T, out map[string]any) map[string]string {
	t.Helper()
	kids := map[string]string{}
	list, _ := out["new"].([]any)
	for _, k := range list {
		m := k.(map[string]any)
		kids[m["alg"].(string)] = m["kid"].(string)
	}
	return kids
}

func kidInHeader(t *testing.T, tok string) string {
	t.Helper()
	h, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(h)
	var hdr struct {
		Kid string `json:"kid"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &hdr)
	}
	if err != nil {
		t.Fatalf("token header %q: %v", h, err)
	}
	return hdr.Kid
}
