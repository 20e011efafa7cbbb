package iamv1

import (
	"context"
	"net/http"
	"time"

	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
)

// Messages of sign-in-controller, verbatim.
const (
	msgSignInFailed = "Failed to authenticate user credentials."
	msgCodeFailed   = "Failed to initiate sign in confirmation code."
)

// How a sign-in authenticated the user (RFC 8176), kept in the session.
const (
	amrPassword = "pwd"
	amrSMS      = "sms"
)

func (a *API) mountSignIn(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/sign-in/web/sign-in", a.webSignIn)
	a.handle(mux, "GET /v1/iam/auth/sign-in/login/status", a.loginStatus)
	a.handle(mux, "POST /v1/iam/auth/sign-in/mobile", a.mobileSignIn)
	a.handle(mux, "POST /v1/iam/auth/sign-in/mobile/verify", a.mobileVerify)
}

// webSignIn serves #28: userName (username, e-mail or phone) and password.
// A user with an authenticator app gets no tokens here, only
// {"mfaenabled": true}: the tokens come from the MFA sign-in. Unless
// isMobile, the access token is also set as the AccessCookie.
func (a *API) webSignIn(w http.ResponseWriter, r *http.Request) error {
	var in WebSignInRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", in.UserName, "password", in.Password); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	u, err := a.Authn.PasswordSignIn(ctx, realm, in.UserName, in.Password, httpapi.ClientIP(r))
	if err != nil {
		return opFailure(err, msgSignInFailed)
	}
	mfa, err := a.Authn.HasTOTP(ctx, realm, u.ID)
	if err != nil {
		return err
	}
	if mfa {
		httpapi.WriteJSON(w, http.StatusOK, &AuthenticationResultTypeDto{Guid: u.ID, EmailVerified: u.EmailVerified, Mfaenabled: true})
		return nil
	}
	ts, err := a.OIDC.SignIn(ctx, oidc.SignIn{Realm: realm, App: app, User: u, AMR: []string{amrPassword}, IP: httpapi.ClientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return opFailure(err, msgSignInFailed)
	}
	if !in.IsMobile {
		a.setAccessCookie(w, ts)
	}
	httpapi.WriteJSON(w, http.StatusOK, authResult(ts, u, false))
	return nil
}

// loginStatus serves #20: the caller's state, from the cookie or an
// access token header: the presented access token with its remaining
// lifetime, and the user's flags. No refresh or ID token.
func (a *API) loginStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return err
	}
	res, err := a.userResult(ctx, realm, &oidc.TokenSet{
		AccessToken: c.Token, TokenType: "Bearer", UserID: c.Claims.Subject,
		ExpiresIn: max(int(time.Until(c.Claims.ExpiresAt)/time.Second), 0),
	}, nil)
	if err != nil {
		return opFailure(err, msgSignInFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// mobileSignIn serves #21: an SMS code to the user with that phone. The
// answer is the session (text) to send back with the code.
func (a *API) mobileSignIn(w http.ResponseWriter, r *http.Request) error {
	var in OtpRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("phoneNumber", string(in.PhoneNumber)); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	phone, err := phoneField("phoneNumber", string(in.PhoneNumber), realm)
	if err != nil {
		return err
	}
	ic, err := a.Authn.StartPhoneSignIn(r.Context(), realm, phone, httpapi.ClientIP(r))
	if err != nil {
		return opFailure(err, msgCodeFailed)
	}
	writeText(w, http.StatusOK, ic.Code.Handle)
	return nil
}

// mobileVerify serves #22: phone, session and code give tokens. Each
// wrong code spends one of the code's attempts and counts toward the
// user's lockout.
func (a *API) mobileVerify(w http.ResponseWriter, r *http.Request) error {
	var in OtpVerificationRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("phoneNumber", string(in.PhoneNumber), "session", in.Session, "verificationCode", string(in.VerificationCode)); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	phone, err := phoneField("phoneNumber", string(in.PhoneNumber), realm)
	if err != nil {
		return err
	}
	u, err := a.Authn.VerifyPhoneSignIn(ctx, realm, phone, in.Session, string(in.VerificationCode), httpapi.ClientIP(r))
	if err != nil {
		return opFailure(err, msgCodeFailed)
	}
	ts, err := a.OIDC.SignIn(ctx, oidc.SignIn{Realm: realm, App: app, User: u, AMR: []string{amrSMS}, IP: httpapi.ClientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return opFailure(err, msgCodeFailed)
	}
	res, err := a.userResult(ctx, realm, ts, u)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// userResult is ts in the document's shape, with the flags of its user
// u (read when nil).
func (a *API) userResult(ctx context.Context, realm *iam.Realm, ts *oidc.TokenSet, u *iam.User) (*AuthenticationResultTypeDto, error) {
	if u == nil {
		var err error
		if u, err = a.Directory.GetUser(ctx, realm, ts.UserID); err != nil {
			return nil, err
		}
	}
	mfa, err := a.Authn.HasTOTP(ctx, realm, u.ID)
	if err != nil {
		return nil, err
	}
	return authResult(ts, u, mfa), nil
}
