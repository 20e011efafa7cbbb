package directory_test

import (
	"slices"
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func TestUpdateUser(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		alice, bob := f.user(t, f.realm, "alice"), f.user(t, f.realm, "bob")
		stranger := f.user(t, f.other, "carol")
		f.realm.Settings.PhoneRegion = "DE"

		verified := true
		if _, err := f.s.UpdateUser(f.ctx, f.realm, alice.ID, directory.UserUpdate{EmailVerified: &verified}, ""); err != nil {
			t.Fatal(err)
		}
		u, err := f.s.UpdateUser(f.ctx, f.realm, alice.ID, directory.UserUpdate{
			Email: ptr(" alice@new.example.com "), Phone: ptr("0151 23456789"), FirstName: ptr("Alice"),
			RequiredActions: []string{iam.ActionVerifyEmail, iam.ActionVerifyEmail}, Attributes: map[string][]string{"dept": {"R&D"}},
		}, "admin-id")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "alice@new.example.com" || u.EmailVerified || u.Phone != "+4915123456789" || u.FirstName != "Alice" ||
			len(u.RequiredActions) != 1 || u.Attributes["dept"][0] != "R&D" || u.Username != "alice" {
			t.Fatalf("updated: %+v", u)
		}
		stored, err := f.s.GetUser(f.ctx, f.realm, alice.ID)
		if err != nil || stored.Email != u.Email || stored.Phone != u.Phone {
			t.Fatalf("stored: %+v %v", stored, err)
		}

		_, err = f.s.UpdateUser(f.ctx, f.realm, bob.ID, directory.UserUpdate{Username: ptr("ALICE")}, "")
		wantCode(t, err, iam.CodeConflict, "a taken username")
		_, err = f.s.UpdateUser(f.ctx, f.realm, bob.ID, directory.UserUpdate{Email: ptr("Alice@New.Example.com")}, "")
		wantCode(t, err, iam.CodeConflict, "a taken e-mail")
		_, err = f.s.UpdateUser(f.ctx, f.realm, bob.ID, directory.UserUpdate{Email: ptr("nope")}, "")
		wantField(t, err, "email", "a bad e-mail")
		_, err = f.s.UpdateUser(f.ctx, f.realm, bob.ID, directory.UserUpdate{RequiredActions: []string{""}}, "")
		wantField(t, err, "requiredActions", "an empty action")
		_, err = f.s.UpdateUser(f.ctx, f.realm, stranger.ID, directory.UserUpdate{FirstName: ptr("x")}, "")
		wantCode(t, err, iam.CodeNotFound, "another realm's user")
		if got, _ := f.s.GetUser(f.ctx, f.realm, bob.ID); got.Username != "bob" || got.Email != "bob@example.com" {
			t.Fatalf("refused updates must change nothing: %+v", got)
		}

		_, tok := f.signIn(t, bob)
		if _, err := f.s.UpdateUser(f.ctx, f.realm, bob.ID, directory.UserUpdate{Enabled: ptr(false)}, ""); err != nil {
			t.Fatal(err)
		}
		f.signedOut(t, bob, tok)
		ev := f.events(t, f.realm, iam.EventUserUpdated)
		if len(ev) == 0 || ev[0].Detail["fields"] != "enabled" || ev[0].Detail["sessions_revoked"] != "1" {
			t.Fatalf("update event: %+v", ev)
		}
	})
}

func TestDeleteUserRevokesSessions(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		alice := f.user(t, f.realm, "alice")
		_, tok := f.signIn(t, alice)
		wantCode(t, f.s.DeleteUser(f.ctx, f.other, alice.ID, "", ""), iam.CodeNotFound, "delete through another realm")
		if err := f.s.DeleteUser(f.ctx, f.realm, alice.ID, "left the company", "admin-id"); err != nil {
			t.Fatal(err)
		}
		f.signedOut(t, alice, tok)
		_, err := f.s.GetUser(f.ctx, f.realm, alice.ID)
		wantCode(t, err, iam.CodeNotFound, "get a deleted user")
		_, err = f.s.GetUserByNum(f.ctx, f.realm, alice.Num)
		wantCode(t, err, iam.CodeNotFound, "get a deleted user by number")
		wantCode(t, f.s.DeleteUser(f.ctx, f.realm, alice.ID, "", ""), iam.CodeNotFound, "delete twice")
		raw, err := f.s.Store.Realm(f.realm.ID).Users().Get(f.ctx, alice.ID)
		if err != nil || raw.DeleteReason != "left the company" {
			t.Fatalf("reason: %+v %v", raw, err)
		}
		f.user(t, f.realm, "alice") // the username is free again
		ev := f.events(t, f.realm, iam.EventUserDeleted)
		if len(ev) != 1 || ev[0].ActorID != "admin-id" || ev[0].Detail["sessions_revoked"] != "1" {
			t.Fatalf("delete event: %+v", ev)
		}
	})
}

