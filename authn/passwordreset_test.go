package authn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"iamd/authn"
	"iamd/directory"
	"iamd/iam"
)

// session gives the user a live session with a refresh token and returns
// the token's id.
func (f *fixture) session(u *iam.User) (sessionID, tokenID string) {
	f.t.Helper()
	ctx := context.Background()
	now := f.clock()
	sc := f.store.Realm(f.realm.ID)
	s := &iam.Session{ID: iam.NewID(), RealmID: f.realm.ID, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := sc.Sessions().Create(ctx, s); err != nil {
		f.t.Fatal(err)
	}
	rt := &iam.RefreshToken{ID: iam.NewID(), RealmID: f.realm.ID, SessionID: s.ID, FamilyID: iam.NewID(), Hash: iam.HashToken(iam.NewSecret(16)),
		UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := sc.RefreshTokens().Create(ctx, rt); err != nil {
		f.t.Fatal(err)
	}
	return s.ID, rt.ID
}

func (f *fixture) revoked(tokenID string) bool {
	f.t.Helper()
	rt, err := f.store.Realm(f.realm.ID).RefreshTokens().Get(context.Background(), tokenID)
	if err != nil {
		f.t.Fatal(err)
	}
	return rt.RevokedAt != nil
}

func TestPasswordResetByEmail(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 5})
	ctx := context.Background()
	u := f.user("ann", "Correct-Horse-9")
	_, token := f.session(u)

	ic, err := f.auth.StartPasswordReset(ctx, f.realm, "ANN@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if ic.Message.Channel != iam.ChannelEmail || ic.Message.To != "ann@example.com" || len(ic.Clear) != 6 || ic.Message.Code != ic.Clear {
		t.Fatalf("message: %+v", ic.Message)
	}
	// A refused password does not spend the code.
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "ann@example.com", ic.Clear, "short", "")
	wantCode(t, err, iam.CodeInvalid)
	for want := 4; want >= 3; want-- {
		_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "ann@example.com", "not-it", "New-Horse-42", "")
		if left, ok := authn.AttemptsLeft(err); !ok || left != want || !iam.IsCode(err, iam.CodeUnauthorized) {
			t.Fatalf("wrong code: %v, left %d, want %d", err, left, want)
		}
	}
	left, err := f.auth.ConfirmPasswordReset(ctx, f.realm, "ann", ic.Clear, "New-Horse-42", "")
	if err != nil || left != 2 {
		t.Fatalf("confirm: %d %v", left, err)
	}
	if !f.revoked(token) {
		t.Fatal("a reset revokes every refresh token of the user")
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "ann", "New-Horse-42", ""); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	_, err = f.auth.PasswordSignIn(ctx, f.realm, "ann", "Correct-Horse-9", "")
	wantCode(t, err, iam.CodeUnauthorized)
	if got, _ := f.dir.GetUser(ctx, f.realm, u.ID); !got.EmailVerified {
		t.Fatal("the code proved the e-mail address")
	}
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "ann", ic.Clear, "Other-Horse-42", "")
	wantCode(t, err, iam.CodePrecondition) // used

	// A newer code replaces an older one; an expired one is refused.
	old, _ := f.auth.StartPasswordReset(ctx, f.realm, "ann", "")
	f.advance(time.Second)
	fresh, _ := f.auth.StartPasswordReset(ctx, f.realm, "ann", "")
	if old.Clear != fresh.Clear {
		_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "ann", old.Clear, "Other-Horse-42", "")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	f.advance(time.Hour)
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "ann", fresh.Clear, "Other-Horse-42", "")
	wantCode(t, err, iam.CodeExpired)

	_, err = f.auth.StartPasswordReset(ctx, f.realm, "nobody@example.com", "")
	wantCode(t, err, iam.CodeNotFound)
	_, err = f.auth.StartPasswordReset(ctx, f.realm, "ann@", "")
	wantCode(t, err, iam.CodeInvalid)
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "nobody", "123456", "Other-Horse-42", "")
	wantCode(t, err, iam.CodeNotFound)
	v := f.user("bea", "Correct-Horse-9")
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, v.Username, "123456", "Other-Horse-42", "")
	wantCode(t, err, iam.CodeNotFound) // no code requested
}

func TestPasswordResetBySMSLocks(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 3})
	ctx := context.Background()
	f.realm.Settings.PhoneRegion = "SG"
	u, err := f.dir.CreateUser(ctx, f.realm, directory.NewUser{Username: "+6591234567", Phone: "+6591234567"}, "")
	if err != nil {
		t.Fatal(err)
	}
	ic, err := f.auth.StartPasswordReset(ctx, f.realm, "+65-9123-4567", "")
	if err != nil {
		t.Fatal(err)
	}
	if ic.Message.Channel != iam.ChannelSMS || ic.Message.To != "+6591234567" {
		t.Fatalf("message: %+v", ic.Message)
	}
	for i := 0; i < 2; i++ {
		_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "91234567", "000000x", "New-Horse-42", "")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "91234567", "000000x", "New-Horse-42", "")
	if left, ok := authn.AttemptsLeft(err); !ok || left != 0 || !iam.IsCode(err, iam.CodeLocked) {
		t.Fatalf("the third failure locks: %v", err)
	}
	_, err = f.auth.ConfirmPasswordReset(ctx, f.realm, "91234567", ic.Clear, "New-Horse-42", "")
	wantCode(t, err, iam.CodeLocked)
	_, err = f.auth.StartPasswordReset(ctx, f.realm, "+6591234567", "")
	wantCode(t, err, iam.CodeLocked)
	if got, _ := f.dir.GetUser(ctx, f.realm, u.ID); got.PhoneVerified {
		t.Fatal("nothing proved the phone")
	}
}

func TestChangeOwnPassword(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxPasswordFailures: 5})
	ctx := context.Background()
	u := f.user("cid", "Correct-Horse-9")
	mine, myToken := f.session(u)
	_, otherToken := f.session(u)

	err := f.auth.ChangeOwnPassword(ctx, f.realm, u.ID, mine, "wrong-password", "New-Horse-42", "")
	var e *iam.Error
	if !errors.As(err, &e) || e.Code != iam.CodeUnauthorized || e.Field != "currentPassword" {
		t.Fatalf("wrong current password: %#v", err)
	}
	wantCode(t, f.auth.ChangeOwnPassword(ctx, f.realm, u.ID, mine, "Correct-Horse-9", "short", ""), iam.CodeInvalid)
	if err := f.auth.ChangeOwnPassword(ctx, f.realm, u.ID, mine, "Correct-Horse-9", "New-Horse-42", ""); err != nil {
		t.Fatal(err)
	}
	if f.revoked(myToken) || !f.revoked(otherToken) {
		t.Fatal("the caller's session stays, the others end")
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "cid", "New-Horse-42", ""); err != nil {
		t.Fatal(err)
	}
}
