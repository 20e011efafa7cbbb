package social_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"testing"
	"time"

	"iamd/authn/social"
	"iamd/authn/social/socialtest"
	"iamd/iam"
)

const cb = "https://app.example.test/cb"

func oidcConfig(up *socialtest.Provider) *iam.SocialProvider {
	return &iam.SocialProvider{Name: "GOOGLE", Kind: iam.SocialOIDC, Issuer: up.URL, ClientID: up.ClientID, Audiences: []string{"ios-app"}}
}

func wantCode(t *testing.T, err error, code iam.Code) {
	t.Helper()
	if iam.ErrorCode(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func openAs[T any](t *testing.T, cs *social.Connectors, p *iam.SocialProvider, secret string) T {
	t.Helper()
	c, err := cs.Open(t.Context(), p, secret)
	if err != nil {
		t.Fatal(err)
	}
	x, ok := c.(T)
	if !ok {
		t.Fatalf("connector %T lacks the capability", c)
	}
	return x
}

func TestOIDCVerifyIDToken(t *testing.T) {
	up := socialtest.New(t, "web-client", "s3cret")
	v := openAs[social.IDTokenVerifier](t, &social.Connectors{}, oidcConfig(up), "s3cret")
	user := map[string]any{"sub": "u-1", "email": "ann@example.com", "email_verified": "true", "given_name": "Ann", "family_name": "Lee"}

	id, err := v.VerifyIDToken(t.Context(), up.IDToken(t, "web-client", user))
	if err != nil {
		t.Fatal(err)
	}
	if *id != (social.Identity{Subject: "u-1", Email: "ann@example.com", EmailVerified: true, FirstName: "Ann", LastName: "Lee"}) {
		t.Fatalf("identity %+v", id)
	}
	if _, err := v.VerifyIDToken(t.Context(), up.IDToken(t, "ios-app", user)); err != nil {
		t.Fatalf("a further audience is refused: %v", err)
	}
	unverified := map[string]any{"sub": "u-2", "email": "bob@example.com", "email_verified": false}
	if id, err := v.VerifyIDToken(t.Context(), up.IDToken(t, "web-client", unverified)); err != nil || id.EmailVerified {
		t.Fatalf("unverified e-mail: %+v %v", id, err)
	}

	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for name, raw := range map[string]string{
		"another client":   up.IDToken(t, "someone-else", user),
		"expired":          up.IDToken(t, "web-client", map[string]any{"sub": "u-1", "exp": time.Now().Add(-time.Hour).Unix()}),
		"another issuer":   up.IDToken(t, "web-client", map[string]any{"sub": "u-1", "iss": "https://evil.example"}),
		"another key":      socialtest.Sign(t, other, "k1", map[string]any{"iss": up.URL, "aud": "web-client", "sub": "u-1", "exp": time.Now().Add(time.Minute).Unix()}),
		"no subject":       up.IDToken(t, "web-client", map[string]any{"email": "x@example.com"}),
		"not a token":      "not.a.token",
		"empty":            "",
		"overlong subject": up.IDToken(t, "web-client", map[string]any{"sub": string(make([]byte, 300))}),
	} {
		_, err := v.VerifyIDToken(t.Context(), raw)
		if iam.ErrorCode(err) != iam.CodeUnauthorized {
			t.Errorf("%s: want unauthenticated, got %v", name, err)
		}
	}
}

func TestOIDCExchangeCode(t *testing.T) {
	up := socialtest.New(t, "web-client", "s3cret")
	cs := &social.Connectors{}
	x := openAs[social.CodeExchanger](t, cs, oidcConfig(up), "s3cret")
	user := map[string]any{"sub": "u-1", "email": "ann@example.com", "email_verified": true, "name": "Ann Marie Lee"}

	code := up.Code(user, cb, true)
	id, err := x.ExchangeCode(t.Context(), code, cb)
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "u-1" || !id.EmailVerified || id.FirstName != "Ann" || id.LastName != "Marie Lee" {
		t.Fatalf("identity %+v", id)
	}
	_, err = x.ExchangeCode(t.Context(), code, cb)
	wantCode(t, err, iam.CodeUnauthorized) // a code works once

	id, err = x.ExchangeCode(t.Context(), up.Code(user, cb, false), cb)
	if err != nil || id.Subject != "u-1" {
		t.Fatalf("without an ID token (userinfo): %+v %v", id, err)
	}
	_, err = x.ExchangeCode(t.Context(), up.Code(user, cb, true), "https://other.example/cb")
	wantCode(t, err, iam.CodeUnauthorized)

	// The configured redirect URL stands in for one the client did not send.
	cfg := oidcConfig(up)
	cfg.RedirectURL = cb
	x = openAs[social.CodeExchanger](t, cs, cfg, "s3cret")
	if _, err := x.ExchangeCode(t.Context(), up.Code(user, cb, true), ""); err != nil {
		t.Fatal(err)
	}
	wrong := openAs[social.CodeExchanger](t, cs, cfg, "wrong secret")
	_, err = wrong.ExchangeCode(t.Context(), up.Code(user, cb, true), cb)
	wantCode(t, err, iam.CodeUnauthorized)
}

func TestOAuth2ExchangeCode(t *testing.T) {
	up := socialtest.New(t, "fb-app", "s3cret")
	cfg := &iam.SocialProvider{Name: "FACEBOOK", Kind: iam.SocialOAuth2, ClientID: "fb-app", TokenURL: up.URL + "/token", UserinfoURL: up.URL + "/userinfo"}
	cs := &social.Connectors{}
	c, err := cs.Open(t.Context(), cfg, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(social.IDTokenVerifier); ok {
		t.Fatal("an OAuth 2.0 connector claims to verify ID tokens")
	}
	x := c.(social.CodeExchanger)
	user := map[string]any{"id": json.Number("10203040"), "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee"}
	id, err := x.ExchangeCode(t.Context(), up.Code(user, cb, false), cb)
	if err != nil {
		t.Fatal(err)
	}
	if *id != (social.Identity{Subject: "10203040", Email: "ann@example.com", FirstName: "Ann", LastName: "Lee"}) {
		t.Fatalf("identity %+v (an e-mail nobody said is verified is not)", id)
	}
	cfg.TrustEmail = true
	x = openAs[social.CodeExchanger](t, cs, cfg, "s3cret")
	if id, err := x.ExchangeCode(t.Context(), up.Code(user, cb, false), cb); err != nil || !id.EmailVerified {
		t.Fatalf("trust_email: %+v %v", id, err)
	}
	_, err = x.ExchangeCode(t.Context(), "no-such-code", cb)
	wantCode(t, err, iam.CodeUnauthorized)
}

func TestOpen(t *testing.T) {
	up := socialtest.New(t, "web-client", "s3cret")
	cs := &social.Connectors{}
	a, err := cs.Open(t.Context(), oidcConfig(up), "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cs.Open(t.Context(), oidcConfig(up), "s3cret")
	c, _ := cs.Open(t.Context(), oidcConfig(up), "rotated")
	if a != b || a == c {
		t.Fatal("the same configuration should reuse its connector, a changed one open a new one")
	}
	_, err = cs.Open(t.Context(), &iam.SocialProvider{Name: "X", Kind: iam.SocialOIDC, ClientID: "c", Issuer: "http://127.0.0.1:1"}, "")
	wantCode(t, err, iam.CodeUnavailable)
	_, err = cs.Open(t.Context(), &iam.SocialProvider{Name: "X", Kind: "saml", ClientID: "c"}, "")
	wantCode(t, err, iam.CodeInvalid)
}
