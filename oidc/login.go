package oidc

import (
	"errors"
	"log/slog"
	"net"
	"net/http"

	"iamd/httpapi"
	"iamd/iam"
	"iamd/store"
)

// mountLogin registers the authorization endpoint and the hosted login
// pages under prefix:
//
//	GET|POST {prefix}/protocol/openid-connect/auth   authorization endpoint
//	POST     {prefix}/login-actions/authenticate     username + password form
//	POST     {prefix}/login-actions/otp              TOTP form
//	GET      {prefix}/login-actions/login.css        the pages' stylesheet
//
// A GET of another login-actions path (a reload of a page that answered a
// POST) shows the "sign-in expired" page.
func (p *Provider) mountLogin(mux *http.ServeMux, prefix string) {
	auth := p.loginRoute(p.handleAuthorize)
	mux.Handle("GET "+prefix+"/protocol/openid-connect/auth", auth)
	mux.Handle("POST "+prefix+"/protocol/openid-connect/auth", auth)
	mux.Handle("POST "+prefix+"/login-actions/authenticate", p.loginRoute(p.handlePasswordStep))
	mux.Handle("POST "+prefix+"/login-actions/otp", p.loginRoute(p.handleOTPStep))
	mux.HandleFunc("GET "+prefix+"/login-actions/login.css", serveLoginCSS)
	mux.Handle("GET "+prefix+"/login-actions/{action}", p.loginRoute(func(http.ResponseWriter, *http.Request, *iam.Realm) error {
		return errFlowGone
	}))
}

// handleAuthorize is the authorization endpoint: it checks the request,
// answers from the SSO session when it may, and otherwise starts a flow
// and shows the sign-in form.
func (p *Provider) handleAuthorize(w http.ResponseWriter, r *http.Request, realm *iam.Realm) error {
	ctx := r.Context()
	req, err := p.parseAuthorize(ctx, r, realm, p.issuerFor(r, realm))
	if req == nil {
		return err
	}
	if err != nil {
		return p.authorizeFailErr(w, r, realm, req, err)
	}
	sess, err := p.sessionFromCookie(ctx, r, realm)
	if err != nil {
		return p.authorizeFailErr(w, r, realm, req, err)
	}
	if sess != nil && req.Prompt != "login" && sessionFresh(sess, req.MaxAge, p.now()) {
		return p.authorizeFailErr(w, r, realm, req, p.completeAuthorize(w, r, realm, req, sess))
	}
	if req.Prompt == "none" {
		p.authorizeFail(w, r, realm, req, authzErr(authzLoginRequired, "the user must sign in"))
		return nil
	}
	f, err := p.newLoginFlow(ctx, realm, req, loginStagePassword, "")
	if err != nil {
		return p.authorizeFailErr(w, r, realm, req, err)
	}
	p.renderLogin(w, r, realm, f, http.StatusOK, req.LoginHint, "")
	return nil
}

// loginRoute adapts a hosted-page handler: it resolves the realm and
// shows any error the handler returns as an error page.
func (p *Provider) loginRoute(h func(http.ResponseWriter, *http.Request, *iam.Realm) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		realm, _, err := p.realmOf(r.Context(), r)
		if err == nil {
			err = h(w, r, realm)
		}
		if err != nil {
			p.loginErrorPage(w, r, realm, err)
		}
	})
}

// loginErrorPage shows err as a page: a *loginPageError as it says, a
// missing realm as 404, an outage as 503, anything else as 500 with the
// request id (and logged).
func (p *Provider) loginErrorPage(w http.ResponseWriter, r *http.Request, realm *iam.Realm, err error) {
	var pe *loginPageError
	switch {
	case errors.As(err, &pe):
	case errors.Is(err, store.ErrUnavailable) || iam.IsCode(err, iam.CodeUnavailable):
		pe = &loginPageError{status: http.StatusServiceUnavailable, title: "Service unavailable", human: "The service is temporarily unavailable. Try again in a moment."}
	case iam.IsCode(err, iam.CodeTooLarge):
		pe = &loginPageError{status: http.StatusRequestEntityTooLarge, title: "Invalid sign-in request", human: "The request is too large."}
	case realm == nil && iam.IsCode(err, iam.CodeNotFound):
		pe = &loginPageError{status: http.StatusNotFound, title: "Unknown realm", human: "There is no such realm on this server."}
	default:
		p.loginLogger().ErrorContext(r.Context(), "login page failed", "request_id", httpapi.RequestID(r.Context()), "route", r.Pattern, "error", err.Error())
		pe = &loginPageError{status: http.StatusInternalServerError, title: "Something went wrong", human: "The sign-in could not be completed. Try again; if it keeps failing, tell your administrator the request id below."}
	}
	p.renderPage(w, r, pe.status, "error", realm, &pageView{Title: pe.title, Error: pe.human}, pagePolicy{})
}

func (p *Provider) loginLogger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

// loginClientIP is the peer address of r, for throttling and audit;
// forwarding headers are not trusted.
func loginClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
