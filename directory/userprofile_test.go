package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
)

func TestUpdateUserAs(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		x := newAccessFixture(t, f)
		as := func(u *iam.User) directory.Actor { return directory.Actor{UserID: u.ID} }

		// An organization's admin changes names and profile fields; the
		// profile is merged, not replaced.
		v, err := f.s.UpdateUserAs(f.ctx, f.realm, as(x.ann), x.dan.Num, directory.ProfileUpdate{
			FirstName: ptr(" Dan "), Department: ptr("Finance"), Attributes: map[string]string{"isBookkeeper": "true"},
		})
		if err != nil || v.User.FirstName != "Dan" || v.User.Profile.Department != "Finance" || len(v.Memberships) != 1 {
			t.Fatalf("admin update: %+v %v", v, err)
		}
		v, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{
			Designation: ptr("Accountant"), PictureURL: ptr("https://example.com/dan.png"), Attributes: map[string]string{"userNotUpdated": "false"},
		})
		if err != nil || v.User.Profile.Department != "Finance" || v.User.Profile.Designation != "Accountant" ||
			v.User.Attributes["isBookkeeper"][0] != "true" || v.User.Attributes["userNotUpdated"][0] != "false" {
			t.Fatalf("merge: %+v %v", v.User, err)
		}

		// Identifiers: the user may, the organization's admin may not.
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.ann), x.dan.Num, directory.ProfileUpdate{Email: ptr("evil@example.com")})
		wantCode(t, err, iam.CodeForbidden, "an admin redirecting the e-mail")
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.ann), x.dan.Num, directory.ProfileUpdate{Phone: ptr("+4915123456789")})
		wantCode(t, err, iam.CodeForbidden, "an admin changing the phone")
		if _, err := f.s.UpdateUser(f.ctx, f.realm, x.dan.ID, directory.UserUpdate{EmailVerified: ptr(true)}, ""); err != nil {
			t.Fatal(err)
		}
		v, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{Email: ptr("dan@new.example.com"), Phone: ptr("")})
		if err != nil || v.User.Email != "dan@new.example.com" || v.User.EmailVerified {
			t.Fatalf("own e-mail: %+v %v", v.User, err)
		}
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{Email: ptr("ANN@example.com")})
		wantCode(t, err, iam.CodeConflict, "a taken e-mail")

		// Passwords: realm administrators only; every session ends.
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{Password: ptr("Another-Horse-7")})
		wantCode(t, err, iam.CodeForbidden, "a user's own password without the old one")
		admin := directory.Actor{UserID: x.eve.ID, RealmAdmin: true}
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, admin, x.dan.Num, directory.ProfileUpdate{Password: ptr("short")})
		wantField(t, err, "password", "a weak password")
		_, tok := f.signIn(t, x.dan)
		if _, err := f.s.UpdateUserAs(f.ctx, f.realm, admin, x.dan.Num, directory.ProfileUpdate{Password: ptr("Another-Horse-7")}); err != nil {
			t.Fatal(err)
		}
		f.signedOut(t, x.dan, tok)

		// Bad input and strangers change nothing.
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{PictureURL: ptr("javascript:alert(1)"), FirstName: ptr("X")})
		wantField(t, err, "profileUrl", "a script URL")
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.dan), x.dan.Num, directory.ProfileUpdate{Gender: ptr("a\x00b")})
		wantField(t, err, "genderLookUpCode", "control characters")
		_, err = f.s.UpdateUserAs(f.ctx, f.realm, as(x.cid), x.bob.Num, directory.ProfileUpdate{FirstName: ptr("X")})
		wantCode(t, err, iam.CodeForbidden, "another organization's admin")
		if got, _ := f.s.GetUser(f.ctx, f.realm, x.dan.ID); got.FirstName != "Dan" {
			t.Fatalf("refused updates changed the user: %+v", got)
		}
		if got, _ := f.s.GetUser(f.ctx, f.realm, x.bob.ID); got.FirstName != "" {
			t.Fatalf("refused updates changed the user: %+v", got)
		}
	})
}

func TestVerifyEmailAndUnlockAsAdmin(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		u, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "zoe", Email: "Zoe@Example.com", RequiredActions: []string{iam.ActionVerifyEmail, iam.ActionUpdatePassword}}, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.s.VerifyEmailAsAdmin(f.ctx, f.realm, "zoe@example.COM", "admin")
		if err != nil || !got.EmailVerified || len(got.RequiredActions) != 1 || got.RequiredActions[0] != iam.ActionUpdatePassword {
			t.Fatalf("verify: %+v %v", got, err)
		}
		if _, err := f.s.VerifyEmailAsAdmin(f.ctx, f.realm, "zoe@example.com", "admin"); err != nil {
			t.Fatalf("again: %v", err)
		}
		_, err = f.s.VerifyEmailAsAdmin(f.ctx, f.realm, "nobody@example.com", "admin")
		wantCode(t, err, iam.CodeNotFound, "unknown address")
		f.user(t, f.other, "olga")
		_, err = f.s.VerifyEmailAsAdmin(f.ctx, f.realm, "olga@example.com", "admin")
		wantCode(t, err, iam.CodeNotFound, "another realm's user")

		if err := f.s.Store.Realm(f.realm.ID).Users().SetLockout(f.ctx, u.ID, iam.Lockout{Permanent: true, PasswordFailures: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UnlockUserByLogin(f.ctx, f.realm, "ZOE@example.com", "admin"); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.s.GetUser(f.ctx, f.realm, u.ID); got.Lockout.Permanent || got.Lockout.PasswordFailures != 0 {
			t.Fatalf("still locked: %+v", got.Lockout)
		}
		_, err = f.s.UnlockUserByLogin(f.ctx, f.realm, "olga", "admin")
		wantCode(t, err, iam.CodeNotFound, "another realm's user")
	})
}

func TestRegisteredContacts(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.realm.Settings.PhoneRegion = "SG"
		ann, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "ann", Email: "ann@example.com", Phone: "+6591234567"}, "")
		if err != nil {
			t.Fatal(err)
		}
		bob := f.user(t, f.realm, "bob")
		gone := f.user(t, f.realm, "gone")
		if err := f.s.DeleteUser(f.ctx, f.realm, gone.ID, "left", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CreateUser(f.ctx, f.other, directory.NewUser{Username: "olga", Email: "olga@example.com", Phone: "+6598765432"}, ""); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.RegisteredContacts(f.ctx, f.realm,
			[]string{"BOB@example.com", "olga@example.com", "gone@example.com", "not an address", "ann@example.com"},
			[]string{"9123 4567", "+6598765432", "*123#", "+6500000000"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != bob.ID || got[1].ID != ann.ID {
			t.Fatalf("registered: %+v", got)
		}
		got, err = f.s.RegisteredContacts(f.ctx, f.realm, nil, []string{"+6598765432"})
		if err != nil || len(got) != 0 {
			t.Fatalf("another realm's user leaked: %+v %v", got, err)
		}
		many := make([]string, directory.MaxRegisteredLookup+1)
		_, err = f.s.RegisteredContacts(f.ctx, f.realm, nil, many)
		wantField(t, err, "phones", "too many")
		_, err = f.s.RegisteredContacts(f.ctx, f.realm, []string{string(make([]byte, 321))}, nil)
		wantField(t, err, "emails", "an overlong entry")
	})
}
