package iamv1

import (
	"net/http"
	"strings"

	"iamd/authn"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of sign-up-controller, verbatim.
const (
	msgUserExists      = "User with same username is already exist."
	msgCheckUserFailed = "Check existing user details failed."
)

// verificationPath is where the links of verification e-mails point.
const verificationPath = "/v1/iam/auth/email/verification"

func (a *API) mountSignUp(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/sign-up/web", a.signUpWeb)
	a.handle(mux, "POST /v1/iam/auth/sign-up/mobile", a.signUpMobile)
	a.handle(mux, "GET /v1/iam/auth/user", a.checkUser)
}

// signUpWeb serves #10: the user signs in with emailId (the username)
// and password; contact is optional. With organizationName the user
// creates that organization and administers it. Unless shouldSendEmail is
// false, a verification link goes to emailId. 201 with the UserDto.
func (a *API) signUpWeb(w http.ResponseWriter, r *http.Request) error {
	var in WebSignupRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	realm, app, err := a.realmApp(r.Context())
	if err != nil {
		return err
	}
	if err := required("emailId", in.EmailID, "password", in.Password); err != nil {
		return err
	}
	user, err := newUser(realm, person{
		EmailID: in.EmailID, Contact: string(in.Contact), FirstName: in.FirstName, LastName: in.LastName,
		OrganizationName: in.OrganizationName, Source: in.Source,
	}, "WEB")
	if err != nil {
		return err
	}
	user.Password = in.Password
	link := a.link(verificationPath)
	if in.ShouldSendEmail != nil && !*in.ShouldSendEmail {
		link = ""
	}
	return a.signUp(w, r, realm, authn.SignUp{
		User: user, Organization: in.OrganizationName, OrgRoles: []iam.OrgRole{{App: app.ClientID, Role: iam.OrgAdmin}},
		VerifyLink: link, IP: httpapi.ClientIP(r),
	})
}

// signUpMobile serves #9: the user's contact (required) is the username;
// they sign in with SMS codes (sign-in/mobile), so there is no password
// and nothing is sent now.
func (a *API) signUpMobile(w http.ResponseWriter, r *http.Request) error {
	var in MobileSignupRequestWithOrg
	if err := decode(r, &in); err != nil {
		return err
	}
	realm, app, err := a.realmApp(r.Context())
	if err != nil {
		return err
	}
	if err := required("contact", string(in.Contact)); err != nil {
		return err
	}
	user, err := newUser(realm, person{
		Contact: string(in.Contact), FirstName: in.FirstName, LastName: in.LastName, OrganizationName: in.OrganizationName,
	}, "MOBILE")
	if err != nil {
		return err
	}
	return a.signUp(w, r, realm, authn.SignUp{
		User: user, Organization: in.OrganizationName, OrgRoles: []iam.OrgRole{{App: app.ClientID, Role: iam.OrgAdmin}},
		IP: httpapi.ClientIP(r),
	})
}

// person is what a sign-up gives about the user, with the field names of
// WebSignupRequest (which the error messages use).
type person struct {
	EmailID, Contact, FirstName, LastName, OrganizationName, Source string
}

// newUser checks p and makes it a user to create: the username is the
// e-mail, else the phone in E.164; source defaults to defSource.
func newUser(realm *iam.Realm, p person, defSource string) (directory.NewUser, error) {
	var u directory.NewUser
	var err error
	if u.Email, err = emailField("emailId", p.EmailID); err != nil {
		return u, err
	}
	if u.Phone, err = phoneField("contact", p.Contact, realm); err != nil {
		return u, err
	}
	for _, f := range []struct{ name, v string }{{"firstName", p.FirstName}, {"lastName", p.LastName}, {"organizationName", p.OrganizationName}} {
		if err := textField(f.name, f.v, 255); err != nil {
			return u, err
		}
	}
	if u.Profile.Source, err = enumField("source", p.Source, sources, defSource); err != nil {
		return u, err
	}
	u.Username, u.FirstName, u.LastName = u.Email, strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName)
	if u.Username == "" {
		u.Username = u.Phone
	}
	return u, nil
}

// signUp runs the sign-up and answers 201 with the new user.
func (a *API) signUp(w http.ResponseWriter, r *http.Request, realm *iam.Realm, in authn.SignUp) error {
	res, err := a.Authn.SignUp(r.Context(), realm, in)
	if iam.IsCode(err, iam.CodeConflict) {
		return fail(http.StatusBadRequest, msgUserExists, err)
	}
	if err != nil {
		return renameFields(err, "email", "emailId", "phone", "contact", "username", "emailId", "name", "organizationName", "displayName", "organizationName")
	}
	var role *iam.OrgRole
	if res.Organization != nil {
		role = &in.OrgRoles[0]
	}
	httpapi.WriteJSON(w, http.StatusCreated, userDto(res.User, res.Organization, role))
	return nil
}

// checkUser serves #11: whether a user has the e-mail emailId and whether
// one has the phone contact, and whether that is the same user. action,
// when given, must be checkExistingUserDetails.
func (a *API) checkUser(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if act := q.Get("action"); act != "" && act != "checkExistingUserDetails" {
		return iam.Invalid("action", "action must be checkExistingUserDetails")
	}
	email, contact := q.Get("emailId"), q.Get("contact")
	if strings.TrimSpace(email) == "" && strings.TrimSpace(contact) == "" {
		return fail(http.StatusBadRequest, msgCheckUserFailed, iam.Invalid("emailId", "emailId or contact is required"))
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	if _, err := emailField("emailId", email); err != nil {
		return err
	}
	if _, err := phoneField("contact", contact, realm); err != nil {
		return err
	}
	byEmail, byPhone, err := a.Directory.UsersByContact(r.Context(), realm, email, contact)
	if err != nil {
		return renameFields(err, "email", "emailId", "phone", "contact")
	}
	httpapi.WriteJSON(w, http.StatusOK, CheckExistingUserResponse{
		EmailExists: byEmail != nil, ContactExists: byPhone != nil,
		SameUser: byEmail != nil && byPhone != nil && byEmail.ID == byPhone.ID,
	})
	return nil
}
