package iamv1

import (
	"encoding/base64"
	"net/http"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
)

// Messages of the MFA operations of sign-in-controller and
// user-controller, verbatim.
const (
	msgMFAKeyFailed     = "Failed to get MFA key"
	msgMFAEnableFailed  = "Failed to enable MFA"
	msgMFADisableFailed = "Failed to disable MFA"
	msgMFASignInFailed  = "Failed to authenticate using MFA"
	msgMFADisabledFor   = "MFA disabled for email"
)

func (a *API) mountMFA(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/sign-in/web/mfa", a.mfaKey)
	a.handle(mux, "DELETE /v1/iam/auth/sign-in/web/mfa", a.mfaDisable)
	a.handle(mux, "POST /v1/iam/auth/sign-in/web/mfa-enable", a.mfaEnable)
	a.handle(mux, "POST /v1/iam/auth/sign-in/web/mfa-signin", a.mfaSignIn)
	a.handle(mux, "GET /v1/iam/auth/sign-in/web/mfa-status", a.mfaStatus)
	a.handle(mux, "GET /v1/iam/users/disableMFAUserAccount/{email}", a.adminDisableMFA)
}

// mfaKey serves #23: a new authenticator key for the caller, as text and
// as a QR code, waiting for mfa-enable. When MFA is already on, the key
// in use is not shown again: the answer is {"enableStatus": true} alone.
func (a *API) mfaKey(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	e, err := a.Authn.StartTOTPEnrollment(r.Context(), realm, c.Claims.Subject)
	switch {
	case iam.IsCode(err, iam.CodeConflict):
		httpapi.WriteJSON(w, http.StatusOK, MFAResponse{EnableStatus: true})
		return nil
	case err != nil:
		return opFailure(err, msgMFAKeyFailed)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, MFAResponse{Key: e.Secret, QRCodeBytes: base64.StdEncoding.EncodeToString(e.QRCodePNG)})
	return nil
}

// mfaEnable serves #25: a code of the new key turns MFA on and gives the
// recovery codes, of the form mfaType names (EIGHT_DIGIT by default).
func (a *API) mfaEnable(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	var in MFAEnableRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("mfaCode", string(in.MfaCode)); err != nil {
		return err
	}
	kind, err := enumField("mfaType", in.MfaType, mfaTypes, mfaTypes[0])
	if err != nil {
		return err
	}
	codes, err := a.Authn.EnableTOTP(r.Context(), realm, c.Claims.Subject, string(in.MfaCode), authn.RecoveryCodeType(kind), httpapi.ClientIP(r))
	if err != nil {
		return opFailure(renameFields(err, "code", "mfaCode", "type", "mfaType"), msgMFAEnableFailed)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, MFAEnableResponse{EnableStatus: true, RecoveryCodes: codes})
	return nil
}

// mfaSignIn serves #26: username, password and an authenticator code or
// an unused recovery code give tokens, as web sign-in gives them to a
// user without MFA (the access cookie too, unless isMobile). inviteCode
// is not acted on, as at web sign-in.
func (a *API) mfaSignIn(w http.ResponseWriter, r *http.Request) error {
	var in MFASigninRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", string(in.UserName), "password", in.Password, "mfaCode", string(in.MfaCode)); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	u, method, err := a.Authn.MFASignIn(ctx, realm, string(in.UserName), in.Password, string(in.MfaCode), httpapi.ClientIP(r))
	if err != nil {
		return opFailure(renameFields(err, "code", "mfaCode"), msgMFASignInFailed)
	}
	ts, err := a.OIDC.SignIn(ctx, oidc.SignIn{Realm: realm, App: app, User: u, AMR: []string{amrPassword, method}, IP: httpapi.ClientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return opFailure(err, msgMFASignInFailed)
	}
	if !in.IsMobile {
		a.setAccessCookie(w, ts)
	}
	httpapi.WriteJSON(w, http.StatusOK, authResult(ts, u, true))
	return nil
}

// mfaStatus serves #27: whether the caller has MFA on.
func (a *API) mfaStatus(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	on, err := a.Authn.MFAStatus(r.Context(), realm, c.Claims.Subject)
	if err != nil {
		return opFailure(err, msgMFAKeyFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, MFAStatusResponse{EnableStatus: on})
	return nil
}

// mfaDisable serves #24: the caller's password turns MFA off (the key and
// the recovery codes go). Off already is success too.
func (a *API) mfaDisable(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	var in MFADisableRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("password", in.Password); err != nil {
		return err
	}
	if err := a.Authn.DisableMFA(r.Context(), realm, c.Claims.Subject, in.Password, httpapi.ClientIP(r)); err != nil {
		return opFailure(err, msgMFADisableFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, MFAResponse{EnableStatus: false})
	return nil
}

// adminDisableMFA serves #44: an administrator turns MFA off for the user
// with that e-mail address (matched exactly, ignoring case), e.g. one who
// lost their phone. An unknown address is 404; MFA already off is
// success.
func (a *API) adminDisableMFA(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authedAdmin(r)
	if err != nil {
		return err
	}
	email, err := emailField("email", r.PathValue("email"))
	if err != nil {
		return err
	}
	if _, err := a.Authn.RemoveMFAByEmail(r.Context(), realm, email, c.Claims.Subject); err != nil {
		if iam.IsCode(err, iam.CodeNotFound) {
			return fail(http.StatusNotFound, "Not Found", err)
		}
		return err
	}
	writeText(w, http.StatusOK, msgMFADisabledFor)
	return nil
}
