package oidc

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"iamd/iam"
)

var errLoginCSRF = &loginPageError{status: http.StatusForbidden, title: "Sign-in refused",
	human: "This form did not come from this browser's sign-in, or cookies are blocked. Enable cookies, return to the application and sign in again."}

// loginForm parses a hosted form POST; only its body counts.
func loginForm(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return badAuthorizePage("The form was not sent as a form.")
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return iam.Errorf(iam.CodeTooLarge, "request body is too large")
		}
		return badAuthorizePage("The form is malformed.")
	}
	return nil
}

// loginStep loads the flow a form POST continues, after checking that the
// POST is a well-formed form whose CSRF token belongs to this browser.
// The CSRF check comes before anything is done with the flow.
func (p *Provider) loginStep(r *http.Request, realm *iam.Realm, stage string) (*loginFlow, error) {
	if err := loginForm(r); err != nil {
		return nil, err
	}
	handle := r.PostFormValue("flow")
	if !p.csrfValid(r, realm, handle, r.PostFormValue("csrf")) {
		return nil, errLoginCSRF
	}
	return p.loadLoginFlow(r.Context(), realm, handle, stage)
}

// handlePasswordStep checks the username and password of the sign-in form.
// A wrong entry shows the form again with a message and the username kept;
// success either asks for the TOTP code (a user with an authenticator) or
// completes the sign-in.
func (p *Provider) handlePasswordStep(w http.ResponseWriter, r *http.Request, realm *iam.Realm) error {
	ctx := r.Context()
	f, err := p.loginStep(r, realm, loginStagePassword)
	if err != nil {
		return err
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	if username == "" || password == "" {
		p.renderLogin(w, r, realm, f, http.StatusBadRequest, username, "Enter your username and password.")
		return nil
	}
	user, err := p.Authn.PasswordSignIn(ctx, realm, username, password, loginClientIP(r))
	if err != nil {
		status, msg, ok := loginFailure(err, "Invalid username or password.")
		if !ok {
			return err
		}
		p.renderLogin(w, r, realm, f, status, username, msg)
		return nil
	}
	if err := p.consumeLoginFlow(ctx, realm, f); err != nil {
		return err
	}
	mfa, err := p.Authn.HasTOTP(ctx, realm, user.ID)
	if err != nil {
		return p.authorizeFailErr(w, r, realm, f.req, err)
	}
	if mfa {
		next, err := p.newLoginFlow(ctx, realm, f.req, loginStageOTP, user.ID)
		if err != nil {
			return p.authorizeFailErr(w, r, realm, f.req, err)
		}
		p.renderOTP(w, r, realm, next, http.StatusOK, "")
		return nil
	}
	return p.authorizeFailErr(w, r, realm, f.req, p.finishSignIn(w, r, realm, f.req, user.ID, []string{"pwd"}))
}

// handleOTPStep checks the TOTP code of a user who passed the password
// step. Each flow allows loginOTPAttempts codes; wrong codes also count
// toward the user's lockout.
func (p *Provider) handleOTPStep(w http.ResponseWriter, r *http.Request, realm *iam.Realm) error {
	ctx := r.Context()
	f, err := p.loginStep(r, realm, loginStageOTP)
	if err != nil {
		return err
	}
	code := r.PostFormValue("otp")
	if strings.TrimSpace(code) == "" {
		p.renderOTP(w, r, realm, f, http.StatusBadRequest, "Enter the code from your authenticator app.")
		return nil
	}
	if err := p.spendLoginAttempt(ctx, realm, f); err != nil {
		return err
	}
	if err := p.Authn.VerifyTOTP(ctx, realm, f.userID, code, loginClientIP(r)); err != nil {
		status, msg, ok := loginFailure(err, "Invalid authentication code.")
		if !ok {
			return err
		}
		p.renderOTP(w, r, realm, f, status, msg)
		return nil
	}
	if err := p.consumeLoginFlow(ctx, realm, f); err != nil {
		return err
	}
	return p.authorizeFailErr(w, r, realm, f.req, p.finishSignIn(w, r, realm, f.req, f.userID, []string{"pwd", "otp"}))
}

// finishSignIn starts the SSO session of a completed sign-in, sets its
// cookie and sends the code to the app.
func (p *Provider) finishSignIn(w http.ResponseWriter, r *http.Request, realm *iam.Realm, req *authorizeRequest, userID string, amr []string) error {
	sess, err := p.startSession(r.Context(), r, realm, userID, amr)
	if err != nil {
		return err
	}
	p.setSessionCookie(w, r, realm, sess)
	return p.completeAuthorize(w, r, realm, req, sess)
}

// loginFailure turns a sign-in error into the status and message of the
// form shown again; ok is false for errors that are not the user's (an
// outage, a bug), which get an error page instead.
func loginFailure(err error, wrong string) (status int, msg string, ok bool) {
	switch iam.ErrorCode(err) {
	case iam.CodeUnauthorized, iam.CodeNotFound:
		return http.StatusBadRequest, wrong, true
	case iam.CodeInvalid:
		return http.StatusBadRequest, iam.ErrorMessage(err), true
	case iam.CodeLocked:
		return http.StatusLocked, "Your account is temporarily locked after too many failed attempts. Try again later, or ask your administrator to unlock it.", true
	case iam.CodeForbidden:
		return http.StatusForbidden, "Your account is disabled. Contact your administrator.", true
	case iam.CodeRateLimited:
		return http.StatusTooManyRequests, "Too many sign-in attempts from your network. Wait a minute and try again.", true
	}
	return 0, "", false
}

// renderLogin shows the username and password form of flow f.
func (p *Provider) renderLogin(w http.ResponseWriter, r *http.Request, realm *iam.Realm, f *loginFlow, status int, username, msg string) {
	v := &pageView{Title: "Sign in", AppName: f.req.AppName, Flow: f.handle, Username: username, Error: msg}
	v.CSRF = p.csrfToken(realm, f.handle, p.csrfBrowserID(w, r, realm))
	p.renderPage(w, r, status, "login", realm, v, pagePolicy{formTargets: authorizeFormTargets(f.req)})
}

// renderOTP shows the TOTP form of flow f.
func (p *Provider) renderOTP(w http.ResponseWriter, r *http.Request, realm *iam.Realm, f *loginFlow, status int, msg string) {
	v := &pageView{Title: "Two-step verification", AppName: f.req.AppName, Flow: f.handle, Error: msg}
	v.CSRF = p.csrfToken(realm, f.handle, p.csrfBrowserID(w, r, realm))
	p.renderPage(w, r, status, "otp", realm, v, pagePolicy{formTargets: authorizeFormTargets(f.req)})
}
