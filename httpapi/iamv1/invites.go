package iamv1

import (
	"context"
	"net/http"
	"strings"

	"iamd/authn"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
)

// Messages of the invitation operations, verbatim.
const (
	msgInviteSent          = "Invite code has been sent."
	msgInviteFailed        = "Failed to initiate invite."
	msgVerifyInviteFailed  = "Failed to Verify invite code."
	msgInvitedUpdateFailed = "Failed to Update invited user"
	msgInvitedUserNotFound = "Failed to Update invited user."
	msgInviteNotFound      = "Not Found"
)

// inviteUser serves #12: an administrator of the caller's current
// organization invites email (else phone, by SMS) to it with the default
// role; the code (the invitation's token) goes out through the outbox.
// 200 with the message, the session verify-invite wants and the code's
// lifetime.
func (a *API) inviteUser(w http.ResponseWriter, r *http.Request) error {
	var in InviteRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	email, err := emailField("email", in.Email)
	if err != nil {
		return err
	}
	phone, err := phoneField("phone", string(in.Phone), realm)
	if err != nil {
		return err
	}
	if email == "" && phone == "" {
		return iam.Invalid("email", "email or phone is required")
	}
	org := currentOrg(c, realm)
	if org == "" {
		return fail(http.StatusNotFound, msgInviteFailed, iam.NotFound("organization: the token names none"))
	}
	iss, err := a.Directory.InviteToOrganization(ctx, realm, directory.InviteByAdmin{
		OrgRef: org, Actor: actor, Email: email, Phone: phone,
		Roles: []iam.OrgRole{{App: a.clientID(), Role: directory.DefaultOrgRole}},
	})
	if err != nil {
		return tenantFailure(err, msgInviteFailed, msgInviteFailed)
	}
	inv := iss.Invitation
	httpapi.WriteJSON(w, http.StatusOK, InviteResponse{Message: msgInviteSent, Session: inv.ID, ExpiresIn: int(inv.ExpiresAt.Sub(inv.CreatedAt).Seconds())})
	return nil
}

// verifyInvite serves #13 (no token needed: the invited person may have
// no account): the code, the session from #12 and the invited e-mail or
// phone. 200 with the UserDto of the invited person in the organization:
// their account when they have one, else only the invited address (id 0,
// status "invited"). The invitation stays usable.
func (a *API) verifyInvite(w http.ResponseWriter, r *http.Request) error {
	var in InviteVerificationRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("session", in.Session, "verificationCode", string(in.VerificationCode)); err != nil {
		return err
	}
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	if _, err := emailField("email", in.Email); err != nil {
		return err
	}
	if _, err := phoneField("phone", string(in.Phone), realm); err != nil {
		return err
	}
	if strings.TrimSpace(in.Email) == "" && strings.TrimSpace(string(in.Phone)) == "" {
		return iam.Invalid("email", "email or phone is required")
	}
	chk, err := a.Directory.CheckInvitation(ctx, realm, strings.TrimSpace(string(in.VerificationCode)), in.Session, in.Email, string(in.Phone))
	if err != nil {
		return opFailure(err, msgVerifyInviteFailed)
	}
	inv := chk.Invitation
	var role *iam.OrgRole
	if len(inv.Roles) > 0 {
		role = &inv.Roles[0]
	}
	d := UserDto{Email: inv.Email, Contact: inv.Phone, UserName: orDefault(inv.Email, inv.Phone), TenantID: chk.Organization.Num, Status: "invited"}
	if role != nil {
		d.AppName, d.RoleGroup = role.App, role.Role
	}
	if chk.User != nil {
		d = userDto(chk.User, chk.Organization, role)
	}
	httpapi.WriteJSON(w, http.StatusOK, d)
	return nil
}

