package iamv1

import (
	"net/http"

	"iamd/httpapi"
	"iamd/iam"
)

// Messages of email-verification-controller, verbatim.
const (
	msgEmailVerified     = "Email has been verified successfully."
	msgLinkInvalid       = "The Confirmation link is invalid. Please generate a new confirmation link."
	msgEmailTokenExpired = "Email Token has been expired."
	msgEmailSent         = "Email has been sent successfully."
	msgEmailUnsuccessful = "Email verification unsuccessful."
)

func (a *API) mountEmailVerification(mux *http.ServeMux) {
	a.handle(mux, "GET "+verificationPath, a.verifyEmail)
	a.handle(mux, "GET /v1/iam/auth/email/regenerate", a.regenerateEmail)
}

// verifyEmail serves #16, the link of a verification e-mail: it verifies
// once. A wrong or used link is 404, an expired one 410; the answer is
// text, as the document's "string".
func (a *API) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := required("token", q.Get("token"), "user", q.Get("user")); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	_, err = a.Authn.VerifyEmailLink(r.Context(), realm, q.Get("user"), q.Get("token"))
	switch iam.ErrorCode(err) {
	case "":
		writeText(w, http.StatusOK, msgEmailVerified)
		return nil
	case iam.CodeNotFound:
		return fail(http.StatusNotFound, msgLinkInvalid, err)
	case iam.CodeExpired:
		return fail(http.StatusGone, msgEmailTokenExpired, err)
	}
	return err
}

// regenerateEmail serves #15: a new verification link to the unverified
// user with that e-mail. An unknown or already verified address is 400.
func (a *API) regenerateEmail(w http.ResponseWriter, r *http.Request) error {
	email := r.URL.Query().Get("email")
	if err := required("email", email); err != nil {
		return err
	}
	if _, err := emailField("email", email); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	_, err = a.Authn.ResendEmailVerification(r.Context(), realm, email, a.link(verificationPath), httpapi.ClientIP(r))
	switch iam.ErrorCode(err) {
	case "":
		httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, msgEmailSent))
		return nil
	case iam.CodeNotFound, iam.CodePrecondition:
		return fail(http.StatusBadRequest, msgEmailUnsuccessful, err)
	}
	return err
}
