package iamv1

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of user-controller's e-mail and contact operations, verbatim.
const (
	msgEmailChangeOTP       = "otp has been generated for email change"
	msgEmailChanged         = "email has been changed"
	msgBadRequest           = "bad request"
	msgNotFound             = "Not Found"
	msgSMSSent              = "SMS has been sent successfully."
	msgSMSFailed            = "SMS send failed"
	msgContactConfirmed     = "user has confirmed email/contact successfully"
	msgContactConfirmFailed = "user failed to confirm email/contact"
	msgContactUnlinked      = "Contact has been sent successfully unlinked."
	msgUnlinkFailed         = "Failed to unlink contact"
)

func (a *API) mountContacts(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/users/emailchangeotp", a.emailChangeOTP)
	a.handle(mux, "POST /v1/iam/users/emailchangeconfirmotp", a.emailChangeConfirm)
	a.handle(mux, "GET /v1/iam/users/generateverifyemailotp", a.sendVerifyEmailOTP)
	a.handle(mux, "GET /v1/iam/users/generateverifycontactotp", a.sendVerifyContactOTP)
	a.handle(mux, "POST /v1/iam/users/confirmotp", a.confirmOTP)
	a.handle(mux, "GET /v1/iam/users/unlinkcontact", a.unlinkContact)
}

// emailChangeOTP serves #46: with the caller's password, a code goes to
// newEmail; the answer is the session for #45 and the code's lifetime.
func (a *API) emailChangeOTP(w http.ResponseWriter, r *http.Request) error {
	var in EmailChangeRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("newEmail", in.NewEmail, "password", in.Password); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := emailField("newEmail", in.NewEmail); err != nil {
		return err
	}
	ic, err := a.Authn.StartEmailChange(r.Context(), realm, c.Claims.Subject, in.NewEmail, in.Password, httpapi.ClientIP(r))
	if err != nil {
		return codeFailure(renameFields(err, "email", "newEmail"), msgBadRequest, msgNotFound)
	}
	ttl := ic.Code.ExpiresAt.Sub(ic.Code.CreatedAt)
	httpapi.WriteJSON(w, http.StatusOK, EmailChangeResponse{SessionID: ic.Code.Handle, OtpExpiryDurationSeconds: strconv.Itoa(int(ttl.Seconds()))})
	return nil
}

// emailChangeConfirm serves #45: the session and code of #46 and the same
// newEmail make it the caller's verified e-mail.
func (a *API) emailChangeConfirm(w http.ResponseWriter, r *http.Request) error {
	var in EmailChangeConfirmRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("newEmail", in.NewEmail, "sessionID", in.SessionID, "verificationCode", string(in.VerificationCode)); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := emailField("newEmail", in.NewEmail); err != nil {
		return err
	}
	_, err = a.Authn.ConfirmEmailChange(r.Context(), realm, c.Claims.Subject, in.SessionID, in.NewEmail, string(in.VerificationCode), httpapi.ClientIP(r))
	if err != nil {
		return codeFailure(renameCodeField(err, "email", "newEmail", "code", "verificationCode"), msgBadRequest, msgNotFound)
	}
	httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, msgEmailChanged))
	return nil
}

// sendVerifyEmailOTP serves #48: a code to the caller's own e-mail
// address, which the query's email must be.
func (a *API) sendVerifyEmailOTP(w http.ResponseWriter, r *http.Request) error {
	return a.sendVerifyOTP(w, r, true, msgEmailSent, msgEmailUnsuccessful)
}

// sendVerifyContactOTP serves #47: a code by SMS to the caller's own
// contact number. The query's email (so named by the document) names
// the caller: their e-mail, username or contact number.
func (a *API) sendVerifyContactOTP(w http.ResponseWriter, r *http.Request) error {
	return a.sendVerifyOTP(w, r, false, msgSMSSent, msgSMSFailed)
}

