package iamv1

import (
	"net/http"
	"time"

	"iamd/httpapi"
	"iamd/iam"
)

// Message of user-controller's user OTP operations, verbatim: the
// document gives it to GET's 404 and to POST's 401.
const msgInvalidUserOTP = "Invalid user name user otp."

// otpTypes are the document's otpType values of the code purposes.
var otpTypes = map[string]string{
	iam.PurposeSignIn:       "LOGIN",
	iam.PurposeResetPass:    "PASSWORD_RESET",
	iam.PurposeVerifyEmail:  "EMAIL_VERIFICATION",
	iam.PurposeAccountMerge: "MERGE_ACCOUNTS",
	iam.PurposeVerifyPhone:  "EMAIL_CONTACT_VERIFY_OTP",
	iam.PurposeEmailChange:  "EMAIL_CHANGE",
}

func (a *API) mountUserOTP(mux *http.ServeMux) {
	a.handle(mux, "GET /v1/iam/users/otp", a.getUserOTP)
	a.handle(mux, "POST /v1/iam/users/otp", a.createUserOTP)
}

// createUserOTP serves #54, for administrators: a new mobile sign-in code
// for the user named in the body (username, e-mail or contact number; a
// JSON string or {"userName": …}), sent to their phone and returned here
// once, with the session and contact that sign-in/mobile/verify takes.
// An unknown user, or one without a phone or disabled, is 401 as
// documented.
func (a *API) createUserOTP(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authedAdmin(r)
	if err != nil {
		return err
	}
	name, err := stringBody(r, "userName")
	if err != nil {
		return err
	}
	if err := required("userName", name); err != nil {
		return err
	}
	if err := textField("userName", name, 320); err != nil {
		return err
	}
	ic, u, err := a.Authn.CreateUserOTP(r.Context(), realm, name, c.Claims.Subject)
	switch iam.ErrorCode(err) {
	case "":
	case iam.CodeNotFound, iam.CodeForbidden, iam.CodePrecondition:
		return fail(http.StatusUnauthorized, msgInvalidUserOTP, err)
	default:
		return err
	}
	res := userOTP(ic.Code, u)
	res.Otp = ic.Clear
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// getUserOTP serves #53, for administrators: the user's code of #54 while
// it is valid — its session, contact, type and expiry, never the code
// (it is stored only hashed). No valid code, or no such user, is 404.
func (a *API) getUserOTP(w http.ResponseWriter, r *http.Request) error {
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	if _, err := a.authenticateAdmin(r, realm); err != nil {
		return err
	}
	name := r.URL.Query().Get("userName")
	if err := required("userName", name); err != nil {
		return fail(http.StatusNotFound, msgInvalidUserOTP, err)
	}
	if err := textField("userName", name, 320); err != nil {
		return err
	}
	code, u, err := a.Authn.UserOTP(r.Context(), realm, name)
	if err != nil {
		return codeFailure(err, msgInvalidUserOTP, msgInvalidUserOTP)
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, userOTP(code, u))
	return nil
}

func userOTP(c *iam.OneTimeCode, u *iam.User) UserOtpResponse {
	contact := c.Target
	if contact == "" {
		contact = u.Phone
	}
	return UserOtpResponse{
		Contact: contact, Expiry: c.ExpiresAt.UTC().Format(time.RFC3339), OtpType: otpTypes[c.Purpose], Session: c.Handle,
	}
}
