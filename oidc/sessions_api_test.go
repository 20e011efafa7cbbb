package oidc_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/oidc"
)

// apiWorld is a user in two organizations (and not in a third), a public
// app the API signs in for, and a confidential app that introspects.
type apiWorld struct {
	alice          *iam.User
	web, other     *iam.App
	svcSecret      string
	orgA, orgB     *iam.Organization
	orgC           *iam.Organization
	signIn         func(orgID string) *oidc.TokenSet
	wantCode       func(err error, code iam.Code)
	introspectable func(token string) bool
}

func newAPIWorld(t *testing.T, f *fixture) *apiWorld {
	ctx := context.Background()
	w := &apiWorld{alice: f.user(f.Realm, "alice", "Correct-Horse-9")}
	w.web, _ = f.app(f.Realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	w.other, _ = f.app(f.Realm, directory.NewApp{ClientID: "erp", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	_, w.svcSecret = f.tokApp(f.Realm, "svc")
	org := func(name, creator string) *iam.Organization {
		o, err := f.Dir.CreateOrganization(ctx, f.Realm, directory.NewOrganization{Name: name, CreatorID: creator}, "")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.orgA, w.orgB, w.orgC = org("A", w.alice.ID), org("B", w.alice.ID), org("C", "")
	w.signIn = func(orgID string) *oidc.TokenSet {
		t.Helper()
		ts, err := f.Provider.SignIn(ctx, oidc.SignIn{Realm: f.Realm, App: w.web, User: w.alice, AMR: []string{"pwd"}, OrgID: orgID, IP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	w.wantCode = func(err error, code iam.Code) {
		t.Helper()
		if iam.ErrorCode(err) != code {
			t.Fatalf("want %s, got %v", code, err)
		}
	}
	w.introspectable = func(token string) bool { return f.tokIntrospect(f.Realm, "svc", w.svcSecret, token) }
	return w
}

// A sign-in through the API yields tokens the protocol endpoints accept,
// and a refresh token the token endpoint rotates.
func TestAPISignInTokensWorkAtTheProtocolEndpoints(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newAPIWorld(t, f)
		ts := w.signIn("")
		if ts.AccessToken == "" || ts.IDToken == "" || ts.RefreshToken == "" || ts.TokenType != "Bearer" || ts.ExpiresIn <= 0 || ts.RefreshExpiresIn <= 0 {
			t.Fatalf("token set: %+v", ts)
		}
		if ts.OrgID != w.orgA.ID || ts.UserID != w.alice.ID || ts.Scope != oidc.APIScope {
			t.Fatalf("the first membership is the session's organization: %+v", ts)
		}
		if r := f.tokGet(f.tokURL(f.Realm, "userinfo"), ts.AccessToken); r.status != 200 || r.str("sub") != w.alice.ID {
			t.Fatalf("userinfo: %d %s", r.status, r.raw)
		}
		if !w.introspectable(ts.AccessToken) || !w.introspectable(ts.RefreshToken) {
			t.Fatal("introspection must see the API's tokens as active")
		}
		c, err := f.Provider.VerifyAccessToken(ctx, f.Realm, ts.AccessToken)
		if err != nil || c.Subject != w.alice.ID || c.SessionID != ts.SessionID || c.ClientID != "iam-web" ||
			c.Issuer != f.issuer(f.Realm) || c.OrgID != w.orgA.ID || c.OrgNum != w.orgA.Num || c.Username != "alice" {
			t.Fatalf("claims %+v, %v", c, err)
		}
		if idc := tokClaims(t, ts.IDToken); idc["sid"] != ts.SessionID || idc["aud"] != "iam-web" {
			t.Fatalf("ID token: %v", idc)
		}
		// The token endpoint refreshes what the API issued.
		r := f.tokPost(f.tokURL(f.Realm, "token"), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {ts.RefreshToken}, "client_id": {"iam-web"}})
		if r.status != 200 || r.str("session_state") != ts.SessionID {
			t.Fatalf("token endpoint refresh: %d %s", r.status, r.raw)
		}
		// A token of this realm means nothing in another.
		other := f.realm("other")
		_, err = f.Provider.VerifyAccessToken(ctx, other, ts.AccessToken)
		w.wantCode(err, iam.CodeUnauthorized)
		// Asking for an organization the user is not in starts nothing.
		_, err = f.Provider.SignIn(ctx, oidc.SignIn{Realm: f.Realm, App: w.web, User: w.alice, OrgID: w.orgC.ID})
		w.wantCode(err, iam.CodeForbidden)
		withB := w.signIn(w.orgB.ID)
		if withB.OrgID != w.orgB.ID {
			t.Fatalf("sign-in into B: %+v", withB)
		}
		// A disabled user gets no session.
		f.tokSetEnabled(f.Realm, w.alice, false)
		_, err = f.Provider.SignIn(ctx, oidc.SignIn{Realm: f.Realm, App: w.web, User: w.alice})
		w.wantCode(err, iam.CodeUnauthorized)
		_, err = f.Provider.VerifyAccessToken(ctx, f.Realm, ts.AccessToken)
		w.wantCode(err, iam.CodeUnauthorized)
	})
}

// Refresh rotates like the grant, and may move the session to another
// organization of the user; a foreign organization changes nothing.
func TestAPIRefreshRotatesAndSwitchesOrganization(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newAPIWorld(t, f)
		ts := w.signIn("")
		_, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, w.orgC.ID)
		w.wantCode(err, iam.CodeForbidden)
		_, err = f.Provider.Refresh(ctx, f.Realm, w.other, ts.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized) // another app's token
		_, err = f.Provider.Refresh(ctx, f.Realm, w.web, "forged."+ts.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)

		a, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, w.orgB.ID)
		if err != nil || a.OrgID != w.orgB.ID || a.SessionID != ts.SessionID || a.RefreshToken == ts.RefreshToken {
			t.Fatalf("refresh into B: %+v %v", a, err)
		}
		if c := tokClaims(t, a.AccessToken); c["org_id"] != w.orgB.ID {
			t.Fatalf("access token after the switch: %v", c)
		}
		// An identical retry within the grace window gets the same successor.
		b, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, w.orgB.ID)
		if err != nil || b.RefreshToken != a.RefreshToken {
			t.Fatalf("grace retry: %+v %v", b, err)
		}
		// Once the successor is used, the parent is a replay: the family dies.
		c, err := f.Provider.Refresh(ctx, f.Realm, w.web, a.RefreshToken, "")
		if err != nil || c.OrgID != w.orgB.ID {
			t.Fatalf("plain refresh keeps the organization: %+v %v", c, err)
		}
		_, err = f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)
		_, err = f.Provider.Refresh(ctx, f.Realm, w.web, c.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)
		if f.tokEvents(f.Realm, iam.EventTokenReplayed) != 1 {
			t.Fatal("the replay must be audited")
		}
		// Outside the window a reuse is a replay too.
		d := w.signIn("")
		e, err := f.Provider.Refresh(ctx, f.Realm, w.web, d.RefreshToken, "")
		if err != nil {
			t.Fatal(err)
		}
		f.advance(oidc.RefreshGraceForTest + time.Second)
		_, err = f.Provider.Refresh(ctx, f.Realm, w.web, d.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)
		_, err = f.Provider.Refresh(ctx, f.Realm, w.web, e.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)
	})
}

