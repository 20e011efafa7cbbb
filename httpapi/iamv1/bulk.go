package iamv1

import (
	"fmt"
	"net/http"
	"strings"

	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the bulk operations, verbatim.
const (
	msgBulkCreateFailed = "Failed to create users."
	// iamd's: a #40 row naming an existing account, which only an
	// invitation brings in (doc.go).
	msgBulkInvitedInstead = "User already has an account; an invite code has been sent."
)

// bulkField names row i's field f in errors: inviteBulkUserRequests[i].f.
func bulkField(i int, f string) string { return fmt.Sprintf("inviteBulkUserRequests[%d].%s", i, f) }

// bulkCreate serves #40: every row joins the caller's current
// organization at once (a new account gets an invitation code to set its
// password with sign-up/employee/invite). A row naming an existing
// account is invited instead, unless a realm administrator asks, and is a
// failure row saying so (nobody joins without saying yes). 200 with the
// rows that succeeded and those that failed, each row on its own: a
// failed row leaves nothing behind and does not stop the others.
func (a *API) bulkCreate(w http.ResponseWriter, r *http.Request) error {
	rows, _, outcomes, err := a.bulk(r, false, msgInviteNotFound, msgBulkCreateFailed)
	if err != nil {
		return err
	}
	res := BulkAddUserResponse{Failure: []IAMUserDto{}, Success: []IAMUserDto{}}
	for i, o := range outcomes {
		d := rowDto(rows[i])
		switch {
		case o.Err != nil:
			d.Message = rowMessage(o.Err)
			res.Failure = append(res.Failure, d)
		case o.Added.Existed:
			d.TenantID, d.Message = o.Added.Organization.Num, msgAlreadyInTenant
			res.Failure = append(res.Failure, d)
		case o.Added.Withheld:
			// An existing account is not created nor added: it was invited.
			d.TenantID, d.Message = o.Added.Organization.Num, msgBulkInvitedInstead
			res.Failure = append(res.Failure, d)
		default:
			res.Success = append(res.Success, iamUserDto(o.Added))
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// bulkInvite serves #41: every row is invited to the caller's current
// organization (see #60 with inviteUser). 200 with one UserDto per row in
// request order (an existing account's shows only what the row sent); a
// failed row has status "failed" and a message, an existing member the
// message of #60's 208.
func (a *API) bulkInvite(w http.ResponseWriter, r *http.Request) error {
	rows, people, outcomes, err := a.bulk(r, true, msgTenantNotFound, msgMappingFailed)
	if err != nil {
		return err
	}
	res := make([]BulkInviteUserDto, len(rows))
	for i, o := range outcomes {
		if o.Err != nil {
			row := rows[i]
			res[i] = BulkInviteUserDto{UserDto: UserDto{
				AppName: row.AppName, RoleGroup: row.RoleGroup, Email: row.Email, Contact: string(row.Contact),
				FirstName: row.FirstName, LastName: row.LastName, UserName: string(row.Username), Status: "failed",
			}, Message: rowMessage(o.Err)}
			continue
		}
		res[i].UserDto = personDto(people[i], o.Added)
		if o.Added.Existed {
			res[i].Message = msgAlreadyInTenant
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// bulk checks the rows (any malformed row is a 400 naming it, and
// nothing changes) and adds or invites them to the caller's current
// organization, one transaction per row.
func (a *API) bulk(r *http.Request, invite bool, notFound, failed string) ([]InviteBulkUserRequest, []directory.PersonToAdd, []directory.BulkOutcome, error) {
	var rows []InviteBulkUserRequest
	if err := decode(r, &rows); err != nil {
		return nil, nil, nil, err
	}
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(rows) == 0 || len(rows) > directory.MaxBulkPeople {
		return nil, nil, nil, iam.Invalid("inviteBulkUserRequests", "between 1 and %d rows are required", directory.MaxBulkPeople)
	}
	people := make([]directory.PersonToAdd, len(rows))
	for i, row := range rows {
		if people[i], err = bulkPerson(realm, i, row, invite); err != nil {
			return nil, nil, nil, err
		}
	}
	org := currentOrg(c, realm)
	if org == "" {
		return nil, nil, nil, fail(http.StatusNotFound, notFound, iam.NotFound("organization: the token names none"))
	}
	outcomes, err := a.Directory.AddPeople(ctx, realm, org, actor, people)
	if err != nil {
		return nil, nil, nil, tenantFailure(renameFields(err, "people", "inviteBulkUserRequests"), notFound, failed)
	}
	return rows, people, outcomes, nil
}

// bulkPerson checks row i; the document marks every field but peoplePlus
// required, iamd needs the names, the role and an e-mail, contact or
// username.
func bulkPerson(realm *iam.Realm, i int, row InviteBulkUserRequest, invite bool) (directory.PersonToAdd, error) {
	if err := required(bulkField(i, "appName"), row.AppName, bulkField(i, "roleGroup"), row.RoleGroup,
		bulkField(i, "firstName"), row.FirstName, bulkField(i, "lastName"), row.LastName); err != nil {
		return directory.PersonToAdd{}, err
	}
	if strings.TrimSpace(row.Email+string(row.Contact)+string(row.Username)) == "" {
		return directory.PersonToAdd{}, iam.Invalid(bulkField(i, "email"), "%s, contact or username is required", bulkField(i, "email"))
	}
	p, err := personToAdd(realm, orgPerson{
		EmailID: row.Email, Contact: string(row.Contact), FirstName: row.FirstName, LastName: row.LastName, Invite: invite,
	}, []iam.OrgRole{{App: strings.TrimSpace(row.AppName), Role: strings.TrimSpace(row.RoleGroup)}})
	if err != nil {
		return p, renameFields(err, "emailId", bulkField(i, "email"), "contact", bulkField(i, "contact"),
			"firstName", bulkField(i, "firstName"), "lastName", bulkField(i, "lastName"),
			"appName", bulkField(i, "appName"), "roleGroup", bulkField(i, "roleGroup"))
	}
	if err := textField(bulkField(i, "username"), string(row.Username), 320); err != nil {
		return p, err
	}
	p.Login = strings.TrimSpace(string(row.Username))
	return p, nil
}

// rowDto echoes a row that did not go through.
func rowDto(row InviteBulkUserRequest) IAMUserDto {
	return IAMUserDto{
		AppName: row.AppName, RoleGroup: row.RoleGroup, Email: row.Email, Contact: string(row.Contact),
		FirstName: row.FirstName, LastName: row.LastName, Username: string(row.Username),
		FullName: strings.TrimSpace(row.FirstName + " " + row.LastName),
	}
}

// iamUserDto is a row that went through.
func iamUserDto(p *directory.AddedPerson) IAMUserDto {
	u := p.User
	d := IAMUserDto{
		ID: u.Num, Username: u.Username, Email: u.Email, Contact: u.Phone, FirstName: u.FirstName, LastName: u.LastName,
		FullName: strings.TrimSpace(u.FirstName + " " + u.LastName), TenantID: p.Organization.Num,
	}
	if role := firstRole(p.Membership); role != nil {
		d.AppName, d.RoleGroup = role.App, role.Role
	}
	if p.Invitation != nil {
		d.Message = "Invite code has been sent."
	}
	return d
}

// rowMessage says why a row failed; a server-side failure shows no
// internals.
func rowMessage(err error) string {
	if httpapi.Status(err) >= 500 {
		return "internal error; try the row again"
	}
	return iam.ErrorMessage(err)
}
