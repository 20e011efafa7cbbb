package directory_test

import (
	"strings"
	"sync"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// EnsureRealm and EnsureApp create once and then return what exists, also
// when several callers race.
func TestEnsureRealmAndApp(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		var wg sync.WaitGroup
		ids := make([]string, 4)
		for i := range ids {
			wg.Go(func() {
				r, err := f.s.EnsureRealm(f.ctx, "shop", "Shop")
				if err != nil {
					t.Error(err)
					return
				}
				a, err := f.s.EnsureApp(f.ctx, r, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = r.ID + "/" + a.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("racing ensures diverged: %v", ids)
			}
		}
		// An existing app is returned as it is.
		r, _ := f.s.EnsureRealm(f.ctx, "shop", "")
		a, err := f.s.EnsureApp(f.ctx, r, directory.NewApp{ClientID: "iam-web", GrantTypes: []string{iam.GrantPassword}})
		if err != nil || !a.Public || a.AllowsGrant(iam.GrantPassword) || r.DisplayName != "Shop" {
			t.Fatalf("existing app changed: %+v %v", a, err)
		}
		if _, err := f.s.EnsureRealm(f.ctx, "bad name", ""); !iam.IsCode(err, iam.CodeInvalid) {
			t.Fatalf("bad realm name: %v", err)
		}
	})
}

// FreeOrganizationName keeps a free name and suffixes a taken one; the
// names of another realm and of deleted organizations do not count.
func TestFreeOrganizationName(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.org(t, f.other, "Acme")
		if n, err := f.s.FreeOrganizationName(f.ctx, f.realm, " Acme "); err != nil || n != "Acme" {
			t.Fatalf("free name: %q %v", n, err)
		}
		o := f.org(t, f.realm, "Acme")
		n, err := f.s.FreeOrganizationName(f.ctx, f.realm, "ACME")
		if err != nil || n == "ACME" || !strings.HasPrefix(n, "ACME (") {
			t.Fatalf("taken name: %q %v", n, err)
		}
		if _, err := f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{Name: n}, ""); err != nil {
			t.Fatalf("the suffixed name must be free: %v", err)
		}
		if err := f.s.DeleteOrganization(f.ctx, f.realm, o.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.FreeOrganizationName(f.ctx, f.realm, "Acme"); n != "Acme" {
			t.Fatalf("a deleted organization's name is free again: %q", n)
		}
	})
}

// UsersByContact finds live users by exact e-mail and phone only.
func TestUsersByContact(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		a, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "ann", Email: "Ann@Example.com", Phone: "+6591234567"}, "")
		if err != nil {
			t.Fatal(err)
		}
		f.user(t, f.other, "bob")
		byEmail, byPhone, err := f.s.UsersByContact(f.ctx, f.realm, "ann@example.COM", "+65 9123 4567")
		if err != nil || byEmail == nil || byPhone == nil || byEmail.ID != a.ID || byPhone.ID != a.ID {
			t.Fatalf("found %v %v %v", byEmail, byPhone, err)
		}
		byEmail, byPhone, err = f.s.UsersByContact(f.ctx, f.realm, "bob@example.com", "")
		if err != nil || byEmail != nil || byPhone != nil {
			t.Fatalf("another realm's user or an empty phone: %v %v %v", byEmail, byPhone, err)
		}
		if _, _, err = f.s.UsersByContact(f.ctx, f.realm, "ann", ""); !iam.IsCode(err, iam.CodeInvalid) {
			t.Fatalf("a username is not an e-mail: %v", err)
		}
		if err := f.s.DeleteUser(f.ctx, f.realm, a.ID, "", ""); err != nil {
			t.Fatal(err)
		}
		if byEmail, _, _ = f.s.UsersByContact(f.ctx, f.realm, "ann@example.com", ""); byEmail != nil {
			t.Fatal("a deleted user does not count")
		}
		_, _, err = f.s.UsersByContact(f.ctx, f.realm, "", "12")
		if !iam.IsCode(err, iam.CodeInvalid) {
			t.Fatalf("malformed phone: %v", err)
		}
	})
}
