package oidc_test

import (
	"context"
	"testing"
	"time"

	"iamd/iam"
)

// RefreshTokenSession names a live refresh token's session without using
// it, and refuses forged, other realms', revoked and expired ones.
func TestRefreshTokenSession(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newAPIWorld(t, f)
		ts := w.signIn("")
		sid, err := f.Provider.RefreshTokenSession(ctx, f.Realm, ts.RefreshToken)
		if err != nil || sid != ts.SessionID {
			t.Fatalf("live token: %q %v", sid, err)
		}
		// Nothing was used: the token still rotates once, normally.
		next, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, "")
		if err != nil {
			t.Fatal(err)
		}
		// The rotated-away token still names its session (it proves the same).
		if sid, err := f.Provider.RefreshTokenSession(ctx, f.Realm, ts.RefreshToken); err != nil || sid != ts.SessionID {
			t.Fatalf("rotated token: %q %v", sid, err)
		}
		for what, tok := range map[string]string{
			"forged": next.RefreshToken + "x", "garbage": "not-a-token", "empty": "", "access token": next.AccessToken,
		} {
			_, err := f.Provider.RefreshTokenSession(ctx, f.Realm, tok)
			if iam.ErrorCode(err) != iam.CodeUnauthorized {
				t.Fatalf("%s: %v", what, err)
			}
		}
		other := f.realm("other")
		_, err = f.Provider.RefreshTokenSession(ctx, other, next.RefreshToken)
		w.wantCode(err, iam.CodeUnauthorized)

		if err := f.Provider.EndSession(ctx, f.Realm, ts.SessionID); err != nil {
			t.Fatal(err)
		}
		_, err = f.Provider.RefreshTokenSession(ctx, f.Realm, next.RefreshToken)
		w.wantCode(err, iam.CodeUnauthorized)

		later := w.signIn("")
		f.advance(time.Duration(later.RefreshExpiresIn+1) * time.Second)
		_, err = f.Provider.RefreshTokenSession(ctx, f.Realm, later.RefreshToken)
		w.wantCode(err, iam.CodeUnauthorized)
	})
}
