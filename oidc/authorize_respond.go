package oidc

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"iamd/httpapi"
	"iamd/iam"
	"iamd/store"
)

// completeAuthorize issues the authorization code of req for the signed-in
// session sess and sends it to the app.
func (p *Provider) completeAuthorize(w http.ResponseWriter, r *http.Request, realm *iam.Realm, req *authorizeRequest, sess *iam.Session) error {
	ctx := r.Context()
	code, err := p.issueAuthCode(ctx, realm, AuthCode{
		AppID: req.AppID, ClientID: req.ClientID, RedirectURI: req.RedirectURI,
		Scope: req.Scope, Nonce: req.Nonce,
		CodeChallenge: req.CodeChallenge, CodeChallengeMethod: req.CodeChallengeMethod,
		SessionID: sess.ID, UserID: sess.UserID, OrgID: sess.OrgID,
		AuthTime: sess.CreatedAt, AMR: sess.AMR, Issuer: req.Issuer,
	})
	if err != nil {
		return err
	}
	_ = p.Store.Realm(realm.ID).Sessions().Touch(ctx, sess.ID, p.now(), "")
	p.authorizeRespond(w, r, realm, req, url.Values{"code": {code}, "session_state": {sess.ID}})
	return nil
}

// authorizeFail sends an error to the app's (already checked) redirect URI.
func (p *Provider) authorizeFail(w http.ResponseWriter, r *http.Request, realm *iam.Realm, req *authorizeRequest, e *authorizeError) {
	p.authorizeRespond(w, r, realm, req, url.Values{"error": {e.code}, "error_description": {e.description}})
}

// authorizeFailErr sends an unexpected error of a checked request to the
// app as server_error or temporarily_unavailable; a page error (a flow or
// CSRF problem) is returned to be shown instead.
func (p *Provider) authorizeFailErr(w http.ResponseWriter, r *http.Request, realm *iam.Realm, req *authorizeRequest, err error) error {
	var pe *loginPageError
	var ae *authorizeError
	switch {
	case err == nil:
	case errors.As(err, &pe):
		return err
	case errors.As(err, &ae):
		p.authorizeFail(w, r, realm, req, ae)
	case errors.Is(err, store.ErrUnavailable) || iam.IsCode(err, iam.CodeUnavailable):
		p.authorizeFail(w, r, realm, req, authzErr(authzTemporarilyUnavail, "the service is temporarily unavailable, try again shortly"))
	default:
		p.loginLogger().ErrorContext(r.Context(), "authorization failed", "request_id", httpapi.RequestID(r.Context()), "realm", realm.Name, "error", err.Error())
		p.authorizeFail(w, r, realm, req, authzErr(authzServerError, "internal error (request id %s)", httpapi.RequestID(r.Context())))
	}
	return nil
}

// authorizeRespond sends params, with state and iss (RFC 9207), to the
// redirect URI: as a redirect with a query (keeping the URI's own query),
// or as an auto-submitting form for response_mode form_post.
func (p *Provider) authorizeRespond(w http.ResponseWriter, r *http.Request, realm *iam.Realm, req *authorizeRequest, params url.Values) {
	if req.State != "" {
		params.Set("state", req.State)
	}
	params.Set("iss", req.Issuer)
	if req.ResponseMode == modeFormPost {
		names := make([]string, 0, len(params))
		for k := range params {
			names = append(names, k)
		}
		sort.Strings(names)
		v := &pageView{Title: "Returning to " + req.AppName, Action: safeFormAction(req.RedirectURI)}
		for _, k := range names {
			v.Fields = append(v.Fields, pageField{Name: k, Value: params.Get(k)})
		}
		p.renderPage(w, r, http.StatusOK, "formpost", realm, v, pagePolicy{formTargets: authorizeFormTargets(req), scriptHash: pageAutoSubmitHash})
		return
	}
	sep := "?"
	if strings.Contains(req.RedirectURI, "?") {
		sep = "&"
	}
	pageSecurityHeaders(w.Header())
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	w.Header().Set("Location", req.RedirectURI+sep+params.Encode())
	w.WriteHeader(status)
}

// safeFormAction marks a redirect URI checked by authorizeSafeRedirect as
// a URL html/template may put in an action attribute (it would otherwise
// blank an app's custom scheme).
func safeFormAction(u string) template.URL {
	if !authorizeSafeRedirect(u) {
		return "about:invalid"
	}
	return template.URL(u)
}

// authorizeFormTargets are the CSP form-action sources a page of req
// needs beyond 'self': the redirect URI's origin (or its scheme, for an
// app's custom scheme).
func authorizeFormTargets(req *authorizeRequest) []string {
	u, err := url.Parse(req.RedirectURI)
	if err != nil {
		return nil
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "http" || scheme == "https" {
		if !pageHostPattern.MatchString(u.Host) {
			return nil
		}
		return []string{scheme + "://" + u.Host}
	}
	for _, c := range scheme {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return nil
		}
	}
	return []string{scheme + ":"}
}
