package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// logout serves GET and POST {prefix}/protocol/openid-connect/logout in
// two styles:
//
// Back-channel (Keycloak's adapters): a POST with refresh_token and client
// authentication ends the refresh token's session and answers 204; an
// unknown, revoked or another client's refresh token is 400 invalid_grant.
//
// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), in a
// browser: id_token_hint (an ID token of this realm; an expired one is
// fine) names the session to end; client_id may stand in for it to name
// the app. post_logout_redirect_uri must equal one of that app's redirect
// URIs or one of the space-separated URIs of its attribute
// post_logout_redirect_uris; state is passed back to it. The hinted
// session and, when it is the same user's, the browser's SSO session are
// revoked and the SSO cookie is cleared. Without id_token_hint, a GET only
// asks the user to confirm (a cross-site link cannot sign anyone out); the
// confirming POST ends the SSO session, whose SameSite=Lax cookie a
// cross-site POST does not carry. A bad hint or redirect URI shows an
// error page and never redirects.
func (p *Provider) logout(w http.ResponseWriter, r *http.Request) {
	realm, _, err := p.realmOf(r.Context(), r)
	if err == nil && r.Method == http.MethodPost && isFormPost(r) {
		var form url.Values
		if form, err = oauthForm(r); err == nil && form.Get("refresh_token") != "" {
			if err = p.logoutBackchannel(w, r, realm, form); err != nil {
				p.writeOAuthError(w, r, err)
			}
			return
		}
	}
	if err == nil {
		err = p.logoutBrowser(w, r, realm)
	}
	if err != nil {
		var oe *Error
		if errors.As(err, &oe) && oe.Status < 500 {
			err = &loginPageError{status: oe.Status, title: "Sign-out failed", human: oe.Description}
		}
		p.loginErrorPage(w, r, realm, err)
	}
}

func isFormPost(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/x-www-form-urlencoded")
}

