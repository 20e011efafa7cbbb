package oidc_test

import (
	"context"
	"slices"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"iamd/directory"
	"iamd/iam"
)

// The code flow with a relying party made of coreos/go-oidc and
// golang.org/x/oauth2, unchanged: discovery, an authorization URL with
// PKCE (S256) and a nonce, the hosted form driven by a plain HTTP client,
// the code exchange with the verifier, ID-token verification (signature,
// issuer, audience, nonce) and a refresh. Public and confidential apps,
// under both prefixes.
func TestLoginRealRPCodeFlow(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user(f.Realm, "ivy", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "spa")
		_, secret := f.app(f.Realm, directory.NewApp{ClientID: "portal", RedirectURIs: []string{loginRP}})
		for _, tc := range []struct {
			name, issuer, clientID, secret string
		}{
			{"public", f.issuer(f.Realm), "spa", ""},
			{"confidential", f.issuer(f.Realm), "portal", secret},
			{"legacy prefix", f.URL + "/auth/realms/" + f.Realm.Name, "spa", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				provider, err := gooidc.NewProvider(ctx, tc.issuer)
				if err != nil {
					t.Fatalf("discovery: %v", err)
				}
				cfg := oauth2.Config{
					ClientID: tc.clientID, ClientSecret: tc.secret, Endpoint: provider.Endpoint(),
					RedirectURL: loginRP, Scopes: []string{gooidc.ScopeOpenID, "profile", "email"},
				}
				verifier, state, nonce := oauth2.GenerateVerifier(), iam.NewSecret(12), iam.NewSecret(12)
				authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), gooidc.Nonce(nonce))

				cb := loginSignIn(t, loginBrowser(t), authURL, "ivy", "Correct-Horse-9")
				if cb.Get("state") != state || cb.Get("iss") != tc.issuer {
					t.Fatalf("callback: %v", cb)
				}
				// Without the verifier the code is refused.
				if _, err := cfg.Exchange(ctx, cb.Get("code")); err == nil {
					t.Fatal("a code was redeemed without its PKCE verifier")
				}
				cb = loginSignIn(t, loginBrowser(t), authURL, "ivy", "Correct-Horse-9")
				tok, err := cfg.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
				if err != nil {
					t.Fatalf("exchange: %v", err)
				}
				rawID, _ := tok.Extra("id_token").(string)
				idt, err := provider.Verifier(&gooidc.Config{ClientID: tc.clientID}).Verify(ctx, rawID)
				if err != nil {
					t.Fatalf("ID token: %v", err)
				}
				var claims struct {
					AMR      []string `json:"amr"`
					AuthTime int64    `json:"auth_time"`
					Sid      string   `json:"sid"`
				}
				if err := idt.Claims(&claims); err != nil {
					t.Fatal(err)
				}
				if idt.Nonce != nonce || idt.Subject != u.ID || idt.Issuer != tc.issuer || !slices.Equal(claims.AMR, []string{"pwd"}) ||
					claims.Sid != cb.Get("session_state") || time.Since(time.Unix(claims.AuthTime, 0)) > time.Minute {
					t.Fatalf("ID token: nonce %q sub %q iss %q claims %+v", idt.Nonce, idt.Subject, idt.Issuer, claims)
				}
				info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
				if err != nil || info.Subject != u.ID || info.Email != "ivy@example.com" {
					t.Fatalf("userinfo: %+v %v", info, err)
				}

				// An expired access token is refreshed by the token source.
				old := *tok
				old.Expiry = time.Now().Add(-time.Minute)
				fresh, err := cfg.TokenSource(ctx, &old).Token()
				if err != nil {
					t.Fatalf("refresh: %v", err)
				}
				if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == "" || fresh.RefreshToken == tok.RefreshToken {
					t.Fatal("refresh did not rotate the tokens")
				}
				if raw, ok := fresh.Extra("id_token").(string); ok {
					if _, err := provider.Verifier(&gooidc.Config{ClientID: tc.clientID}).Verify(ctx, raw); err != nil {
						t.Fatalf("refreshed ID token: %v", err)
					}
				}

				// A replayed code is refused and revokes what it issued.
				if _, err := cfg.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
					t.Fatal("a code was redeemed twice")
				}
				fresh.Expiry = time.Now().Add(-time.Minute)
				if _, err := cfg.TokenSource(ctx, fresh).Token(); err == nil {
					t.Fatal("the refresh token survived the code's replay")
				}
			})
		}
	})
}

// A user with an authenticator gets an ID token whose amr names both
// factors.
func TestLoginRealRPWithTOTP(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user(f.Realm, "jack", "Correct-Horse-9")
		loginAddTOTP(t, f, f.Realm, u)
		loginPublicApp(f, f.Realm, "spa")
		provider, err := gooidc.NewProvider(ctx, f.issuer(f.Realm))
		if err != nil {
			t.Fatal(err)
		}
		cfg := oauth2.Config{ClientID: "spa", Endpoint: provider.Endpoint(), RedirectURL: loginRP, Scopes: []string{gooidc.ScopeOpenID}}
		verifier, nonce := oauth2.GenerateVerifier(), iam.NewSecret(12)
		c := loginBrowser(t)
		pg := loginGet(t, c, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier), gooidc.Nonce(nonce)))
		otp := pg.submit(t, c, map[string]string{"username": "jack", "password": "Correct-Horse-9"})
		cb := otp.submit(t, c, map[string]string{"otp": loginTOTPCode(t, f)}).callback(t)
		tok, err := cfg.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		rawID, _ := tok.Extra("id_token").(string)
		idt, err := provider.Verifier(&gooidc.Config{ClientID: "spa"}).Verify(ctx, rawID)
		if err != nil {
			t.Fatal(err)
		}
		var claims struct {
			AMR []string `json:"amr"`
		}
		if err := idt.Claims(&claims); err != nil || idt.Nonce != nonce || !slices.Equal(claims.AMR, []string{"pwd", "otp"}) {
			t.Fatalf("amr %v nonce %q %v", claims.AMR, idt.Nonce, err)
		}
	})
}
