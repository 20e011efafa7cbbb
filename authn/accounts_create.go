package authn

import (
	"context"
	"strings"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// NewAccount is a user created by someone already signed in (document
// 000's POST users): an organization's administrator, who creates people
// for their organization, or a realm administrator.
type NewAccount struct {
	User  directory.NewUser
	Actor directory.Actor
	// JoinOrg, when set, is an organization (UUID or numeric id) the user
	// joins with Roles; the actor must administer it unless a realm
	// administrator.
	JoinOrg string
	Roles   []iam.OrgRole
	// Organization, when set, names a new organization the user
	// administers with OrgRoles, as at SignUp.
	Organization string
	OrgRoles     []iam.OrgRole
	// VerifyLink is as SignUp's; nothing is sent for an address a realm
	// administrator marked verified.
	VerifyLink string
}

// CreatedAccount is the result of CreateAccount; the organization fields
// are nil when not asked for.
type CreatedAccount struct {
	User         *iam.User
	Joined       *iam.Organization
	Membership   *iam.Membership
	Organization *iam.Organization
	Verification *IssuedCode
}

// CreateAccount creates the user, its membership of JoinOrg, the new
// Organization and the verification message in one transaction.
//
// Only a realm administrator may create a user outside an organization or
// vouch for its addresses (EmailVerified, PhoneVerified) or give it realm
// roles; for anyone else those flags are cleared and the realm roles
// dropped, and JoinOrg is required: an organization's administrator
// cannot create people they could not manage afterwards.
//
// Errors: CodeForbidden when the actor may not create users there;
// CodeInvalid naming the bad field (as SignUp; "roles" for a role of an
// unknown app); CodeConflict when the username, e-mail or phone is taken;
// CodeNotFound for an unknown JoinOrg of a realm administrator.
func (s *Service) CreateAccount(ctx context.Context, realm *iam.Realm, in NewAccount) (*CreatedAccount, error) {
	if !in.Actor.RealmAdmin {
		if in.JoinOrg == "" {
			return nil, iam.Errorf(iam.CodeForbidden, "an organization's administrator creates users in the organization")
		}
		in.User.EmailVerified, in.User.PhoneVerified, in.User.RealmRoles = false, false, nil
	}
	pu, err := s.Directory.PrepareUser(ctx, realm, in.User)
	if err != nil {
		return nil, err
	}
	link := in.VerifyLink
	if pu.User.EmailVerified || pu.User.Email == "" {
		link = ""
	}
	orgName := ""
	if strings.TrimSpace(in.Organization) != "" {
		if orgName, err = s.Directory.FreeOrganizationName(ctx, realm, in.Organization); err != nil {
			return nil, err
		}
	}
	out := &CreatedAccount{User: pu.User}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		if in.JoinOrg != "" && !in.Actor.RealmAdmin {
			if _, err := s.Directory.RequireOrgAdmin(ctx, tx, realm, in.JoinOrg, in.Actor.UserID); err != nil {
				return err
			}
		}
		if err := s.Directory.InsertUser(ctx, tx, realm, pu, in.Actor.UserID); err != nil {
			return err
		}
		var err error
		if in.JoinOrg != "" {
			if out.Joined, out.Membership, err = s.Directory.InsertMember(ctx, tx, realm, in.JoinOrg, pu.User.ID, in.Roles, in.Actor.UserID); err != nil {
				return err
			}
		}
		if orgName != "" {
			if out.Organization, err = s.Directory.InsertOrganization(ctx, tx, realm, directory.NewOrganization{
				Name: orgName, DisplayName: in.Organization, CreatorID: pu.User.ID, CreatorRoles: in.OrgRoles,
			}, in.Actor.UserID); err != nil {
				return err
			}
		}
		if link != "" {
			out.Verification, err = s.issueEmailLink(ctx, tx, realm, pu.User, link)
		}
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return out, nil
}
