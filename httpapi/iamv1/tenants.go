package iamv1

import (
	"net/http"
	"strconv"
	"strings"

	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the membership operations of user-controller, verbatim.
const (
	msgTenantNotFound     = "Tenant not found"
	msgMappingFailed      = "User tenant mapping creation failed"
	msgAlreadyInTenant    = "User with same tenant already exists!"
	maxRolesPerMembership = 50
)

// mountPeople registers the organization membership and invitation
// operations: this file's, invites.go's and bulk.go's.
func (a *API) mountPeople(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/users/tenants", a.addToTenant)
	a.handle(mux, "POST /v1/iam/users/tenants/roles", a.addToTenantWithRoles)
	a.handle(mux, "POST /v1/iam/users/tenants/module-roles", a.addToTenantWithRoles)
	a.handle(mux, "POST /v1/iam/users/bulk-create", a.bulkCreate)
	a.handle(mux, "POST /v1/iam/users/bulk-invite", a.bulkInvite)
	a.handle(mux, "POST /v1/iam/auth/user/invite", a.inviteUser)
	a.handle(mux, "POST /v1/iam/auth/user/verify-invite", a.verifyInvite)
	a.handle(mux, "GET /v1/iam/auth/books/invite/status", a.inviteStatus)
	a.handle(mux, "POST /v1/iam/auth/sign-up/books/invite", a.signUpWithInvite)
	a.handle(mux, "POST /v1/iam/auth/sign-up/employee/invite", a.claimInvite)
	a.handle(mux, "PUT /v1/iam/users/invite/{id}", a.updateInvitedUser)
}

// addToTenant serves #60: the person (iamUserId, else emailId, else
// contact) joins organization tenantId (default: the caller's current
// one) with appName/roleGroup, or is invited to with inviteUser — and an
// existing account is always only invited unless a realm administrator
// asks. 200 with the UserDto (personDto), 208 when already an active
// member (nothing changes).
func (a *API) addToTenant(w http.ResponseWriter, r *http.Request) error {
	var in UserTenantRelRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	roles := []iam.OrgRole{{App: orDefault(in.AppName, a.clientID()), Role: orDefault(in.RoleGroup, directory.DefaultOrgRole)}}
	return a.addPerson(w, r, orgPerson{
		IamUserID: int64(in.IamUserID), TenantID: int64(in.TenantID), EmailID: in.EmailID, Contact: string(in.Contact),
		FirstName: in.FirstName, LastName: in.LastName, Password: in.Password, Source: in.Source, Invite: in.InviteUser,
	}, roles, "appName")
}

// addToTenantWithRoles serves #61 and #62: as #60, with the roles of
// appUserCreateRequestList (moduleUuids are accepted and not kept).
func (a *API) addToTenantWithRoles(w http.ResponseWriter, r *http.Request) error {
	var in UserTenantRelCreationRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.AppUserCreateRequestList) > maxRolesPerMembership {
		return iam.Invalid("appUserCreateRequestList", "appUserCreateRequestList has more than %d roles", maxRolesPerMembership)
	}
	roles := make([]iam.OrgRole, 0, len(in.AppUserCreateRequestList))
	for _, x := range in.AppUserCreateRequestList {
		roles = append(roles, iam.OrgRole{App: orDefault(x.AppName, a.clientID()), Role: orDefault(x.RoleGroup, directory.DefaultOrgRole)})
	}
	if len(roles) == 0 {
		roles = append(roles, iam.OrgRole{App: a.clientID(), Role: directory.DefaultOrgRole})
	}
	return a.addPerson(w, r, orgPerson{
		IamUserID: int64(in.IamUserID), TenantID: int64(in.TenantID), EmailID: in.EmailID, Contact: string(in.Contact),
		FirstName: in.FirstName, LastName: in.LastName, Password: in.Password, Source: in.Source, Invite: in.InviteUser,
	}, roles, "appUserCreateRequestList")
}

// orgPerson is what #60–#62 say about the person to add, in their names.
type orgPerson struct {
	IamUserID, TenantID                                     int64
	EmailID, Contact, FirstName, LastName, Password, Source string
	Invite                                                  bool
}