func (a *API) sendVerifyOTP(w http.ResponseWriter, r *http.Request, email bool, ok, failed string) error {
	account := r.URL.Query().Get("email")
	if err := required("email", account); err != nil {
		return err
	}
	if err := textField("email", account, 320); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := a.Authn.SendContactVerification(r.Context(), realm, c.Claims.Subject, account, email, httpapi.ClientIP(r)); err != nil {
		return codeFailure(err, failed, msgNotFound)
	}
	httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, ok))
	return nil
}

// confirmOTP serves #43: the code #47 or #48 sent to userName (the
// caller's e-mail or contact number; isEmail says which, and when it is
// absent an "@" does) marks that address verified. password is ignored.
func (a *API) confirmOTP(w http.ResponseWriter, r *http.Request) error {
	var in ConfirmOtpRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("userName", string(in.UserName), "confirmationCode", string(in.ConfirmationCode)); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	isEmail := strings.Contains(string(in.UserName), "@")
	if in.IsEmail != nil {
		isEmail = *in.IsEmail
	}
	if isEmail {
		_, err = emailField("userName", string(in.UserName))
	} else {
		_, err = phoneField("userName", string(in.UserName), realm)
	}
	if err != nil {
		return err
	}
	_, err = a.Authn.ConfirmContact(r.Context(), realm, c.Claims.Subject, string(in.UserName), isEmail, string(in.ConfirmationCode), httpapi.ClientIP(r))
	if err != nil {
		return codeFailure(renameCodeField(err, "code", "confirmationCode"), msgContactConfirmFailed, msgContactConfirmFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, OtpResponse{Message: msgContactConfirmed})
	return nil
}

// unlinkContact serves #64: the caller's contact number is removed, when
// they keep a verified e-mail address to sign in with (400 otherwise).
func (a *API) unlinkContact(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := a.Directory.RemoveContact(r.Context(), realm, c.Claims.Subject, false, c.Claims.Subject); err != nil {
		return codeFailure(err, msgUnlinkFailed, msgNotFound)
	}
	httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, msgContactUnlinked))
	return nil
}

// signedIn is the served realm and the authenticated user of r.
func (a *API) signedIn(r *http.Request) (*iam.Realm, *caller, error) {
	realm, err := a.realm(r.Context())
	if err != nil {
		return nil, nil, err
	}
	c, err := a.authenticate(r, realm)
	return realm, c, err
}

// renameCodeField is renameFields for the error of a one-time code,
// keeping the tries it has left, which writeError shows as retriesLeft.
func renameCodeField(err error, pairs ...string) error {
	renamed := renameFields(err, pairs...)
	if n, ok := authn.AttemptsLeft(err); ok && renamed != err {
		return &authn.CodeRejected{Left: n, Err: renamed}
	}
	return renamed
}

// codeFailure maps a use case's error to an operation's two documented
// failures: 404 msg404 for CodeNotFound, 400 msg400 for a refusal
// (opFailure's list, including a wrong password or code, whose field and
// remaining attempts the detail tells).
func codeFailure(err error, msg400, msg404 string) error {
	if iam.IsCode(err, iam.CodeNotFound) {
		return fail(http.StatusNotFound, msg404, err)
	}
	return opFailure(err, msg400)
}

// stringBody reads a body the document types as a bare string: a JSON
// string, an object holding it under field, or (Content-Type text/plain)
// the text itself, as a Spring @RequestBody String takes it. Anything
// else is a 400 naming field.
func stringBody(r *http.Request, field string) (string, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return "", iam.Errorf(iam.CodeTooLarge, "request body is too large")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "text/plain" {
		return strings.TrimSpace(string(b)), nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	var raw json.RawMessage
	if err := decode(r, &raw); err != nil {
		return "", err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if v, ok := obj[field]; ok && json.Unmarshal(v, &s) == nil {
			return s, nil
		}
	}
	return "", iam.Invalid(field, "the body must be the %s as a JSON string, or {\"%s\": \"…\"}", field, field)
}
