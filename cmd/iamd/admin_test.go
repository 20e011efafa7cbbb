package main

import (
	"strings"
	"testing"
)

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	db := []string{"--data-dir", dir}
	run := func(args ...string) result { return iamd(t, nil, append(args, db...)...) }

	r := run("realm", "create", "acme", "--display-name", "Acme Inc")
	if r.code != 0 {
		t.Fatalf("realm create: %+v", r)
	}
	if m := decodeJSON(t, r.stdout); m["name"] != "acme" || m["displayName"] != "Acme Inc" || m["id"] == "" {
		t.Fatalf("realm create output: %s", r.stdout)
	}

	r = run("user", "create", "--realm", "acme", "--username", "Alice", "--password", "correct-horse-9",
		"--email", "alice@example.com", "--phone", "+49 151 2345 6789")
	if r.code != 0 {
		t.Fatalf("user create: %+v", r)
	}
	u := decodeJSON(t, r.stdout)
	if u["username"] != "Alice" || u["phone"] != "+4915123456789" || u["numericId"].(float64) < 1 {
		t.Fatalf("user create output: %s", r.stdout)
	}

	r = run("app", "create", "--realm", "acme", "--client-id", "backend", "--grant-types", "client_credentials")
	if r.code != 0 {
		t.Fatalf("app create: %+v", r)
	}
	a := decodeJSON(t, r.stdout)
	if secret, _ := a["secret"].(string); len(secret) < 32 || a["public"] != false {
		t.Fatalf("confidential app must print a generated secret once: %s", r.stdout)
	}
	r = run("app", "create", "--realm", "acme", "--client-id", "spa", "--public", "--redirect-uri", "https://app.example.com/cb", "--redirect-uri", "http://localhost:3000/cb")
	if r.code != 0 || strings.Contains(r.stdout, "secret") {
		t.Fatalf("public app create: %+v", r)
	}
	if a := decodeJSON(t, r.stdout); len(a["redirectUris"].([]any)) != 2 {
		t.Fatalf("redirect uris lost: %s", r.stdout)
	}

	// The same username is fine in another realm.
	if r = run("realm", "create", "other"); r.code != 0 {
		t.Fatalf("realm other: %+v", r)
	}
	if r = run("user", "create", "--realm", "other", "--username", "alice", "--password", "correct-horse-9"); r.code != 0 {
		t.Fatalf("same username in another realm: %+v", r)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", []string{"realm"}, 2, "missing subcommand"},
		{"unknown command", []string{"frob"}, 2, "unknown command"},
		{"realm without name", []string{"realm", "create"}, 2, "realm NAME is required"},
		{"realm bad name", []string{"realm", "create", "no/slash"}, 1, "realm name must be"},
		{"realm duplicate", []string{"realm", "create", "ACME"}, 1, "already exists"},
		{"user missing realm", []string{"user", "create", "--username", "x"}, 2, "--realm and --username are required"},
		{"user unknown realm", []string{"user", "create", "--realm", "nope", "--username", "x"}, 1, "realm nope not found"},
		{"user duplicate, other case", []string{"user", "create", "--realm", "acme", "--username", "ALICE", "--password", "another-pass-1"}, 1, "already exists"},
		{"user duplicate e-mail", []string{"user", "create", "--realm", "acme", "--username", "bob", "--email", "ALICE@example.com"}, 1, "already exists"},
		{"user duplicate phone", []string{"user", "create", "--realm", "acme", "--username", "bob", "--phone", "+4915123456789"}, 1, "already exists"},
		{"user short password", []string{"user", "create", "--realm", "acme", "--username", "bob", "--password", "short"}, 1, "at least 8"},
		{"user common password", []string{"user", "create", "--realm", "acme", "--username", "bob", "--password", "password123"}, 1, "common"},
		{"user bad e-mail", []string{"user", "create", "--realm", "acme", "--username", "bob", "--email", "not-an-email"}, 1, "not a valid address"},
		{"user bad phone", []string{"user", "create", "--realm", "acme", "--username", "bob", "--phone", "12345"}, 1, "international format"},
		{"user control chars", []string{"user", "create", "--realm", "acme", "--username", "bo\x01b"}, 1, "control characters"},
		{"user unknown flag", []string{"user", "create", "--realm", "acme", "--username", "bob", "--admin"}, 2, "flag provided but not defined"},
		{"app missing client id", []string{"app", "create", "--realm", "acme"}, 2, "--client-id are required"},
		{"app duplicate", []string{"app", "create", "--realm", "acme", "--client-id", "backend"}, 1, "already exists"},
		{"app public with secret", []string{"app", "create", "--realm", "acme", "--client-id", "c2", "--public", "--secret", "abcdefgh123"}, 1, "public app has no secret"},
		{"app public client_credentials", []string{"app", "create", "--realm", "acme", "--client-id", "c3", "--public", "--grant-types", "client_credentials"}, 1, "cannot use client_credentials"},
		{"app unknown grant", []string{"app", "create", "--realm", "acme", "--client-id", "c4", "--grant-types", "implicit"}, 1, "unknown grant type"},
		{"app bad redirect", []string{"app", "create", "--realm", "acme", "--client-id", "c5", "--redirect-uri", "/relative"}, 1, "absolute URI"},
		{"app bad client id", []string{"app", "create", "--realm", "acme", "--client-id", "has space"}, 1, "client id must be"},
		{"app short secret", []string{"app", "create", "--realm", "acme", "--client-id", "c6", "--secret", "abc"}, 1, "8-512 characters"},
		{"unlock unknown user", []string{"user", "unlock", "--realm", "acme", "--username", "nobody"}, 1, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("want exit %d mentioning %q, got %+v", tc.code, tc.want, r)
			}
			if r.stdout != "" {
				t.Fatalf("a failed command printed output: %q", r.stdout)
			}
		})
	}

	// Nothing the failures attempted was created: each name is still free.
	for _, args := range [][]string{
		{"user", "create", "--realm", "acme", "--username", "bob", "--password", "fine-password-7"},
		{"app", "create", "--realm", "acme", "--client-id", "c2"},
		{"app", "create", "--realm", "acme", "--client-id", "c3"},
		{"app", "create", "--realm", "acme", "--client-id", "c4"},
		{"app", "create", "--realm", "acme", "--client-id", "c5"},
		{"realm", "create", "nope"},
	} {
		if r := run(args...); r.code != 0 {
			t.Fatalf("%v after failed attempts: %+v", args, r)
		}
	}

	if r = run("user", "unlock", "--realm", "acme", "--username", "alice@example.com"); r.code != 0 || !strings.Contains(r.stdout, `"locked": false`) {
		t.Fatalf("unlock: %+v", r)
	}
	if r = iamd(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "iamd ") {
		t.Fatalf("version: %+v", r)
	}
	if r = run("migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate: %+v", r)
	}
}

// Admin commands work on the database while the server runs.
func TestAdminCommandsWhileServing(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, nil, "--data-dir", dir)
	for i, name := range []string{"r1", "r2", "r3"} {
		if r := iamd(t, nil, "realm", "create", name, "--data-dir", dir); r.code != 0 {
			t.Fatalf("realm %d while serving: %+v", i, r)
		}
		if r := iamd(t, nil, "user", "create", "--realm", name, "--username", "u", "--password", "long-enough-pass", "--data-dir", dir); r.code != 0 {
			t.Fatalf("user while serving: %+v", r)
		}
	}
	if code, _, _ := s.get("/readyz"); code != 200 {
		t.Fatalf("server unhappy after concurrent admin commands: %d", code)
	}
	s.stop()
}
