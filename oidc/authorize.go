package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// Errors of the authorization endpoint (RFC 6749 §4.1.2.1, OIDC Core
// §3.1.2.6), sent back to the app's redirect URI.
const (
	authzInvalidRequest       = "invalid_request"
	authzUnauthorizedClient   = "unauthorized_client"
	authzUnsupportedResponse  = "unsupported_response_type"
	authzInvalidScope         = "invalid_scope"
	authzServerError          = "server_error"
	authzTemporarilyUnavail   = "temporarily_unavailable"
	authzLoginRequired        = "login_required"
	authzRequestNotSupported  = "request_not_supported"
	authzRequestURINotSupport = "request_uri_not_supported"
)

// Response modes.
const (
	modeQuery    = "query"
	modeFormPost = "form_post"
)

// authorizeRequest is a checked authorization request. It is kept
// server-side in the sign-in flow record; nothing the browser posts later
// changes it.
type authorizeRequest struct {
	AppID, ClientID, AppName string
	RedirectURI              string
	ResponseMode             string // modeQuery or modeFormPost
	State, Nonce, Scope      string
	CodeChallenge            string
	CodeChallengeMethod      string // "S256" or ""
	Prompt                   string // "", "login" or "none"
	LoginHint                string
	MaxAge                   int64  // seconds; -1 when not asked
	Issuer                   string // the issuer under the prefix in use
}

// authorizeError is an error the endpoint may send to the redirect URI
// because the client and redirect URI were already checked.
type authorizeError struct {
	code, description string
}

func (e *authorizeError) Error() string { return e.code + ": " + e.description }

func authzErr(code, format string, args ...any) *authorizeError {
	return &authorizeError{code: code, description: fmt.Sprintf(format, args...)}
}

// loginPageError is shown as a page and never redirected: the request
// cannot be trusted to name a place to send the browser.
type loginPageError struct {
	status       int
	title, human string
}

func (e *loginPageError) Error() string { return e.title + ": " + e.human }

func badAuthorizePage(format string, args ...any) *loginPageError {
	return &loginPageError{status: http.StatusBadRequest, title: "Invalid sign-in request", human: fmt.Sprintf(format, args...)}
}

var pkceChallengePattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// Length limits of the parameters carried through the flow.
const (
	maxStateLen     = 2048
	maxNonceLen     = 512
	maxLoginHintLen = 320
)

// parseAuthorize checks an authorization request of realm in the order
// RFC 6749 §4.1.2.1 demands: a bad client or redirect URI is a
// *loginPageError (shown, never redirected); after that, req is returned
// with any further problem as an *authorizeError to send to the redirect
// URI.
func (p *Provider) parseAuthorize(ctx context.Context, r *http.Request, realm *iam.Realm, issuer string) (*authorizeRequest, error) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &loginPageError{status: http.StatusRequestEntityTooLarge, title: "Invalid sign-in request", human: "The request is too large."}
		}
		return nil, badAuthorizePage("The sign-in request is malformed.")
	}
	form := r.Form
	for _, k := range []string{"client_id", "redirect_uri"} {
		if len(form[k]) > 1 {
			return nil, badAuthorizePage("The parameter %s is repeated.", k)
		}
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		return nil, badAuthorizePage("The application did not say who it is (client_id is missing).")
	}
	unknown := badAuthorizePage("The application is not known to this realm (client_id %q).", truncateHint(clientID))
	if len(clientID) > 128 {
		return nil, unknown
	}
	app, err := p.Store.Realm(realm.ID).Apps().GetByClientID(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !app.Enabled) {
		return nil, unknown
	}
	if err != nil {
		return nil, store.AsIAM(err, "app", "")
	}
	redirect := form.Get("redirect_uri")
	if redirect == "" {
		return nil, badAuthorizePage("The application did not say where to return to (redirect_uri is missing).")
	}
	if !slices.Contains(app.RedirectURIs, redirect) || !authorizeSafeRedirect(redirect) {
		return nil, badAuthorizePage("The return address is not registered for this application. Contact the application's administrator.")
	}
	req := &authorizeRequest{
		AppID: app.ID, ClientID: app.ClientID, AppName: app.Name, RedirectURI: redirect,
		ResponseMode: modeQuery, State: form.Get("state"), Issuer: issuer, MaxAge: -1,
	}
	if len(req.State) > maxStateLen {
		req.State = ""
		return req, authzErr(authzInvalidRequest, "state is too long")
	}
	return req, p.checkAuthorize(form, app, req)
}