// Reissue re-mints in the same session for another app and organization;
// EndSession stops every token of the session at once.
func TestAPIReissueAndEndSession(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newAPIWorld(t, f)
		ts := w.signIn("")
		claims, err := f.Provider.VerifyAccessToken(ctx, f.Realm, ts.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Provider.Reissue(ctx, f.Realm, w.other, claims, w.orgC.ID)
		w.wantCode(err, iam.CodeForbidden)
		re, err := f.Provider.Reissue(ctx, f.Realm, w.other, claims, w.orgB.ID)
		if err != nil || re.SessionID != ts.SessionID || re.OrgID != w.orgB.ID || re.RefreshToken == "" {
			t.Fatalf("reissue: %+v %v", re, err)
		}
		if c := tokClaims(t, re.AccessToken); c["aud"] != "erp" || c["org_id"] != w.orgB.ID {
			t.Fatalf("reissued token: %v", c)
		}
		// The earlier refresh token still works, now for the session's organization.
		old, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, "")
		if err != nil || old.OrgID != w.orgB.ID {
			t.Fatalf("old family after the switch: %+v %v", old, err)
		}

		if err := f.Provider.EndSession(ctx, f.Realm, ts.SessionID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{ts.AccessToken, re.AccessToken, old.AccessToken} {
			_, err = f.Provider.VerifyAccessToken(ctx, f.Realm, tok)
			w.wantCode(err, iam.CodeUnauthorized)
			if w.introspectable(tok) {
				t.Fatal("an ended session's access token must be inactive")
			}
		}
		_, err = f.Provider.Refresh(ctx, f.Realm, w.other, re.RefreshToken, "")
		w.wantCode(err, iam.CodeUnauthorized)
		_, err = f.Provider.Reissue(ctx, f.Realm, w.web, claims, "")
		w.wantCode(err, iam.CodeUnauthorized)
		if err := f.Provider.EndSession(ctx, f.Realm, ts.SessionID); err != nil {
			t.Fatalf("ending an ended session: %v", err)
		}
		if f.tokEvents(f.Realm, iam.EventLogout) != 1 {
			t.Fatal("one logout event")
		}
		w.wantCode(f.Provider.EndSession(ctx, f.Realm, iam.NewID()), iam.CodeNotFound)
		w.wantCode(f.Provider.EndSession(ctx, f.realm("elsewhere"), w.signIn("").SessionID), iam.CodeNotFound)
	})
}
