package directory_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"iamd/authn/password"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
	"iamd/store/sqlstore/sqlite"
)

func newService(t *testing.T) *directory.Service {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &directory.Service{Store: st, Passwords: password.New(password.Params{Memory: 1024, Time: 1, Threads: 1}, 0)}
}

func TestBootstrapIsIdempotentAndConverges(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	// Several servers start on one database at once.
	var wg sync.WaitGroup
	results := make([]*directory.BootstrapResult, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Go(func() { results[i], errs[i] = s.Bootstrap(ctx, "", "") })
	}
	wg.Wait()
	created := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("bootstrap %d: %v", i, err)
		}
		if results[i].CreatedAdmin {
			created++
			if len(results[i].GeneratedPassword) < 20 {
				t.Fatalf("generated password too weak: %q", results[i].GeneratedPassword)
			}
		} else if results[i].GeneratedPassword != "" {
			t.Fatalf("a password was generated for an admin that was not created")
		}
	}
	if created != 1 {
		t.Fatalf("want exactly one admin created, got %d", created)
	}
	again, err := s.Bootstrap(ctx, "someone-else", "Some-Password-123")
	if err != nil || again.CreatedAdmin || again.GeneratedPassword != "" {
		t.Fatalf("restart must not create another admin: %+v %v", again, err)
	}

	master, err := s.RealmByName(ctx, "master")
	if err != nil {
		t.Fatal(err)
	}
	sc := s.Store.Realm(master.ID)
	role, err := sc.Roles().GetByName(ctx, "", iam.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	admins, err := sc.Roles().Users(ctx, role.ID, store.Page{})
	if err != nil || len(admins) != 1 || admins[0].Username != "admin" {
		t.Fatalf("admins: %v %v", admins, err)
	}
	cli, err := sc.Apps().GetByClientID(ctx, "admin-cli")
	if err != nil || !cli.Public || !cli.AllowsGrant(iam.GrantPassword) || cli.SecretHash != "" {
		t.Fatalf("admin-cli: %+v %v", cli, err)
	}
	if _, err := s.RealmByName(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	realms, err := s.Store.Realms().List(ctx, store.Page{})
	if err != nil || len(realms) != 2 {
		t.Fatalf("want realms master and default, got %d %v", len(realms), err)
	}
}

func TestBootstrapRejectsAWeakConfiguredPassword(t *testing.T) {
	s := newService(t)
	_, err := s.Bootstrap(context.Background(), "admin", "password")
	if iam.ErrorCode(err) != iam.CodeInvalid {
		t.Fatalf("want the password policy to refuse, got %v", err)
	}
}

func TestCreateAppStoresOnlyASecretHash(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	r, err := s.CreateRealm(ctx, "acme", "")
	if err != nil {
		t.Fatal(err)
	}
	a, secret, err := s.CreateApp(ctx, r, directory.NewApp{ClientID: "svc", GrantTypes: []string{iam.GrantClientCredentials}}, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Store.Realm(r.ID).Apps().Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SecretHash == secret || !iam.TokenMatches(secret, got.SecretHash) || iam.TokenMatches("other", got.SecretHash) {
		t.Fatalf("secret must be stored as a hash that matches only the secret")
	}
	if got.Num <= 0 {
		t.Fatalf("numeric id not assigned: %d", got.Num)
	}
}

func TestCreateUserHonoursRealmPolicy(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	r, _ := s.CreateRealm(ctx, "strict", "")
	r.Settings.Password = iam.PasswordPolicy{MinLength: 12}
	r.Settings.PhoneRegion = "DE"
	if err := s.Store.Realms().Update(ctx, r); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateUser(ctx, r, directory.NewUser{Username: "u1", Password: "eleven-char"}, "")
	if iam.ErrorCode(err) != iam.CodeInvalid {
		t.Fatalf("want min length 12 enforced, got %v", err)
	}
	u, err := s.CreateUser(ctx, r, directory.NewUser{Username: "u1", Password: "twelve-chars", Phone: "0151 23456789"}, "")
	if err != nil || u.Phone != "+4915123456789" {
		t.Fatalf("local number with realm region: %+v %v", u, err)
	}
	_, err = s.CreateUser(ctx, r, directory.NewUser{Username: "u2", Password: "u2@example.com", Email: "u2@example.com"}, "")
	if iam.ErrorCode(err) != iam.CodeInvalid {
		t.Fatalf("password equal to e-mail must be refused, got %v", err)
	}
}