// checkAuthorize reads the rest of the request into req.
func (p *Provider) checkAuthorize(form url.Values, app *iam.App, req *authorizeRequest) error {
	switch m := form.Get("response_mode"); m {
	case "", modeQuery:
	case modeFormPost:
		req.ResponseMode = modeFormPost
	default:
		return authzErr(authzInvalidRequest, "response_mode %q is not supported (use query or form_post)", truncateHint(m))
	}
	for k, v := range form {
		if len(v) > 1 {
			return authzErr(authzInvalidRequest, "parameter %s is repeated", truncateHint(k))
		}
	}
	switch {
	case form.Get("request") != "":
		return authzErr(authzRequestNotSupported, "request objects are not supported")
	case form.Get("request_uri") != "":
		return authzErr(authzRequestURINotSupport, "request_uri is not supported")
	}
	switch rt := form.Get("response_type"); rt {
	case "code":
	case "":
		return authzErr(authzInvalidRequest, "response_type is missing")
	default:
		return authzErr(authzUnsupportedResponse, "only response_type code is supported")
	}
	if !app.AllowsGrant(iam.GrantAuthorizationCode) {
		return authzErr(authzUnauthorizedClient, "this client may not use the authorization code flow")
	}
	if err := checkPKCE(form, app, req); err != nil {
		return err
	}
	scope, err := grantScope(app, form.Get("scope"))
	if err != nil {
		return authzErr(authzInvalidScope, "%s", scopeErrorText(err))
	}
	req.Scope = scope
	req.Nonce = form.Get("nonce")
	if len(req.Nonce) > maxNonceLen {
		return authzErr(authzInvalidRequest, "nonce is too long")
	}
	req.LoginHint = strings.TrimSpace(form.Get("login_hint"))
	if len(req.LoginHint) > maxLoginHintLen {
		req.LoginHint = ""
	}
	if err := parsePrompt(form.Get("prompt"), req); err != nil {
		return err
	}
	if v := form.Get("max_age"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return authzErr(authzInvalidRequest, "max_age must be a non-negative number of seconds")
		}
		req.MaxAge = min(n, 100*365*24*3600)
	}
	return nil
}

// checkPKCE applies RFC 7636 with S256 only: a public app must send a
// challenge; a confidential one may; "plain" (also the default method
// when a challenge comes without one) is refused.
func checkPKCE(form url.Values, app *iam.App, req *authorizeRequest) error {
	challenge, method := form.Get("code_challenge"), form.Get("code_challenge_method")
	if challenge == "" {
		if method != "" {
			return authzErr(authzInvalidRequest, "code_challenge_method without code_challenge")
		}
		if app.Public {
			return authzErr(authzInvalidRequest, "a public client must use PKCE: code_challenge with code_challenge_method S256 is required")
		}
		return nil
	}
	if method != "S256" {
		return authzErr(authzInvalidRequest, "code_challenge_method must be S256")
	}
	if !pkceChallengePattern.MatchString(challenge) {
		return authzErr(authzInvalidRequest, "code_challenge is malformed")
	}
	req.CodeChallenge, req.CodeChallengeMethod = challenge, method
	return nil
}

// parsePrompt understands none, login and select_account (treated as
// login); consent is accepted and has no effect, as iamd asks no consent.
func parsePrompt(v string, req *authorizeRequest) error {
	vals := strings.Fields(v)
	for _, x := range vals {
		switch x {
		case "none":
			if len(vals) > 1 {
				return authzErr(authzInvalidRequest, "prompt none cannot be combined with other values")
			}
			req.Prompt = "none"
		case "login", "select_account":
			req.Prompt = "login"
		}
	}
	return nil
}

// authorizeSafeRedirect refuses schemes a browser would run in iamd's
// origin if they were a form's action (an administrator may register any
// absolute URI).
func authorizeSafeRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "javascript", "data", "vbscript", "file", "blob", "about", "filesystem":
		return false
	}
	return true
}

// scopeErrorText is the description of a scope error from grantScope.
func scopeErrorText(err error) string {
	var oe *Error
	if errors.As(err, &oe) {
		return oe.Description
	}
	return "the scope is not allowed"
}

func truncateHint(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
