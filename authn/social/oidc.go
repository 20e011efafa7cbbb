package social

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/coreos/go-oidc/v3/oidc"

	"iamd/iam"
)

// oidcConnector is an OpenID Connect provider: it verifies ID tokens and
// exchanges codes.
type oidcConnector struct {
	cfg      *iam.SocialProvider
	secret   string
	client   *http.Client
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// openOIDC fetches the provider's discovery document. The verifier's key
// set uses the same client, in the background, so that keys outlive the
// request that first needed them.
func openOIDC(ctx context.Context, client *http.Client, cfg *iam.SocialProvider, secret string) (*oidcConnector, error) {
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, unavailable(err, "the discovery document of the provider %s cannot be read", cfg.Name)
	}
	// The audience is checked in VerifyIDToken, against every client id
	// the realm accepts.
	v := p.Verifier(&oidc.Config{SkipClientIDCheck: true})
	return &oidcConnector{cfg: cfg, secret: secret, client: client, provider: p, verifier: v}, nil
}

func (c *oidcConnector) Config() *iam.SocialProvider { return c.cfg }

// VerifyIDToken implements IDTokenVerifier.
func (c *oidcConnector) VerifyIDToken(ctx context.Context, raw string) (*Identity, error) {
	if raw == "" || len(raw) > 16<<10 {
		return nil, unauthorized(nil, "the ID token is missing or too long")
	}
	tok, err := c.verifier.Verify(oidc.ClientContext(ctx, c.client), raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, unauthorized(err, "the ID token of the provider %s has expired", c.cfg.Name)
		}
		return nil, unauthorized(err, "the ID token is not a valid token of the provider %s", c.cfg.Name)
	}
	if !slices.ContainsFunc(tok.Audience, c.accepts) {
		return nil, unauthorized(nil, "the ID token was issued to another client of the provider %s", c.cfg.Name)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return nil, unauthorized(err, "the ID token's claims cannot be read")
	}
	return identityOf(claims, c.cfg)
}

// accepts reports whether aud is a client id the realm accepts ID tokens for.
func (c *oidcConnector) accepts(aud string) bool {
	return aud != "" && (aud == c.cfg.ClientID || slices.Contains(c.cfg.Audiences, aud))
}

// ExchangeCode implements CodeExchanger: the ID token of the answer says
// who the user is; without one (a code asked without scope openid), the
// userinfo endpoint does.
func (c *oidcConnector) ExchangeCode(ctx context.Context, code, redirectURL string) (*Identity, error) {
	tok, err := exchange(ctx, c.client, c.cfg, c.secret, c.provider.Endpoint().TokenURL, code, redirectURL)
	if err != nil {
		return nil, err
	}
	if raw, _ := tok.Extra("id_token").(string); raw != "" {
		return c.VerifyIDToken(ctx, raw)
	}
	endpoint := c.cfg.UserinfoURL
	if endpoint == "" {
		endpoint = c.provider.UserInfoEndpoint()
	}
	if endpoint == "" {
		return nil, unauthorized(nil, "the provider %s returned no ID token and has no userinfo endpoint", c.cfg.Name)
	}
	claims, err := userinfo(ctx, c.client, c.cfg, endpoint, tok.AccessToken)
	if err != nil {
		return nil, err
	}
	return identityOf(claims, c.cfg)
}
