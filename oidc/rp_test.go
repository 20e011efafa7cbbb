package oidc_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// An RP built from coreos/go-oidc and x/oauth2, unchanged, discovers the
// realm under both prefixes, signs in with the password grant, verifies
// the ID token (signature, issuer, audience, at_hash), refreshes an
// expired token and reads userinfo.
func TestRealRPPasswordGrantRefreshAndUserInfo(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user(f.Realm, "alice", "Correct-Horse-9", "staff")
		_, secret := f.tokApp(f.Realm, "web")
		for _, issuer := range []string{f.issuer(f.Realm), f.URL + "/auth/realms/" + f.Realm.Name} {
			provider, err := gooidc.NewProvider(ctx, issuer)
			if err != nil {
				t.Fatalf("discovery at %s: %v", issuer, err)
			}
			cfg := oauth2.Config{
				ClientID: "web", ClientSecret: secret, Endpoint: provider.Endpoint(),
				Scopes: []string{gooidc.ScopeOpenID, "profile", "email"},
			}
			tok, err := cfg.PasswordCredentialsToken(ctx, "alice", "Correct-Horse-9")
			if err != nil {
				t.Fatalf("password grant: %v", err)
			}
			verifier := provider.Verifier(&gooidc.Config{ClientID: "web"})
			idt := tokVerifyID(t, verifier, tok)
			if idt.Subject != u.ID || idt.Issuer != issuer {
				t.Fatalf("ID token sub/iss: %s %s", idt.Subject, idt.Issuer)
			}
			var c struct {
				Email    string   `json:"email"`
				Username string   `json:"preferred_username"`
				AMR      []string `json:"amr"`
				Sid      string   `json:"sid"`
			}
			if err := idt.Claims(&c); err != nil || c.Email != "alice@example.com" || c.Username != "alice" || !slices.Equal(c.AMR, []string{"pwd"}) || c.Sid == "" {
				t.Fatalf("ID token claims: %+v %v", c, err)
			}
			// The access token verifies against the same JWKS.
			atVerifier := provider.Verifier(&gooidc.Config{ClientID: "web", SupportedSigningAlgs: []string{"ES256"}})
			if _, err := atVerifier.Verify(ctx, tok.AccessToken); err != nil {
				t.Fatalf("access token does not verify as ES256 against the JWKS: %v", err)
			}
			at := tokClaims(t, tok.AccessToken)
			roles, _ := at["realm_access"].(map[string]any)["roles"].([]any)
			if at["azp"] != "web" || at["sid"] != c.Sid || at["typ"] != "Bearer" || !slices.Contains(roles, any("staff")) {
				t.Fatalf("access token claims: %v", at)
			}

			ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil || ui.Subject != u.ID || ui.Email != "alice@example.com" || !ui.EmailVerified {
				t.Fatalf("userinfo: %+v %v", ui, err)
			}

			// An expired token makes the token source refresh.
			old := *tok
			tok.Expiry = time.Now().Add(-time.Minute)
			fresh, err := cfg.TokenSource(ctx, tok).Token()
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if fresh.AccessToken == old.AccessToken || fresh.RefreshToken == old.RefreshToken || fresh.RefreshToken == "" {
				t.Fatalf("refresh must rotate both tokens")
			}
			if idt2 := tokVerifyID(t, verifier, fresh); idt2.Subject != u.ID {
				t.Fatalf("refreshed ID token sub %s", idt2.Subject)
			}
		}
	})
}

func tokVerifyID(t *testing.T, v *gooidc.IDTokenVerifier, tok *oauth2.Token) *gooidc.IDToken {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id_token in the token response")
	}
	idt, err := v.Verify(context.Background(), raw)
	if err != nil {
		t.Fatalf("ID token does not verify: %v", err)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	return idt
}

// x/oauth2's client-credentials flow gets a service-account token: no
// refresh token, no ID token, the app as subject, active at introspection.
func TestRealRPClientCredentials(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		app, secret := f.tokApp(f.Realm, "svc")
		provider, err := gooidc.NewProvider(ctx, f.issuer(f.Realm))
		if err != nil {
			t.Fatal(err)
		}
		cc := clientcredentials.Config{ClientID: "svc", ClientSecret: secret, TokenURL: provider.Endpoint().TokenURL, Scopes: []string{"openid"}}
		tok, err := cc.Token(ctx)
		if err != nil {
			t.Fatalf("client_credentials: %v", err)
		}
		if tok.RefreshToken != "" || tok.Extra("id_token") != nil {
			t.Fatalf("client_credentials must not issue refresh or ID tokens")
		}
		c := tokClaims(t, tok.AccessToken)
		if c["sub"] != app.ID || c["client_id"] != "svc" || c["azp"] != "svc" || c["sid"] != nil {
			t.Fatalf("claims: %v", c)
		}
		if tokHeader(t, tok.AccessToken)["alg"] != "ES256" {
			t.Fatalf("access tokens are ES256 by default")
		}
		if !f.tokIntrospect(f.Realm, "svc", secret, tok.AccessToken) {
			t.Fatal("a fresh service token must be active")
		}
		// The response carries the Keycloak fields and forbids caching.
		r := f.tokPost(f.tokURL(f.Realm, "token"), map[string][]string{"grant_type": {"client_credentials"}}, "svc", secret)
		if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
			t.Fatalf("headers: %d %v", r.status, r.header)
		}
		for _, k := range []string{"access_token", "expires_in", "refresh_expires_in", "token_type", "not-before-policy", "scope"} {
			if _, ok := r.body[k]; !ok {
				t.Fatalf("response lacks %s: %s", k, r.raw)
			}
		}
	})
}
