package iamv1

import (
	"net/http"
	"strconv"
	"strings"

	"iamd/authn"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of user-controller's user records, verbatim.
const (
	msgUserNotExist   = "User does not exist."
	msgUsersForbidden = "Forbidden"
)

// createdUserRole is the role a user created into an organization gets
// when the request names none.
const createdUserRole = "user"

func (a *API) mountUsers(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/users", a.createUser)
	a.handle(mux, "GET /v1/iam/users/{id}", a.getUser)
	a.handle(mux, "PUT /v1/iam/users/{id}", a.putUser)
	a.handle(mux, "PATCH /v1/iam/users/{id}", a.patchUser)
}

// actor authenticates the caller of a users operation: a user of the
// served realm, a realm administrator when the token carries realm role
// admin, or a server administrator (realm master's admin role).
func (a *API) actor(r *http.Request, realm *iam.Realm) (*caller, directory.Actor, error) {
	c, err := a.authenticate(r, realm)
	if err == nil {
		return c, directory.Actor{UserID: c.Claims.Subject, RealmAdmin: c.Claims.HasRealmRole(iam.RoleAdmin)}, nil
	}
	if mc, merr := a.authenticateAdmin(r, realm); merr == nil {
		return mc, directory.Actor{UserID: mc.Claims.Subject, RealmAdmin: true}, nil
	}
	return nil, directory.Actor{}, err
}

// currentOrg is the caller's organization in the served realm ("" for
// none, and for a server administrator, whose token is another realm's).
func currentOrg(c *caller, realm *iam.Realm) string {
	if c.Realm.ID != realm.ID {
		return ""
	}
	return c.Claims.OrgID
}

// createUser serves #34. The caller is an administrator of their current
// organization, which the new user joins with appName/roleGroup, or a
// realm administrator (see doc.go). 201 with the UserDto.
func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in AppUserCreateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.EmailID) == "" && strings.TrimSpace(string(in.Contact)) == "" {
		return iam.Invalid("emailId", "emailId or contact is required")
	}
	user, err := newUser(realm, person{
		EmailID: in.EmailID, Contact: string(in.Contact), FirstName: in.FirstName, LastName: in.LastName,
		OrganizationName: in.OrganizationName, Source: in.Source,
	}, "WEB")
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"appName", in.AppName}, {"roleGroup", in.RoleGroup}} {
		if err := textField(f.name, f.v, 255); err != nil {
			return err
		}
	}
	user.Password, user.EmailVerified = in.Password, in.IsEmailVerified
	appName, roleGroup := strings.TrimSpace(in.AppName), strings.TrimSpace(in.RoleGroup)
	if appName == "" {
		appName = app.ClientID
	}
	if roleGroup == "" {
		roleGroup = createdUserRole
	}
	acct := authn.NewAccount{
		User: user, Actor: actor, Roles: []iam.OrgRole{{App: appName, Role: roleGroup}},
		Organization: in.OrganizationName, OrgRoles: []iam.OrgRole{{App: appName, Role: iam.OrgAdmin}},
	}
	if in.CreateUserInTenant == nil || *in.CreateUserInTenant {
		acct.JoinOrg = currentOrg(c, realm)
	}
	if in.ShouldSendEmail == nil || *in.ShouldSendEmail {
		acct.VerifyLink = a.link(verificationPath)
	}
	res, err := a.Authn.CreateAccount(ctx, realm, acct)
	switch iam.ErrorCode(err) {
	case "":
	case iam.CodeConflict:
		return fail(http.StatusBadRequest, msgUserExists, err)
	case iam.CodeForbidden:
		return fail(http.StatusForbidden, msgUsersForbidden, err)
	default:
		return renameFields(err, "email", "emailId", "phone", "contact", "username", "emailId", "name", "organizationName",
			"displayName", "organizationName", "roles", "appName")
	}
	dto := userDto(res.User, nil, nil)
	switch {
	case res.Joined != nil:
		dto = userDto(res.User, res.Joined, &acct.Roles[0])
	case res.Organization != nil:
		dto = userDto(res.User, res.Organization, &acct.OrgRoles[0])
	}
	httpapi.WriteJSON(w, http.StatusCreated, dto)
	return nil
}

// getUser serves #66: the user with numeric id {id}, with the roles of
// the memberships the caller may see (doc.go).
func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	num, err := pathUserNum(r)
	if err != nil {
		return err
	}
	v, err := a.Directory.ViewUser(ctx, realm, actor, num)
	if err != nil {
		return userFailure(err, http.StatusNotFound)
	}
	mfa, err := a.Authn.HasTOTP(ctx, realm, v.User.ID)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, appUserInfo(v, currentOrg(c, realm), mfa))
	return nil
}

// putUser serves #67: the UserDto's profile fields that are given change
// (doc.go says which); 200 with the UserDto.
func (a *API) putUser(w http.ResponseWriter, r *http.Request) error {
	var in UserDtoUpdate
	if err := decode(r, &in); err != nil {
		return err
	}
	num, err := pathUserNum(r)
	if err != nil {
		return err
	}
	if in.ID != nil && *in.ID != 0 && int64(*in.ID) != num {
		return iam.Invalid("id", "id in the body must be the id of the path")
	}
	return a.updateUser(w, r, num, profileFields{
		firstName: in.FirstName, lastName: in.LastName, email: in.Email, contact: in.Contact,
		department: in.Department, designation: in.Designation, gender: in.GenderLookUpCode, picture: in.ProfileURL,
	}, http.StatusBadRequest)
}

