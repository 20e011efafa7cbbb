package authn_test

import (
	"context"
	"testing"

	"iamd/authn"
	"iamd/directory"
	"iamd/iam"
)

// inviteOrg is an organization administered by a new user (the actor).
func (f *fixture) inviteOrg(name string) (*iam.Organization, directory.Actor) {
	f.t.Helper()
	admin := f.user(name+"-admin", "Correct-Horse-9")
	o, err := f.dir.CreateOrganization(context.Background(), f.realm, directory.NewOrganization{
		Name: name, CreatorID: admin.ID, CreatorRoles: []iam.OrgRole{{App: "iam-web", Role: iam.OrgAdmin}},
	}, admin.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return o, directory.Actor{UserID: admin.ID}
}

func (f *fixture) invite(o *iam.Organization, email, phone string) *directory.IssuedInvitation {
	f.t.Helper()
	iss, err := f.dir.Invite(context.Background(), f.realm, directory.NewInvitation{OrgRef: o.ID, Email: email, Phone: phone})
	if err != nil {
		f.t.Fatal(err)
	}
	return iss
}

func TestSignUpWithInvitation(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	if _, _, err := f.dir.CreateApp(ctx, f.realm, directory.NewApp{ClientID: "iam-web", Public: true}, ""); err != nil {
		t.Fatal(err)
	}
	o, _ := f.inviteOrg("Deskera")
	iss := f.invite(o, "new@example.com", "+6591234567")

	_, err := f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token})
	wantCode(t, err, iam.CodeInvalid)
	_, err = f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: "nope", Password: "Correct-Horse-9"})
	wantCode(t, err, iam.CodeNotFound)
	// A taken address: nothing is created and the invitation stays usable.
	f.user("bob", "Correct-Horse-9")
	_, err = f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token, Email: "bob@example.com", Password: "Correct-Horse-9"})
	wantCode(t, err, iam.CodeConflict)

	res, err := f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token, FirstName: "Nu", Password: "Correct-Horse-9"})
	if err != nil || !res.Created || res.User.Email != "new@example.com" || res.User.Phone != "+6591234567" || !res.User.EmailVerified ||
		res.User.PhoneVerified || res.User.FirstName != "Nu" || res.Membership.OrgID != o.ID || !res.Membership.Active() {
		t.Fatalf("sign-up with invitation: %+v %v", res, err)
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "new@example.com", "Correct-Horse-9", ""); err != nil {
		t.Fatalf("the new account signs in: %v", err)
	}
	// The code works once: a second sign-up leaves no account behind.
	_, err = f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token, Email: "second@example.com", Password: "Correct-Horse-9"})
	wantCode(t, err, iam.CodePrecondition)
	if u, _, _ := f.dir.UsersByContact(ctx, f.realm, "second@example.com", ""); u != nil {
		t.Fatal("a refused sign-up created an account")
	}

	late := f.invite(o, "late@example.com", "")
	f.advance(directory.DefaultInvitationTTL)
	_, err = f.auth.SignUpWithInvitation(ctx, f.realm, authn.InvitedSignUp{Code: late.Token, Password: "Correct-Horse-9"})
	wantCode(t, err, iam.CodeExpired)
	if u, _, _ := f.dir.UsersByContact(ctx, f.realm, "late@example.com", ""); u != nil {
		t.Fatal("an expired invitation created an account")
	}
}

func TestClaimInvitation(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	if _, _, err := f.dir.CreateApp(ctx, f.realm, directory.NewApp{ClientID: "iam-web", Public: true}, ""); err != nil {
		t.Fatal(err)
	}
	o, admin := f.inviteOrg("Deskera")
	roles := []iam.OrgRole{{App: "iam-web", Role: "user"}}

	// An account an administrator made: the claim sets its password.
	added, err := f.dir.AddPerson(ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "emp@example.com", Roles: roles, Invite: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: added.Invitation.Token, Password: "short"})
	wantCode(t, err, iam.CodeInvalid)
	res, err := f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: added.Invitation.Token, Password: "Correct-Horse-9", LastName: "Ng"})
	if err != nil || res.Created || res.User.ID != added.User.ID || !res.Membership.Active() || !res.User.EmailVerified || res.User.LastName != "Ng" {
		t.Fatalf("claim: %+v %v", res, err)
	}
	if added.User.Attributes[directory.CreatedForAttribute][0] != o.ID {
		t.Fatalf("the made account names its organization: %v", added.User.Attributes)
	}
	for _, attr := range []string{directory.NotUpdatedAttribute, directory.CreatedForAttribute} {
		if _, ok := res.User.Attributes[attr]; ok {
			t.Fatalf("a claimed account is no longer marked %s", attr)
		}
	}
	if _, err := f.auth.PasswordSignIn(ctx, f.realm, "emp@example.com", "Correct-Horse-9", ""); err != nil {
		t.Fatalf("the claimed account signs in: %v", err)
	}
	_, err = f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: added.Invitation.Token, Password: "Correct-Horse-9"})
	wantCode(t, err, iam.CodePrecondition)

	// An account with a password proves it; a wrong one changes nothing.
	bob := f.user("bob", "Correct-Horse-bob")
	iss := f.invite(o, "bob@example.com", "")
	_, err = f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token, Password: "Wrong-Horse-bob"})
	wantCode(t, err, iam.CodeUnauthorized)
	if st, _ := f.dir.InvitationStatus(ctx, f.realm, iss.Token); st != iam.InvitePending {
		t.Fatalf("a refused claim must leave the invitation pending: %q", st)
	}
	if res, err := f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: iss.Token, Password: "Correct-Horse-bob"}); err != nil || res.User.ID != bob.ID || res.Created {
		t.Fatalf("claim with the account's password: %+v %v", res, err)
	}

	// No account yet: the claim is a sign-up.
	fresh := f.invite(o, "", "+6598765432")
	res, err = f.auth.ClaimInvitation(ctx, f.realm, authn.InvitedSignUp{Code: fresh.Token, Password: "Correct-Horse-9"})
	if err != nil || !res.Created || res.User.Username != "+6598765432" || !res.User.PhoneVerified {
		t.Fatalf("claim without an account: %+v %v", res, err)
	}
}