func TestSetPasswordHistoryAndSessions(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.realm.Settings.Password.HistoryCount = 3
		u := f.user(t, f.realm, "alice") // password Correct-Horse-alice
		first := "Correct-Horse-alice"
		for _, pw := range []string{"Second-Pass-123", "Third-Pass-123"} {
			if err := f.s.SetPassword(f.ctx, f.realm, u.ID, pw, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, pw := range []string{first, "Second-Pass-123", "Third-Pass-123"} {
			wantField(t, f.s.SetPassword(f.ctx, f.realm, u.ID, pw, false, ""), "password", "reuse of "+pw)
		}
		_, tok := f.signIn(t, u)
		if err := f.s.SetPassword(f.ctx, f.realm, u.ID, "Fourth-Pass-123", true, "admin-id"); err != nil {
			t.Fatal(err)
		}
		f.signedOut(t, u, tok)
		if err := f.s.SetPassword(f.ctx, f.realm, u.ID, first, false, ""); err != nil {
			t.Fatalf("the first password has left the history of 3: %v", err)
		}

		creds := f.s.Store.Realm(f.realm.ID).Credentials()
		current, _ := creds.List(f.ctx, u.ID, iam.CredPassword)
		history, _ := creds.List(f.ctx, u.ID, iam.CredPasswordHistory)
		if len(current) != 1 || len(history) != 2 {
			t.Fatalf("want one password and two history entries, got %d and %d", len(current), len(history))
		}
		if ok, err := f.s.Passwords.InHistory(f.ctx, first, []string{current[0].Secret}); !ok || err != nil {
			t.Fatalf("the stored password is not the one set: %v", err)
		}
		got, _ := f.s.GetUser(f.ctx, f.realm, u.ID)
		if !slices.Contains(got.RequiredActions, iam.ActionUpdatePassword) {
			t.Fatalf("a temporary password asks for an update: %v", got.RequiredActions)
		}
		wantField(t, f.s.SetPassword(f.ctx, f.realm, u.ID, "short", false, ""), "password", "policy")
		wantCode(t, f.s.SetPassword(f.ctx, f.other, u.ID, "Another-Pass-123", false, ""), iam.CodeNotFound, "another realm")
		if n := len(f.events(t, f.realm, iam.EventPasswordChanged)); n != 4 {
			t.Fatalf("password events: %d", n)
		}
	})
}

func TestListUsersValidatesPaging(t *testing.T) {
	f := newFixture(t, newService(t))
	f.user(t, f.realm, "alice")
	f.user(t, f.other, "bob")
	list, total, err := f.s.ListUsers(f.ctx, f.realm, store.UserQuery{})
	if err != nil || total != 1 || list[0].Username != "alice" {
		t.Fatalf("list: %v %d %v", list, total, err)
	}
	_, _, err = f.s.ListUsers(f.ctx, f.realm, store.UserQuery{Page: store.Page{Offset: -1}})
	wantField(t, err, "offset", "negative offset")
	_, _, err = f.s.ListUsers(f.ctx, f.realm, store.UserQuery{Page: store.Page{Limit: -1}})
	wantField(t, err, "limit", "negative limit")
	_, _, err = f.s.ListUsers(f.ctx, f.realm, store.UserQuery{OrderBy: "password"})
	wantField(t, err, "orderBy", "unknown order")
	_, err = f.s.GetUser(f.ctx, f.realm, "42")
	wantCode(t, err, iam.CodeNotFound, "malformed id")
}
