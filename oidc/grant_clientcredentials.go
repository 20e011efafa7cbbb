package oidc

import (
	"context"
	"net/http"
)

// clientCredentialsGrant is RFC 6749 §4.4: a confidential app gets an
// access token for itself. There is no user, session, refresh token
// (§4.4.3) or ID token, and nothing is written: this is the hot path of
// service-to-service calls, so it costs a realm and an app read and one
// signature.
type clientCredentialsGrant struct{ p *Provider }

func (g clientCredentialsGrant) exchange(ctx context.Context, req *tokenRequest) (*tokenResponse, error) {
	if req.app.SecretHash == "" {
		return nil, oauthErr(http.StatusBadRequest, errUnauthorizedClient, "a public client cannot use client_credentials")
	}
	scope, err := grantScope(req.app, req.form.Get("scope"))
	if err != nil {
		return nil, err
	}
	m := &mint{realm: req.realm, issuer: req.issuer, app: req.app, scope: withoutScope(scope, "openid")}
	t, err := g.p.mintTokens(ctx, m)
	if err != nil {
		return nil, err
	}
	return g.p.respond(m, t, "", t.accessExp), nil
}