// inviteStatus serves #2 (no token needed): the state of the invitation
// whose code is code: PENDING, ACCEPTED, REVOKED or EXPIRED.
func (a *API) inviteStatus(w http.ResponseWriter, r *http.Request) error {
	code := strings.TrimSpace(r.URL.Query().Get("code"))
	if err := required("code", code); err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	st, err := a.Directory.InvitationStatus(r.Context(), realm, code)
	if iam.IsCode(err, iam.CodeNotFound) {
		return fail(http.StatusNotFound, msgInviteNotFound, err)
	}
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, InviteStatusResponse{AppInviteStatus: strings.ToUpper(st), InviteCode: code})
	return nil
}

// signUpWithInvite serves #7: a new account (email, else contact, else
// the invited address) accepts the invitation and is signed in to its
// organization. 201 with the tokens.
func (a *API) signUpWithInvite(w http.ResponseWriter, r *http.Request) error {
	return a.invitedSignIn(w, r, a.Authn.SignUpWithInvitation)
}

// claimInvite serves #8: the invited person's account (one an
// administrator made sets its password now; one with a password must give
// it) accepts the invitation and is signed in to its organization; with
// no account it is #7. 200 with the tokens, 201 when the account was
// created.
func (a *API) claimInvite(w http.ResponseWriter, r *http.Request) error {
	return a.invitedSignIn(w, r, a.Authn.ClaimInvitation)
}

// invitedSignIn checks the body of #7 and #8, runs join and signs the
// account in to the invitation's organization.
func (a *API) invitedSignIn(w http.ResponseWriter, r *http.Request,
	join func(context.Context, *iam.Realm, authn.InvitedSignUp) (*authn.JoinedByInvitation, error)) error {
	var in SignUpWithInviteRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("inviteCode", in.InviteCode, "password", in.Password); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	su := authn.InvitedSignUp{Code: strings.TrimSpace(in.InviteCode), Password: in.Password, Source: "WEB", IP: httpapi.ClientIP(r)}
	if su.Email, err = emailField("email", in.Email); err != nil {
		return err
	}
	if su.Phone, err = phoneField("contact", string(in.Contact), realm); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"firstName", in.FirstName}, {"lastName", in.LastName}} {
		if err := textField(f.name, f.v, 255); err != nil {
			return err
		}
	}
	if len(in.Password) > 1024 {
		return iam.Invalid("password", "password is longer than 1024 characters")
	}
	su.FirstName, su.LastName = in.FirstName, in.LastName
	res, err := join(ctx, realm, su)
	if err != nil {
		return inviteSignUpFailure(renameFields(err, "phone", "contact", "username", "email"))
	}
	ts, err := a.OIDC.SignIn(ctx, oidc.SignIn{
		Realm: realm, App: app, User: res.User, AMR: []string{amrPassword}, OrgID: res.Membership.OrgID,
		IP: httpapi.ClientIP(r), UserAgent: r.UserAgent(),
	})
	if err != nil {
		return err
	}
	out, err := a.userResult(ctx, realm, ts, res.User)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, out)
	return nil
}

// inviteSignUpFailure answers the errors of #7 and #8: a code that is
// unknown, used, revoked or expired is 404 (errorCode tells which), a
// taken e-mail or phone 400 with sign-up's message, a wrong password or a
// locked account 401, a disabled one 403.
func inviteSignUpFailure(err error) error {
	switch iam.ErrorCode(err) {
	case iam.CodeNotFound, iam.CodeExpired, iam.CodePrecondition:
		return fail(http.StatusNotFound, msgInviteNotFound, err)
	case iam.CodeConflict:
		return fail(http.StatusBadRequest, msgUserExists, err)
	case iam.CodeUnauthorized, iam.CodeLocked:
		return fail(http.StatusUnauthorized, "Unauthorized", err)
	case iam.CodeForbidden:
		return fail(http.StatusForbidden, "Forbidden", err)
	}
	return err
}

