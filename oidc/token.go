package oidc

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"iamd/httpapi"
	"iamd/iam"
)

// tokenRequest is a token request whose realm is resolved and whose client
// has authenticated and may use the grant type.
type tokenRequest struct {
	realm     *iam.Realm
	issuer    string
	app       *iam.App
	form      url.Values
	ip        string
	userAgent string
}

// A grant turns a token request of its grant_type into tokens. It returns
// an *Error for anything the client got wrong, and changes nothing then
// (except where a replayed code or refresh token revokes what it issued).
type grant interface {
	exchange(ctx context.Context, req *tokenRequest) (*tokenResponse, error)
}

// grantFor returns the grant serving grant_type gt, or nil.
func (p *Provider) grantFor(gt string) grant {
	switch gt {
	case iam.GrantAuthorizationCode:
		return authCodeGrant{p}
	case iam.GrantRefreshToken:
		return refreshGrant{p}
	case iam.GrantClientCredentials:
		return clientCredentialsGrant{p}
	case iam.GrantPassword:
		return passwordGrant{p}
	}
	return nil
}

// tokenResponse is the token endpoint's success body: RFC 6749 §5.1 plus
// Keycloak's refresh_expires_in, not-before-policy and session_state.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	TokenType        string `json:"token_type"`
	IDToken          string `json:"id_token,omitempty"`
	NotBeforePolicy  int    `json:"not-before-policy"`
	SessionState     string `json:"session_state,omitempty"`
	Scope            string `json:"scope"`
}

// token serves POST {prefix}/protocol/openid-connect/token.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, issuer, err := p.realmOf(ctx, r)
	if err != nil {
		return err
	}
	form, err := oauthForm(r)
	if err != nil {
		return err
	}
	gt, err := requiredParam(form, "grant_type")
	if err != nil {
		return err
	}
	g := p.grantFor(gt)
	if g == nil {
		return oauthErr(http.StatusBadRequest, errUnsupportedGrantType, "grant type %q is not supported", truncateParam(gt))
	}
	app, err := p.authenticateClient(ctx, r, realm, form)
	if err != nil {
		return err
	}
	if !app.AllowsGrant(gt) {
		return oauthErr(http.StatusBadRequest, errUnauthorizedClient, "the client may not use grant type %s", gt)
	}
	resp, err := g.exchange(ctx, &tokenRequest{
		realm: realm, issuer: issuer, app: app, form: form, ip: remoteHost(r), userAgent: r.UserAgent(),
	})
	if err != nil {
		return err
	}
	w.Header().Set("Pragma", "no-cache")
	httpapi.WriteJSON(w, http.StatusOK, resp) // no-store
	return nil
}

// respond assembles the token response for minted tokens and an optional
// refresh token that expires at refreshExp.
func (p *Provider) respond(m *mint, t *minted, refresh string, refreshExp time.Time) *tokenResponse {
	now := p.now()
	resp := &tokenResponse{
		AccessToken: t.access, ExpiresIn: secondsUntil(now, t.accessExp), TokenType: "Bearer",
		IDToken: t.idToken, Scope: m.scope,
	}
	if refresh != "" {
		resp.RefreshToken, resp.RefreshExpiresIn = refresh, secondsUntil(now, refreshExp)
	}
	if m.session != nil {
		resp.SessionState = m.session.ID
	}
	return resp
}

func secondsUntil(now, t time.Time) int64 {
	if s := int64(t.Sub(now) / time.Second); s > 0 {
		return s
	}
	return 0
}
