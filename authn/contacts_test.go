package authn_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"iamd/authn"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// lastMessageTo is the newest outbox message to to.
func (f *fixture) lastMessageTo(to string) *iam.Message {
	f.t.Helper()
	list, err := f.store.Realm(f.realm.ID).Messages().List(context.Background(), store.Page{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range list {
		if m.To == to {
			return m
		}
	}
	f.t.Fatalf("no message to %s", to)
	return nil
}

// mobileUser is a user who signed up by phone: no e-mail, no password.
func (f *fixture) mobileUser(phone string) *iam.User {
	f.t.Helper()
	u, err := f.dir.CreateUser(context.Background(), f.realm, directory.NewUser{Username: phone, Phone: phone, PhoneVerified: true}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// A code to the user's own e-mail verifies it; a wrong code says how many
// tries are left; an address that is not the user's gets nothing.
func TestContactVerification(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 5})
	ctx := context.Background()
	alice := f.user("alice", "Correct-Horse-9")
	bob := f.user("bob", "Correct-Horse-9")

	_, err := f.auth.SendContactVerification(ctx, f.realm, alice.ID, "bob@example.com", true, "")
	wantCode(t, err, iam.CodeForbidden)
	_, err = f.auth.SendContactVerification(ctx, f.realm, alice.ID, "alice", false, "")
	wantCode(t, err, iam.CodePrecondition) // no phone
	if _, err := f.auth.SendContactVerification(ctx, f.realm, alice.ID, "alice@example.com", true, ""); err != nil {
		t.Fatal(err)
	}
	code := f.lastMessageTo("alice@example.com").Code

	_, err = f.auth.ConfirmContact(ctx, f.realm, bob.ID, "alice@example.com", true, code, "")
	wantCode(t, err, iam.CodeNotFound) // another user's code is out of reach
	_, err = f.auth.ConfirmContact(ctx, f.realm, alice.ID, "alice@example.com", true, "x"+code, "")
	wantCode(t, err, iam.CodeUnauthorized)
	if left, ok := authn.AttemptsLeft(err); !ok || left != 4 || !strings.Contains(iam.ErrorMessage(err), "attempts left: 4") {
		t.Fatalf("a wrong code tells the tries left: %v %d", err, left)
	}
	u, err := f.auth.ConfirmContact(ctx, f.realm, alice.ID, "Alice@Example.com", true, code, "")
	if err != nil || !u.EmailVerified {
		t.Fatalf("confirm: %+v %v", u, err)
	}
	_, err = f.auth.SendContactVerification(ctx, f.realm, alice.ID, "alice@example.com", true, "")
	wantCode(t, err, iam.CodePrecondition) // verified already

	// By SMS, to the phone of the account named by its username.
	m := f.mobileUser("+6591234567")
	m.PhoneVerified = false
	if err := f.store.Realm(f.realm.ID).Users().Update(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.SendContactVerification(ctx, f.realm, m.ID, "+6591234567", false, ""); err != nil {
		t.Fatal(err)
	}
	sms := f.lastMessageTo("+6591234567")
	f.advance(11 * time.Minute)
	_, err = f.auth.ConfirmContact(ctx, f.realm, m.ID, "+6591234567", false, sms.Code, "")
	wantCode(t, err, iam.CodeExpired)
}

// An e-mail change needs the password, sends the code to the new address
// and, confirmed, moves the e-mail (and a username that was it).
func TestEmailChange(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	u, err := f.dir.CreateUser(ctx, f.realm, directory.NewUser{Username: "old@example.com", Email: "old@example.com", Password: "Correct-Horse-9"}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.user("taken", "Correct-Horse-9")

	_, err = f.auth.StartEmailChange(ctx, f.realm, u.ID, "new@example.com", "wrong-password", "")
	wantCode(t, err, iam.CodeUnauthorized)
	_, err = f.auth.StartEmailChange(ctx, f.realm, u.ID, "taken@example.com", "Correct-Horse-9", "")
	wantCode(t, err, iam.CodeConflict)
	_, err = f.auth.StartEmailChange(ctx, f.realm, u.ID, "OLD@example.com", "Correct-Horse-9", "")
	wantCode(t, err, iam.CodePrecondition)
	ic, err := f.auth.StartEmailChange(ctx, f.realm, u.ID, "new@example.com", "Correct-Horse-9", "")
	if err != nil {
		t.Fatal(err)
	}
	code := f.lastMessageTo("new@example.com").Code

	_, err = f.auth.ConfirmEmailChange(ctx, f.realm, u.ID, ic.Code.Handle, "other@example.com", code, "")
	wantCode(t, err, iam.CodeNotFound) // not the address the code went to
	_, err = f.auth.ConfirmEmailChange(ctx, f.realm, u.ID, "no-such-session", "new@example.com", code, "")
	wantCode(t, err, iam.CodeNotFound)
	got, err := f.auth.ConfirmEmailChange(ctx, f.realm, u.ID, ic.Code.Handle, "new@example.com", code, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "new@example.com" || !got.EmailVerified || got.Username != "new@example.com" {
		t.Fatalf("after the change: %+v", got)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "old@example.com", "Correct-Horse-9", ""); !iam.IsCode(err, iam.CodeUnauthorized) {
		t.Fatalf("the old address still signs in: %v", err)
	}
	_, err = f.auth.ConfirmEmailChange(ctx, f.realm, u.ID, ic.Code.Handle, "new@example.com", code, "")
	wantCode(t, err, iam.CodePrecondition) // used
}

// A mobile user links an e-mail: the code goes to the address, and the
// code with a first password links it; the user then signs in with them.
func TestEmailLink(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	m := f.mobileUser("+6591234567")

	_, err := f.auth.ConfirmEmailLink(ctx, f.realm, m.ID, "123456", "Correct-Horse-9", "")
	wantCode(t, err, iam.CodeNotFound) // nothing asked yet
	_, err = f.auth.RegenerateEmailLink(ctx, f.realm, m.ID, "")
	wantCode(t, err, iam.CodeNotFound)
	f.user("taken", "Correct-Horse-9")
	_, _, err = f.auth.LinkEmail(ctx, f.realm, m.ID, "taken@example.com", "")
	wantCode(t, err, iam.CodeConflict)

	if _, linked, err := f.auth.LinkEmail(ctx, f.realm, m.ID, "mo@example.com", ""); err != nil || linked {
		t.Fatalf("link: %v %v", linked, err)
	}
	first := f.lastMessageTo("mo@example.com").Code
	f.advance(time.Second) // so that the messages have an order
	if _, err := f.auth.RegenerateEmailLink(ctx, f.realm, m.ID, ""); err != nil {
		t.Fatal(err)
	}
	code := f.lastMessageTo("mo@example.com").Code
	if first != code {
		_, err = f.auth.ConfirmEmailLink(ctx, f.realm, m.ID, first, "Correct-Horse-9", "")
		wantCode(t, err, iam.CodeUnauthorized) // only the newest code counts
	}
	_, err = f.auth.ConfirmEmailLink(ctx, f.realm, m.ID, code, "short", "")
	wantCode(t, err, iam.CodeInvalid) // the first password meets the policy
	u, err := f.auth.ConfirmEmailLink(ctx, f.realm, m.ID, code, "Correct-Horse-9", "")
	if err != nil || u.Email != "mo@example.com" || !u.EmailVerified || u.Username != "+6591234567" {
		t.Fatalf("linked: %+v %v", u, err)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "mo@example.com", "Correct-Horse-9", ""); err != nil {
		t.Fatalf("sign in with the linked e-mail: %v", err)
	}
	if _, linked, err := f.auth.LinkEmail(ctx, f.realm, m.ID, "mo2@example.com", ""); err != nil || !linked {
		t.Fatalf("a second link: %v %v", linked, err)
	}
}

// A merge sends the code to the other account and, confirmed, folds it
// into the user's; wrong guesses count against the user, not the other.
func TestMergeFlow(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 5})
	ctx := context.Background()
	m := f.mobileUser("+6591234567")
	web := f.user("web", "Correct-Horse-9")

	_, err := f.auth.StartMerge(ctx, f.realm, m.ID, authn.MergeTarget{Phone: "+6591234567"}, "")
	wantCode(t, err, iam.CodeInvalid) // the user's own phone names no other account
	_, err = f.auth.StartMerge(ctx, f.realm, m.ID, authn.MergeTarget{Email: "nobody@example.com"}, "")
	wantCode(t, err, iam.CodeNotFound)
	if _, err := f.auth.StartMerge(ctx, f.realm, m.ID, authn.MergeTarget{Email: "web@example.com", Phone: "+6591234567"}, ""); err != nil {
		t.Fatal(err)
	}
	code := f.lastMessageTo("web@example.com").Code
	_, err = f.auth.ProcessMerge(ctx, f.realm, m.ID, authn.MergeTarget{Email: "web@example.com"}, "x"+code, false, "")
	wantCode(t, err, iam.CodeUnauthorized)
	if u, _ := f.dir.GetUser(ctx, f.realm, m.ID); u.Lockout.OTPFailures != 1 {
		t.Fatalf("the wrong guess counts against the user: %+v", u.Lockout)
	}
	u, err := f.auth.ProcessMerge(ctx, f.realm, m.ID, authn.MergeTarget{Email: "web@example.com"}, code, false, "")
	if err != nil || u.Email != "web@example.com" || !u.EmailVerified {
		t.Fatalf("merged: %+v %v", u, err)
	}
	if _, err := f.dir.GetUser(ctx, f.realm, web.ID); !iam.IsCode(err, iam.CodeNotFound) {
		t.Fatalf("the merged account is gone: %v", err)
	}
	// The merged account's password now belongs to the survivor.
	if got, err := f.auth.PasswordSignIn(ctx, f.realm, "web@example.com", "Correct-Horse-9", ""); err != nil || got.ID != m.ID {
		t.Fatalf("sign in after the merge: %+v %v", got, err)
	}
}

// An administrator's sign-in code works at the phone sign-in with its
// session; afterwards it is no longer shown as valid.
func TestUserOTP(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	m := f.mobileUser("+6591234567")
	f.user("nophone", "Correct-Horse-9")

	_, _, err := f.auth.UserOTP(ctx, f.realm, "+6591234567")
	wantCode(t, err, iam.CodeNotFound)
	_, _, err = f.auth.CreateUserOTP(ctx, f.realm, "nophone", "admin")
	wantCode(t, err, iam.CodePrecondition)
	_, _, err = f.auth.CreateUserOTP(ctx, f.realm, "nobody", "admin")
	wantCode(t, err, iam.CodeNotFound)

	ic, _, err := f.auth.CreateUserOTP(ctx, f.realm, "+6591234567", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if sms := f.lastMessageTo("+6591234567"); sms.Code != ic.Clear {
		t.Fatal("the code also goes to the user's phone")
	}
	c, _, err := f.auth.UserOTP(ctx, f.realm, "+6591234567")
	if err != nil || c.Handle != ic.Code.Handle || c.Target != "+6591234567" {
		t.Fatalf("status: %+v %v", c, err)
	}
	if u, err := f.auth.VerifyPhoneSignIn(ctx, f.realm, "+6591234567", c.Handle, ic.Clear, ""); err != nil || u.ID != m.ID {
		t.Fatalf("sign in with the code: %v", err)
	}
	_, _, err = f.auth.UserOTP(ctx, f.realm, "+6591234567")
	wantCode(t, err, iam.CodeNotFound) // used
}
