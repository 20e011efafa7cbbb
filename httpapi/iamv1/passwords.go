package iamv1

import (
	"net/http"

	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the password operations of sign-up-controller and
// user-controller, verbatim.
const (
	msgForgotSent        = "Confirmation code has been sent successfully."
	msgForgotFailed      = "Failed to initiate forgot password confirmation code."
	msgPasswordSet       = "User has set new password successfully."
	msgPasswordSetFailed = "User's new password request failed."
	msgPasswordChanged   = "Password changed successfully."
	msgUserNotFound      = "User not found"
)

func (a *API) mountPasswords(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/password/forgot", a.forgotPassword)
	a.handle(mux, "POST /v1/iam/auth/password/confirm", a.confirmPassword)
	a.handle(mux, "POST /v1/iam/users/change-password", a.changePassword)
	a.handle(mux, "POST /v1/iam/users/adminSetPassword", a.adminSetPassword)
}

// forgotPassword serves #5: a reset code to the user userName names, by
// e-mail for an e-mail address, by SMS for a phone number (a username:
// to the user's e-mail, else phone). An unknown user is 404, a locked or
// disabled one 400. The answer is text.
func (a *API) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	var in ForgotPasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", string(in.UserName)); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	if _, err := a.Authn.StartPasswordReset(r.Context(), realm, string(in.UserName), httpapi.ClientIP(r)); err != nil {
		return opFailure(renameFields(err, "login", "userName"), msgForgotFailed)
	}
	writeText(w, http.StatusOK, msgForgotSent)
	return nil
}

// confirmPassword serves #4: the newest reset code and a new password
// (the realm's policy and history apply) set it. The answer, and the
// error of a wrong code, carry retriesLeft; the code's last allowed
// failure locks the account. Afterwards no earlier refresh token of the
// user works.
func (a *API) confirmPassword(w http.ResponseWriter, r *http.Request) error {
	var in ConfirmPasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", string(in.UserName), "confirmationCode", string(in.ConfirmationCode), "password", in.Password); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	left, err := a.Authn.ConfirmPasswordReset(r.Context(), realm, string(in.UserName), string(in.ConfirmationCode), in.Password, httpapi.ClientIP(r))
	if err != nil {
		return opFailure(renameFields(err, "login", "userName", "code", "confirmationCode"), msgPasswordSetFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, OtpResponse{Message: msgPasswordSet, RetriesLeft: &left})
	return nil
}

// changePassword serves #42: the caller's old password and a new one.
// The caller's session stays signed in; every other session of the user
// ends. A wrong old password is 400 naming oldPassword (the document
// lists no 400; 401 would read as an expired token to most clients).
func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	var in UserChangePasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("oldPassword", in.OldPassword, "newPassword", in.NewPassword); err != nil {
		return err
	}
	err = a.Authn.ChangeOwnPassword(r.Context(), realm, c.Claims.Subject, c.Claims.SessionID, in.OldPassword, in.NewPassword, httpapi.ClientIP(r))
	err = renameFields(err, "currentPassword", "oldPassword", "password", "newPassword")
	switch iam.ErrorCode(err) {
	case "":
		writeText(w, http.StatusOK, msgPasswordChanged)
		return nil
	case iam.CodeNotFound:
		return fail(http.StatusNotFound, msgUserNotFound, err)
	case iam.CodeUnauthorized, iam.CodeLocked, iam.CodeForbidden:
		return fail(http.StatusBadRequest, iam.ErrorMessage(err), err)
	}
	return err
}

// adminSetPassword serves #37: an administrator sets the password of the
// user userName names (as forgot-password reads it). confirmationCode is
// not needed: the administrator's token authorizes the change. Every
// refresh token of the user stops working.
func (a *API) adminSetPassword(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authedAdmin(r)
	if err != nil {
		return err
	}
	var in ConfirmPasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", string(in.UserName), "password", in.Password); err != nil {
		return err
	}
	if _, err := a.Authn.AdminSetPassword(r.Context(), realm, string(in.UserName), in.Password, c.Claims.Subject); err != nil {
		return opFailure(renameFields(err, "login", "userName"), msgPasswordSetFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, OtpResponse{Message: msgPasswordSet})
	return nil
}
