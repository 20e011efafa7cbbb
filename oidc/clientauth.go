package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// badClient is the one answer to an unknown client and a wrong secret, so
// that the endpoint does not say which client ids exist.
const badClient = "invalid client or client credentials"

// authenticateClient identifies the app making a token, introspection,
// revocation or back-channel logout request in realm, by exactly one of:
//
//   - client_secret_basic: HTTP Basic with the form-urlencoded client id
//     and secret (RFC 6749 §2.3.1);
//   - client_secret_post: client_id and client_secret in the form;
//   - none: client_id alone, for a public app (one without a secret).
//
// Errors: invalid_request when two methods are mixed or the client ids
// disagree; invalid_client (401) when no client is named, the client is
// unknown, deleted or disabled, or a confidential app's secret is missing
// or wrong. Secrets are compared in constant time against their hash.
func (p *Provider) authenticateClient(ctx context.Context, r *http.Request, realm *iam.Realm, form url.Values) (*iam.App, error) {
	id, secret, err := clientCredentials(r, form)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, invalidClient("client authentication is required")
	}
	if len(id) > 128 {
		return nil, invalidClient(badClient)
	}
	app, err := p.appByClientID(ctx, realm, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidClient(badClient)
	}
	if err != nil {
		return nil, err
	}
	if !app.Enabled {
		return nil, invalidClient("the client is disabled")
	}
	if app.SecretHash == "" {
		return app, nil // public: "none"; a stray secret is ignored, as Keycloak does
	}
	if secret == "" {
		return nil, invalidClient("the client must authenticate with its secret")
	}
	if !iam.TokenMatches(secret, app.SecretHash) {
		return nil, invalidClient(badClient)
	}
	return app, nil
}

// clientCredentials extracts the client id and secret of the request.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, err error) {
	auth := r.Header.Get("Authorization")
	if len(auth) < 6 || !strings.EqualFold(auth[:6], "basic ") {
		return form.Get("client_id"), form.Get("client_secret"), nil
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return "", "", invalidClient("malformed Basic credentials")
	}
	if id, err = url.QueryUnescape(user); err == nil {
		secret, err = url.QueryUnescape(pass)
	}
	if err != nil {
		return "", "", invalidClient("malformed Basic credentials: client id and secret must be form-urlencoded")
	}
	if form.Get("client_secret") != "" {
		return "", "", invalidRequest("use one client authentication method, not Basic and client_secret together")
	}
	if cid := form.Get("client_id"); cid != "" && cid != id {
		return "", "", invalidRequest("client_id does not match the Basic credentials")
	}
	return id, secret, nil
}
