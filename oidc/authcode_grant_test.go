package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/oidc"
)

const tokVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more"

func tokChallenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// tokCode signs user in (a session, as the hosted pages would make) and
// issues an authorization code for app with the given PKCE challenge.
func (f *fixture) tokCode(app *iam.App, user *iam.User, challenge string) (code, sid string) {
	f.t.Helper()
	ctx := context.Background()
	now := f.now()
	s := &iam.Session{ID: iam.NewID(), UserID: user.ID, AMR: []string{"pwd"}, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := f.Store.Realm(f.Realm.ID).Sessions().Create(ctx, s); err != nil {
		f.t.Fatal(err)
	}
	ac := oidc.AuthCode{
		AppID: app.ID, ClientID: app.ClientID, RedirectURI: app.RedirectURIs[0], Scope: "openid email",
		Nonce: "n-0S6_WzA2Mj", SessionID: s.ID, UserID: user.ID, AuthTime: now, AMR: []string{"pwd"},
		Issuer: f.issuer(f.Realm),
	}
	if challenge != "" {
		ac.CodeChallenge, ac.CodeChallengeMethod = challenge, "S256"
	}
	code, err := f.Provider.IssueAuthCodeForTest(ctx, f.Realm, ac)
	if err != nil {
		f.t.Fatal(err)
	}
	return code, s.ID
}

// The code grant checks client, redirect_uri and PKCE before consuming the
// code, so a wrong request changes nothing and the rightful one still
// works; a second redemption is refused and revokes what the first issued.
func TestAuthorizationCodeGrant(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		alice := f.user(f.Realm, "alice", "Correct-Horse-9")
		web, secret := f.tokApp(f.Realm, "web")
		_, otherSecret := f.tokApp(f.Realm, "other")
		spa, _ := f.app(f.Realm, directory.NewApp{ClientID: "spa", Public: true, RedirectURIs: []string{"https://spa.example/cb"}})
		tokenURL := f.tokURL(f.Realm, "token")
		redeem := func(code, redirect, verifier string, client ...string) tokResp {
			v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
			if verifier != "" {
				v.Set("code_verifier", verifier)
			}
			if len(client) == 1 {
				v.Set("client_id", client[0])
				return f.tokPost(tokenURL, v)
			}
			return f.tokPost(tokenURL, v, client...)
		}
		refused := func(name string, r tokResp) {
			t.Helper()
			if r.status != 400 || r.str("error") != "invalid_grant" {
				t.Fatalf("%s: %d %s", name, r.status, r.raw)
			}
		}
		cb := "https://rp.example/cb"

		code, sid := f.tokCode(web, alice, tokChallenge(tokVerifier))
		refused("missing verifier", redeem(code, cb, "", "web", secret))
		refused("wrong verifier", redeem(code, cb, tokVerifier+"x", "web", secret))
		refused("malformed verifier", redeem(code, cb, "short", "web", secret))
		refused("redirect_uri mismatch", redeem(code, cb+"/other", tokVerifier, "web", secret))
		refused("redirect_uri missing", redeem(code, "", tokVerifier, "web", secret))
		refused("another client", redeem(code, cb, tokVerifier, "other", otherSecret))
		ok := redeem(code, cb, tokVerifier, "web", secret)
		if ok.status != 200 {
			t.Fatalf("the rightful redemption after refused ones: %d %s", ok.status, ok.raw)
		}
		id := tokClaims(t, ok.str("id_token"))
		if id["nonce"] != "n-0S6_WzA2Mj" || id["sid"] != sid || id["auth_time"] == nil || id["email"] != "alice@example.com" || id["at_hash"] == nil {
			t.Fatalf("ID token claims: %v", id)
		}
		if tokHeader(t, ok.str("id_token"))["alg"] != "RS256" {
			t.Fatal("ID tokens are RS256 by default")
		}

		// Replay: refused, and the session with every token it issued is revoked.
		refused("replayed code", redeem(code, cb, tokVerifier, "web", secret))
		if !f.tokSessionRevoked(f.Realm, sid) {
			t.Fatal("a replayed code must revoke the session it created")
		}
		refused("refresh token of a replayed code", f.tokRefresh(f.Realm, "web", secret, ok.str("refresh_token")))
		if f.tokIntrospect(f.Realm, "web", secret, ok.str("access_token")) {
			t.Fatal("the access token of a replayed code must be inactive")
		}

		// A verifier without a challenge is refused (PKCE downgrade).
		code, _ = f.tokCode(web, alice, "")
		refused("verifier without challenge", redeem(code, cb, tokVerifier, "web", secret))
		if r := redeem(code, cb, "", "web", secret); r.status != 200 {
			t.Fatalf("confidential client without PKCE: %d %s", r.status, r.raw)
		}

		// A public client must have used PKCE, and then proves it.
		code, _ = f.tokCode(spa, alice, "")
		refused("public client without PKCE", redeem(code, "https://spa.example/cb", "", "spa"))
		code, _ = f.tokCode(spa, alice, tokChallenge(tokVerifier))
		refused("public client, wrong verifier", redeem(code, "https://spa.example/cb", tokVerifier+"y", "spa"))
		if r := redeem(code, "https://spa.example/cb", tokVerifier, "spa"); r.status != 200 {
			t.Fatalf("public client with PKCE: %d %s", r.status, r.raw)
		}

		// Codes are short-lived.
		code, _ = f.tokCode(web, alice, tokChallenge(tokVerifier))
		f.advance(2 * time.Minute)
		refused("expired code", redeem(code, cb, tokVerifier, "web", secret))
	})
}
