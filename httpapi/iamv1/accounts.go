package iamv1

import (
	"net/http"
	"strconv"
	"strings"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the account operations of user-controller and
// sign-up-controller, verbatim.
const (
	msgAccountDeleteFailed = "Unable to delete user account"
	msgUserFoundByEmail    = "User found by email"
	msgRegisteredFailed    = "Failed to get registered user list"
	msgRegisteredNotFound  = "Registered user list not found"
)

func (a *API) mountAccounts(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/sign-up/affiliate", a.signUpAffiliate)
	a.handle(mux, "DELETE /v1/iam/users/account", a.deleteAccount)
	a.handle(mux, "GET /v1/iam/users/adminEmailVerify/{email}", a.adminEmailVerify)
	a.handle(mux, "GET /v1/iam/users/unLockUserAccount/{email}", a.unlockUserAccount)
	a.handle(mux, "POST /v1/iam/users/registered/contacts", a.registeredContacts)
}

// signUpAffiliate serves #6: a web sign-up without an organization
// (doc.go): emailId is required, the password optional; 201 with the
// UserDto.
func (a *API) signUpAffiliate(w http.ResponseWriter, r *http.Request) error {
	var in AffiliateSignupRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	if err := required("emailId", in.EmailID); err != nil {
		return err
	}
	user, err := newUser(realm, person{EmailID: in.EmailID, Contact: string(in.Contact), FirstName: in.FirstName, LastName: in.LastName}, "WEB")
	if err != nil {
		return err
	}
	user.Password = in.Password
	user.Attributes = map[string][]string{"affiliate": {"true"}}
	link := a.link(verificationPath)
	if in.ShouldSendEmail != nil && !*in.ShouldSendEmail {
		link = ""
	}
	return a.signUp(w, r, realm, authn.SignUp{User: user, VerifyLink: link, IP: httpapi.ClientIP(r)})
}

// deleteAccount serves #35: the caller deletes their own account, giving
// accountDeleteReason and the password (or isSocialLogin=true, for a user
// without one). The account is soft-deleted with the reason and every
// session ends, so the caller's tokens fail at once. 204.
func (a *API) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := required("accountDeleteReason", q.Get("accountDeleteReason")); err != nil {
		return err
	}
	social := false
	if v := q.Get("isSocialLogin"); v != "" {
		if social, err = strconv.ParseBool(v); err != nil {
			return iam.Invalid("isSocialLogin", "isSocialLogin must be true or false")
		}
	}
	err = a.Authn.DeleteAccount(ctx, realm, c.Claims.Subject, authn.AccountDeletion{
		Reason: q.Get("accountDeleteReason"), Password: q.Get("password"), Social: social, IP: httpapi.ClientIP(r),
	})
	switch iam.ErrorCode(err) {
	case "":
	case iam.CodeInvalid:
		return renameFields(err, "reason", "accountDeleteReason")
	case iam.CodeNotFound, iam.CodeUnauthorized, iam.CodeLocked, iam.CodeForbidden:
		return fail(http.StatusBadRequest, msgAccountDeleteFailed, err)
	default:
		return err
	}
	a.clearAccessCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// adminEmailVerify serves #36: an administrator marks the e-mail of the
// user with that address verified. 200 with the document's text; 404 for
// an address no user has.
func (a *API) adminEmailVerify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticateAdmin(r, realm)
	if err != nil {
		return err
	}
	email, err := emailField("email", r.PathValue("email"))
	if err != nil {
		return err
	}
	if _, err := a.Directory.VerifyEmailAsAdmin(ctx, realm, email, c.Claims.Subject); err != nil {
		return adminLookupFailure(err)
	}
	writeText(w, http.StatusOK, msgUserFoundByEmail)
	return nil
}

// unlockUserAccount serves #63: an administrator lifts the brute-force
// lock of the user with that e-mail (or username or phone). 200 with the
// document's text; 404 for an unknown one.
func (a *API) unlockUserAccount(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticateAdmin(r, realm)
	if err != nil {
		return err
	}
	login := strings.TrimSpace(r.PathValue("email"))
	if err := textField("email", login, 320); err != nil {
		return err
	}
	if _, err := a.Directory.UnlockUserByLogin(ctx, realm, login, c.Claims.Subject); err != nil {
		return adminLookupFailure(err)
	}
	writeText(w, http.StatusOK, msgUserFoundByEmail)
	return nil
}

// registeredContacts serves #55: which of the given e-mails and phone
// numbers belong to users of the served realm. 404 when none does.
func (a *API) registeredContacts(w http.ResponseWriter, r *http.Request) error {
	var in RegisteredUserRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	if _, err := a.authenticate(r, realm); err != nil {
		return err
	}
	if in.Emails == nil && in.Phones == nil {
		return fail(http.StatusBadRequest, msgRegisteredFailed, iam.Invalid("phones", "phones or emails is required"))
	}
	phones := make([]string, len(in.Phones))
	for i, p := range in.Phones {
		phones[i] = string(p)
	}
	users, err := a.Directory.RegisteredContacts(ctx, realm, in.Emails, phones)
	if iam.IsCode(err, iam.CodeInvalid) {
		return fail(http.StatusBadRequest, msgRegisteredFailed, err)
	}
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return fail(http.StatusNotFound, msgRegisteredNotFound, iam.NotFound("registered user"))
	}
	out := make([]RegisteredUserResponse, len(users))
	for i, u := range users {
		out[i] = RegisteredUserResponse{Contact: u.Phone, Email: u.Email, FirstName: u.FirstName, ID: u.Num, LastName: u.LastName, ProfileURL: u.Profile.PictureURL}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// adminLookupFailure answers CodeNotFound with the document's generic "Not Found".
func adminLookupFailure(err error) error {
	if iam.IsCode(err, iam.CodeNotFound) {
		return fail(http.StatusNotFound, "Not Found", err)
	}
	return err
}