// updateInvitedUser serves #52: {id} is the invited user's numeric id.
// The user themself, an administrator of an organization they are an
// active member of (or of the one that made the account, still waiting:
// directory.AccessUser) or a realm administrator changes the
// names, title and company details; e-mail and phone (contact or phone)
// change only for the user and realm administrators, and the password
// only for realm administrators (as PUT users/{id}). 200 with the stored
// values in the request's shape, never the password.
func (a *API) updateInvitedUser(w http.ResponseWriter, r *http.Request) error {
	num, err := pathUserNum(r)
	if err != nil {
		return err
	}
	var in InviteUserUpdateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	_, actor, err := a.actor(r, realm)
	if err != nil {
		return err
	}
	up, err := invitedUpdate(realm, &in)
	if err != nil {
		return err
	}
	v, err := a.Directory.UpdateInvitedUser(ctx, realm, actor, num, up)
	if err != nil {
		return tenantFailure(renameFields(err, "phone", "contact", "designation", "title"), msgInvitedUserNotFound, msgInvitedUpdateFailed)
	}
	httpapi.WriteJSON(w, http.StatusOK, invitedUserOf(v.User))
	return nil
}

// companyAttributes are the user attributes that keep the company
// details of InviteUserUpdateRequest.
var companyAttributes = []struct{ field, attr string }{
	{"name", "company.name"}, {"industry", "company.industry"}, {"noOfEmployees", "company.noOfEmployees"},
	{"currency", "company.currency"}, {"countryCode", "company.countryCode"},
}

// invitedUpdate checks in's shape and makes it the use case's change.
func invitedUpdate(realm *iam.Realm, in *InviteUserUpdateRequest) (directory.ProfileUpdate, error) {
	up := directory.ProfileUpdate{FirstName: in.FirstName, LastName: in.LastName, Designation: in.Title, Password: in.Password}
	for _, f := range []struct {
		name string
		v    *string
	}{{"firstName", in.FirstName}, {"lastName", in.LastName}, {"title", in.Title}} {
		if f.v != nil {
			if err := textField(f.name, *f.v, 255); err != nil {
				return up, err
			}
		}
	}
	if in.Email != nil {
		e, err := emailField("email", *in.Email)
		if err != nil {
			return up, err
		}
		up.Email = &e
	}
	contact, phone := "", ""
	var err error
	if in.Contact != nil {
		if contact, err = phoneField("contact", string(*in.Contact), realm); err != nil {
			return up, err
		}
	}
	if in.Phone != nil {
		if phone, err = phoneField("phone", string(*in.Phone), realm); err != nil {
			return up, err
		}
	}
	if contact != "" && phone != "" && contact != phone {
		return up, iam.Invalid("phone", "contact and phone name different numbers")
	}
	if p := orDefault(contact, phone); p != "" {
		up.Phone = &p
	}
	vals := map[string]*string{"name": in.Name, "industry": in.Industry, "currency": in.Currency, "countryCode": in.CountryCode}
	if in.NoOfEmployees != nil {
		n := string(*in.NoOfEmployees)
		vals["noOfEmployees"] = &n
	}
	for _, c := range companyAttributes {
		if v := vals[c.field]; v != nil {
			if err := textField(c.field, *v, 255); err != nil {
				return up, err
			}
			if up.Attributes == nil {
				up.Attributes = map[string]string{}
			}
			up.Attributes[c.attr] = strings.TrimSpace(*v)
		}
	}
	return up, nil
}

// invitedUserOf is u in InviteUserUpdateRequest's shape.
func invitedUserOf(u *iam.User) InviteUserUpdateRequest {
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	out := InviteUserUpdateRequest{Email: str(u.Email), FirstName: str(u.FirstName), LastName: str(u.LastName), Title: str(u.Profile.Designation)}
	if u.Phone != "" {
		p := FlexString(u.Phone)
		out.Contact, out.Phone = &p, &p
	}
	attr := func(name string) string {
		if vs := u.Attributes[name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	out.Name, out.Industry, out.Currency, out.CountryCode = str(attr("company.name")), str(attr("company.industry")), str(attr("company.currency")), str(attr("company.countryCode"))
	if n := attr("company.noOfEmployees"); n != "" {
		f := FlexString(n)
		out.NoOfEmployees = &f
	}
	return out
}