func (a *API) addPerson(w http.ResponseWriter, r *http.Request, p orgPerson, roles []iam.OrgRole, rolesField string) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	in, err := personToAdd(realm, p, roles)
	if err != nil {
		return err
	}
	if in.OrgRef = currentOrg(c, realm); p.TenantID != 0 {
		in.OrgRef = strconv.FormatInt(p.TenantID, 10)
	}
	if in.OrgRef == "" {
		return fail(http.StatusNotFound, msgTenantNotFound, iam.Invalid("tenantId", "tenantId is required: the token names no organization"))
	}
	in.Actor = actor
	res, err := a.Directory.AddPerson(ctx, realm, in)
	if err != nil {
		return tenantFailure(renameFields(err, "email", "emailId", "phone", "contact", "username", "emailId",
			"userNum", "iamUserId", "roles", rolesField), msgTenantNotFound, msgMappingFailed)
	}
	status := http.StatusOK
	if res.Existed {
		status = http.StatusAlreadyReported
	}
	httpapi.WriteJSON(w, status, personDto(in, res))
	return nil
}

// personDto is the answer about the person of #60–#62 and #41: the
// account, or for an existing account that was only invited
// (AddedPerson.Withheld) what the caller sent — the e-mail, phone or
// login as given, the organization and role, status "invited", id 0 —
// and nothing stored of the account, which the caller has no rights over.
func personDto(in directory.PersonToAdd, res *directory.AddedPerson) UserDto {
	role := firstRole(res.Membership)
	if !res.Withheld {
		return userDto(res.User, res.Organization, role)
	}
	d := UserDto{Email: in.Email, Contact: in.Phone, UserName: orDefault(in.Email, orDefault(in.Phone, in.Login)), TenantID: res.Organization.Num, Status: "invited"}
	if role != nil {
		d.AppName, d.RoleGroup = role.App, role.Role
	}
	return d
}

// personToAdd checks p's shape (a 400 naming the field) and makes it the
// use case's input; the organization and actor are the caller's to set.
func personToAdd(realm *iam.Realm, p orgPerson, roles []iam.OrgRole) (directory.PersonToAdd, error) {
	in := directory.PersonToAdd{UserNum: p.IamUserID, Roles: roles, Invite: p.Invite, Password: p.Password}
	var err error
	if p.IamUserID < 0 {
		return in, iam.Invalid("iamUserId", "iamUserId must be a user's numeric id")
	}
	if p.TenantID < 0 {
		return in, iam.Invalid("tenantId", "tenantId must be an organization's numeric id")
	}
	if in.Email, err = emailField("emailId", p.EmailID); err != nil {
		return in, err
	}
	if in.Phone, err = phoneField("contact", p.Contact, realm); err != nil {
		return in, err
	}
	for _, f := range []struct{ name, v string }{{"firstName", p.FirstName}, {"lastName", p.LastName}} {
		if err := textField(f.name, f.v, 255); err != nil {
			return in, err
		}
	}
	if len(p.Password) > 1024 {
		return in, iam.Invalid("password", "password is longer than 1024 characters")
	}
	for _, role := range roles {
		if err := textField("roleGroup", role.Role, 255); err != nil {
			return in, err
		}
		if err := textField("appName", role.App, 255); err != nil {
			return in, err
		}
	}
	if in.Source, err = enumField("source", p.Source, sources, "WEB"); err != nil {
		return in, err
	}
	in.FirstName, in.LastName = strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName)
	return in, nil
}

// tenantFailure answers the errors of the membership operations: an
// unknown organization is 404 notFound, a caller who does not administer
// it 403, a taken e-mail or phone or a refused change 400 failed; bad
// input keeps its 400 naming the field.
func tenantFailure(err error, notFound, failed string) error {
	switch iam.ErrorCode(err) {
	case iam.CodeNotFound:
		return fail(http.StatusNotFound, notFound, err)
	case iam.CodeForbidden:
		return fail(http.StatusForbidden, "Forbidden", err)
	case iam.CodeConflict, iam.CodePrecondition:
		return fail(http.StatusBadRequest, failed, err)
	}
	return err
}

// firstRole is the membership's first role, which the UserDto shows.
func firstRole(m *iam.Membership) *iam.OrgRole {
	if m == nil || len(m.Roles) == 0 {
		return nil
	}
	return &m.Roles[0]
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}
