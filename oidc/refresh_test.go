package oidc_test

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"iamd/iam"
	"iamd/oidc"
)

// Refresh tokens rotate on every use. An identical retry within the grace
// window gets the same successor; a reuse after the successor was used,
// or after the window, revokes the whole family.
func TestRefreshRotationGraceAndReuse(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		refresh := func(tok string) tokResp { return f.tokRefresh(f.Realm, "web", secret, tok) }
		mustRefresh := func(tok string) tokResp {
			t.Helper()
			r := refresh(tok)
			if r.status != 200 {
				t.Fatalf("refresh: %d %s", r.status, r.raw)
			}
			return r
		}
		dead := func(name, tok string) {
			t.Helper()
			if r := refresh(tok); r.status != 400 || r.str("error") != "invalid_grant" {
				t.Fatalf("%s must be refused: %d %s", name, r.status, r.raw)
			}
		}

		// Two tabs: the second, identical request within the window gets
		// the same successor with a fresh access token.
		r1 := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "openid").str("refresh_token")
		a := mustRefresh(r1)
		b := mustRefresh(r1)
		if a.str("refresh_token") != b.str("refresh_token") || a.str("refresh_token") == r1 {
			t.Fatalf("grace retry must return the same successor")
		}
		if a.str("access_token") == b.str("access_token") {
			t.Fatalf("grace retry must mint a fresh access token")
		}
		if a.str("session_state") == "" || a.str("session_state") != b.str("session_state") {
			t.Fatalf("session_state: %q %q", a.str("session_state"), b.str("session_state"))
		}
		// Once the successor is used, reusing its parent is a replay: the
		// family dies, the newest token included.
		r3 := mustRefresh(a.str("refresh_token")).str("refresh_token")
		dead("reuse of a rotated-away token", r1)
		dead("the newest token of a replayed family", r3)
		if f.tokEvents(f.Realm, iam.EventTokenReplayed) != 1 {
			t.Fatal("a replay must be audited once")
		}

		// Outside the window, a reuse is a replay even though the
		// successor is unused.
		s1 := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "").str("refresh_token")
		s2 := mustRefresh(s1).str("refresh_token")
		f.advance(oidc.RefreshGraceForTest + time.Second)
		dead("reuse after the grace window", s1)
		dead("successor of a replayed token", s2)

		// Another family of the same user is unaffected.
		other := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "").str("refresh_token")
		mustRefresh(other)
	})
}

// A refresh may narrow the scope of the new access token but never widen
// it; the refresh token keeps the original grant. Another client cannot
// use the token, and refusing it changes nothing.
func TestRefreshScopeAndClientBinding(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		_, otherSecret := f.tokApp(f.Realm, "other")
		tok := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "openid profile")
		if tok.str("scope") != "openid profile" || tok.str("id_token") == "" {
			t.Fatalf("scope %q, id_token %v", tok.str("scope"), tok.str("id_token") != "")
		}
		rt := tok.str("refresh_token")
		form := func(scope string) url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "scope": {scope}}
		}
		if r := f.tokPost(f.tokURL(f.Realm, "token"), form("openid profile email"), "web", secret); r.status != 400 || r.str("error") != "invalid_scope" {
			t.Fatalf("widening: %d %s", r.status, r.raw)
		}
		if r := f.tokRefresh(f.Realm, "other", otherSecret, rt); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("another client's refresh token: %d %s", r.status, r.raw)
		}
		r := f.tokPost(f.tokURL(f.Realm, "token"), form("profile"), "web", secret)
		if r.status != 200 || r.str("scope") != "profile" || r.str("id_token") != "" || tokClaims(t, r.str("access_token"))["scope"] != "profile" {
			t.Fatalf("narrowing (after two refused attempts): %d %s", r.status, r.raw)
		}
		r = f.tokRefresh(f.Realm, "web", secret, r.str("refresh_token"))
		if r.status != 200 || r.str("scope") != "openid profile" {
			t.Fatalf("the successor keeps the original grant: %d %s", r.status, r.raw)
		}
	})
}

// Refresh tokens expire after the realm's refresh lifetime (or the app's
// override), and die with their session.
func TestRefreshExpiryAndRevokedSession(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		tok := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "")
		if got := tok.body["refresh_expires_in"].(float64); got < 1790 || got > 1800 {
			t.Fatalf("refresh_expires_in %v, want the realm default 1800", got)
		}
		if got := tok.body["expires_in"].(float64); got < 290 || got > 300 {
			t.Fatalf("expires_in %v, want the realm default 300", got)
		}
		f.advance(31 * time.Minute)
		if r := f.tokRefresh(f.Realm, "web", secret, tok.str("refresh_token")); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("expired refresh token: %d %s", r.status, r.raw)
		}

		tok = f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "")
		if err := f.Store.Realm(f.Realm.ID).Sessions().Revoke(ctx, tok.str("session_state"), f.now()); err != nil {
			t.Fatal(err)
		}
		if r := f.tokRefresh(f.Realm, "web", secret, tok.str("refresh_token")); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("refresh of a revoked session: %d %s", r.status, r.raw)
		}
	})
}

// Concurrent identical refreshes (several tabs at once) all succeed with
// one successor; none is mistaken for a replay.
func TestRefreshConcurrentRetriesShareOneSuccessor(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		rt := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "").str("refresh_token")
		const n = 6
		got := make([]tokResp, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i] = f.tokRefresh(f.Realm, "web", secret, rt) })
		}
		wg.Wait()
		for i, r := range got {
			if r.status != 200 || r.str("refresh_token") != got[0].str("refresh_token") {
				t.Fatalf("request %d: %d %s", i, r.status, r.raw)
			}
		}
		if r := f.tokRefresh(f.Realm, "web", secret, got[0].str("refresh_token")); r.status != 200 {
			t.Fatalf("the shared successor must still work: %d %s", r.status, r.raw)
		}
	})
}