// logoutBackchannel ends the session of a refresh token of the client.
func (p *Provider) logoutBackchannel(w http.ResponseWriter, r *http.Request, realm *iam.Realm, form url.Values) error {
	ctx := r.Context()
	app, err := p.authenticateClient(ctx, r, realm, form)
	if err != nil {
		return err
	}
	t, err := p.findRefresh(ctx, realm, form.Get("refresh_token"))
	if err != nil {
		return err
	}
	if t.AppID != app.ID {
		return invalidGrant("the refresh token was issued to another client")
	}
	if err := p.Store.Realm(realm.ID).Sessions().Revoke(ctx, t.SessionID, p.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	p.audit(ctx, realm, iam.Event{Type: iam.EventLogout, UserID: t.UserID, AppID: app.ID, IP: remoteHost(r),
		Detail: map[string]string{"session_id": t.SessionID, "via": "back-channel"}})
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logoutRequest is a checked RP-initiated logout request.
type logoutRequest struct {
	hint     *accessClaims // the verified id_token_hint, or nil
	app      *iam.App      // the app named by the hint or client_id, or nil
	redirect string        // the checked post_logout_redirect_uri, or ""
	state    string
}

func (p *Provider) logoutBrowser(w http.ResponseWriter, r *http.Request, realm *iam.Realm) error {
	ctx := r.Context()
	lr, err := p.parseLogout(ctx, r, realm)
	if err != nil {
		return err
	}
	if lr.hint == nil && r.Method == http.MethodPost && !p.sameOrigin(r) {
		return oauthErr(http.StatusForbidden, errInvalidRequest, "the sign-out must be confirmed on this server's page")
	}
	if lr.hint == nil && r.Method == http.MethodGet {
		s, err := p.sessionFromCookie(ctx, r, realm)
		if err != nil {
			return err
		}
		if s != nil {
			p.renderLogoutConfirm(w, r, realm, lr)
			return nil
		}
	}
	if err := p.endBrowserSession(ctx, w, r, realm, lr); err != nil {
		return err
	}
	if lr.redirect == "" {
		p.renderSignedOut(w, r, realm)
		return nil
	}
	u, _ := url.Parse(lr.redirect)
	if lr.state != "" {
		q := u.Query()
		q.Set("state", lr.state)
		u.RawQuery = q.Encode()
	}
	pageSecurityHeaders(w.Header())
	http.Redirect(w, r, u.String(), http.StatusFound)
	return nil
}

// endBrowserSession revokes the hinted session and the browser's SSO
// session (the latter only when there is no hint, or it is the hinted
// user's), records a logout event for each that was active, and clears
// the SSO cookie.
func (p *Provider) endBrowserSession(ctx context.Context, w http.ResponseWriter, r *http.Request, realm *iam.Realm, lr *logoutRequest) error {
	sessions := p.Store.Realm(realm.ID).Sessions()
	var end []*iam.Session
	if h := lr.hint; h != nil && iam.ValidID(h.Sid) {
		s, err := sessions.Get(ctx, h.Sid)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil && s.UserID == h.Sub && s.Active(p.now()) {
			end = append(end, s)
		}
	}
	cs, err := p.sessionFromCookie(ctx, r, realm)
	if err != nil {
		return err
	}
	if cs != nil && (lr.hint == nil || cs.UserID == lr.hint.Sub) && (len(end) == 0 || end[0].ID != cs.ID) {
		end = append(end, cs)
	}
	var appID string
	if lr.app != nil {
		appID = lr.app.ID
	}
	for _, s := range end {
		if err := sessions.Revoke(ctx, s.ID, p.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		p.audit(ctx, realm, iam.Event{Type: iam.EventLogout, UserID: s.UserID, AppID: appID, IP: remoteHost(r),
			Detail: map[string]string{"session_id": s.ID, "via": "browser"}})
	}
	p.clearSessionCookie(w, r, realm)
	return nil
}

// parseLogout checks id_token_hint, client_id and post_logout_redirect_uri.
func (p *Provider) parseLogout(ctx context.Context, r *http.Request, realm *iam.Realm) (*logoutRequest, error) {
	if err := r.ParseForm(); err != nil {
		return nil, invalidRequest("the sign-out request is malformed")
	}
	for k, v := range r.Form {
		if len(v) > 1 || len(v[0]) > maxParamLen {
			return nil, invalidRequest("parameter %s is repeated or too long", truncateParam(k))
		}
	}
	lr := &logoutRequest{state: r.Form.Get("state")}
	clientID := r.Form.Get("client_id")
	if raw := r.Form.Get("id_token_hint"); raw != "" {
		c, err := p.verifyJWT(ctx, realm, raw)
		if isInactive(err) || (err == nil && c.Typ != typID) {
			return nil, invalidRequest("id_token_hint is not an ID token of this realm")
		}
		if err != nil {
			return nil, err
		}
		if clientID != "" && clientID != c.Aud {
			return nil, invalidRequest("client_id does not match id_token_hint")
		}
		lr.hint, clientID = c, c.Aud
	}
	if clientID != "" && len(clientID) <= 128 {
		a, err := p.appByClientID(ctx, realm, clientID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err == nil && a.Enabled {
			lr.app = a
		}
	}
	if uri := r.Form.Get("post_logout_redirect_uri"); uri != "" {
		if lr.app == nil {
			return nil, invalidRequest("post_logout_redirect_uri needs id_token_hint or client_id of a known application")
		}
		if !postLogoutAllowed(lr.app, uri) {
			return nil, invalidRequest("post_logout_redirect_uri is not registered for this application")
		}
		lr.redirect = uri
	}
	return lr, nil
}

// postLogoutAllowed reports whether uri is exactly one of app's redirect
// URIs or of its post_logout_redirect_uris attribute, and is a scheme a
// browser may safely be sent to.
func postLogoutAllowed(app *iam.App, uri string) bool {
	ok := slices.Contains(app.RedirectURIs, uri) || slices.Contains(strings.Fields(app.Attributes["post_logout_redirect_uris"]), uri)
	return ok && authorizeSafeRedirect(uri)
}
