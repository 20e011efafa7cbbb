package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// A self-service change keeps the caller's session and revokes every
// other one; CheckNewPassword refuses what ChangePassword would, changing
// nothing.
func TestChangePasswordKeepsOneSession(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.realm.Settings.Password.HistoryCount = 2
		u := f.user(t, f.realm, "carol")
		mine, myToken := f.signIn(t, u)
		_, otherToken := f.signIn(t, u)

		wantField(t, f.s.CheckNewPassword(f.ctx, f.realm, u.ID, "Correct-Horse-carol"), "password", "the current password is in the history")
		wantField(t, f.s.CheckNewPassword(f.ctx, f.realm, u.ID, "short"), "password", "policy")
		wantCode(t, f.s.CheckNewPassword(f.ctx, f.other, u.ID, "Another-Pass-123"), iam.CodeNotFound, "another realm")
		if err := f.s.CheckNewPassword(f.ctx, f.realm, u.ID, "Another-Pass-123"); err != nil {
			t.Fatal(err)
		}

		if err := f.s.ChangePassword(f.ctx, f.realm, u.ID, "Another-Pass-123", directory.PasswordChange{By: "self", ActorID: u.ID, KeepSessionID: mine.ID}); err != nil {
			t.Fatal(err)
		}
		sc := f.s.Store.Realm(f.realm.ID)
		if got, _ := sc.RefreshTokens().Get(f.ctx, otherToken.ID); got == nil || got.RevokedAt == nil {
			t.Fatal("the other session's refresh token must be revoked")
		}
		if got, _ := sc.RefreshTokens().Get(f.ctx, myToken.ID); got == nil || got.RevokedAt != nil {
			t.Fatal("the caller's session must stay")
		}
		ev := f.events(t, f.realm, iam.EventPasswordChanged)
		if len(ev) != 1 || ev[0].Detail["by"] != "self" || ev[0].Detail["sessions_revoked"] != "1" {
			t.Fatalf("event: %+v", ev)
		}
		// A reset keeps nothing.
		if err := f.s.ChangePassword(f.ctx, f.realm, u.ID, "Third-Pass-456", directory.PasswordChange{By: "reset", ActorID: u.ID}); err != nil {
			t.Fatal(err)
		}
		f.signedOut(t, u, myToken)
	})
}