// patchUser serves #68: the attributes given change; 200 with the UserDto.
func (a *API) patchUser(w http.ResponseWriter, r *http.Request) error {
	var in UserAttributeUpdateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	num, err := pathUserNum(r)
	if err != nil {
		return err
	}
	p := profileFields{firstName: in.FirstName, lastName: in.LastName, email: in.Email, contact: in.Contact, designation: in.Designation}
	if in.Password != nil && *in.Password != "" {
		p.password = in.Password
	}
	for _, f := range []struct {
		name string
		v    *bool
	}{{"isBookkeeper", in.IsBookkeeper}, {"userNotUpdated", in.UserNotUpdated}} {
		if f.v != nil {
			if p.attributes == nil {
				p.attributes = map[string]string{}
			}
			p.attributes[f.name] = strconv.FormatBool(*f.v)
		}
	}
	return a.updateUser(w, r, num, p, http.StatusNotFound)
}

// profileFields are the changes PUT and PATCH ask for, in their names.
type profileFields struct {
	firstName, lastName, email                         *string
	contact                                            *FlexString
	department, designation, gender, picture, password *string
	attributes                                         map[string]string
}

// updateUser checks p, applies it for the caller and answers the UserDto;
// an unknown user is notFound (400 for PUT, 404 for PATCH, as documented).
func (a *API) updateUser(w http.ResponseWriter, r *http.Request, num int64, p profileFields, notFound int) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	in := directory.ProfileUpdate{
		FirstName: p.firstName, LastName: p.lastName, Department: p.department, Designation: p.designation,
		Gender: p.gender, PictureURL: p.picture, Attributes: p.attributes, Password: p.password,
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"firstName", p.firstName}, {"lastName", p.lastName}} {
		if f.v != nil {
			if err := textField(f.name, *f.v, 255); err != nil {
				return err
			}
		}
	}
	if p.email != nil {
		e, err := emailField("email", *p.email)
		if err != nil {
			return err
		}
		in.Email = &e
	}
	if p.contact != nil {
		ph, err := phoneField("contact", string(*p.contact), realm)
		if err != nil {
			return err
		}
		in.Phone = &ph
	}
	v, err := a.Directory.UpdateUserAs(ctx, realm, actor, num, in)
	if err != nil {
		return userFailure(renameFields(err, "phone", "contact"), notFound)
	}
	o, role := visibleRoleIn(v, currentOrg(c, realm))
	httpapi.WriteJSON(w, http.StatusOK, userDto(v.User, o, role))
	return nil
}

// userFailure answers the errors of the users/{id} operations: an
// unknown user is notFound with the document's message, a caller without
// the right 403, a taken e-mail or phone 400 with sign-up's message.
func userFailure(err error, notFound int) error {
	switch iam.ErrorCode(err) {
	case iam.CodeNotFound:
		return fail(notFound, msgUserNotExist, err)
	case iam.CodeForbidden:
		return fail(http.StatusForbidden, msgUsersForbidden, err)
	case iam.CodeConflict:
		return fail(http.StatusBadRequest, msgUserExists, err)
	}
	return err
}

// pathUserNum is the numeric user id of the path; a 400 naming "id" when
// it is not a positive number.
func pathUserNum(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		return 0, iam.Invalid("id", "id must be the numeric id of a user")
	}
	return n, nil
}

// visibleRoleIn is the organization orgID among v's memberships and the user's
// first role there; nil, nil when the user is not a visible member of it.
func visibleRoleIn(v *directory.UserView, orgID string) (*iam.Organization, *iam.OrgRole) {
	for _, om := range v.Memberships {
		if orgID != "" && om.Organization.ID == orgID && om.Membership.Active() {
			var role *iam.OrgRole
			if len(om.Membership.Roles) > 0 {
				role = &om.Membership.Roles[0]
			}
			return om.Organization, role
		}
	}
	return nil, nil
}

// appUserInfo is v in the document's AppUserResponseInfo: tenantId is the
// caller's organization orgID when the user is a member of it, and
// appUserRoleXrefs the roles of v's active memberships.
func appUserInfo(v *directory.UserView, orgID string, mfa bool) AppUserResponseInfo {
	u := v.User
	d := userDto(u, nil, nil)
	info := AppUserResponseInfo{
		Address: make([]Address, 0, len(u.Addresses)), AppUserRoleXrefs: []AppUserRoleInfo{},
		AuthUserID: u.ID, Contact: u.Phone, Deleted: u.Deleted(), Department: u.Profile.Department,
		Designation: u.Profile.Designation, Email: u.Email, FirstName: u.FirstName, GenderLookUpCode: u.Profile.Gender,
		ID: u.Num, IsMFAEnabled: mfa, LastName: u.LastName, ProfileURL: u.Profile.PictureURL, Status: d.Status,
		UserName: u.Username, UserNotUpdated: len(u.Attributes["userNotUpdated"]) > 0 && u.Attributes["userNotUpdated"][0] == "true",
	}
	if o, _ := visibleRoleIn(v, orgID); o != nil {
		info.TenantID = o.Num
	}
	for _, ad := range u.Addresses {
		info.Address = append(info.Address, Address{
			Address1: ad.Address1, Address2: ad.Address2, City: ad.City, ContactName: ad.ContactName, Country: ad.Country,
			DestinationOfSupply: ad.DestinationOfSupply, PlaceOfSupply: ad.PlaceOfSupply, PostalCode: ad.PostalCode,
			Preferred: ad.Preferred, State: ad.State,
		})
	}
	for _, om := range v.Memberships {
		if !om.Membership.Active() {
			continue
		}
		for _, role := range om.Membership.Roles {
			info.AppUserRoleXrefs = append(info.AppUserRoleXrefs, AppUserRoleInfo{
				AppName: role.App, RoleGroup: role.Role, RoleShortCode: role.ShortCode, TenantID: om.Organization.Num,
			})
		}
	}
	return info
}
