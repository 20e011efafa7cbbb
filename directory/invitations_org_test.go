package directory_test

import (
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

func TestInviteToOrganizationCheckAndStatus(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		now := time.Now().UTC().Truncate(time.Microsecond)
		f.s.Now = func() time.Time { return now }
		f.app(t, f.realm, "erp", "ERP")
		o, admin := peopleOrg(t, f, "Deskera")
		in := directory.InviteByAdmin{OrgRef: o.ID, Actor: admin, Email: "ann@example.com", Phone: "+6591234567", Roles: erpUser}
		iss, err := f.s.InviteToOrganization(f.ctx, f.realm, in)
		if err != nil || iss.Message.To != "ann@example.com" || iss.Message.Code != iss.Token || iss.Invitation.InvitedBy != admin.UserID {
			t.Fatalf("invite: %+v %v", iss, err)
		}
		_, err = f.s.InviteToOrganization(f.ctx, f.realm, directory.InviteByAdmin{OrgRef: o.ID, Actor: directory.Actor{UserID: iam.NewID()}, Email: "x@example.com", Roles: erpUser})
		wantCode(t, err, iam.CodeForbidden, "a stranger")
		adminUser, _ := f.s.GetUser(f.ctx, f.realm, admin.UserID)
		_, err = f.s.InviteToOrganization(f.ctx, f.realm, directory.InviteByAdmin{OrgRef: o.ID, Actor: admin, Email: adminUser.Email, Roles: erpUser})
		wantCode(t, err, iam.CodeConflict, "an active member")

		id := iss.Invitation.ID
		chk, err := f.s.CheckInvitation(f.ctx, f.realm, iss.Token, id, "ANN@example.com", "")
		if err != nil || chk.User != nil || chk.Organization.ID != o.ID {
			t.Fatalf("check: %+v %v", chk, err)
		}
		for _, c := range []struct{ token, id, email, phone string }{
			{iss.Token + "x", id, "ann@example.com", ""},
			{iss.Token, iam.NewID(), "ann@example.com", ""},
			{iss.Token, id, "bob@example.com", ""},
			{iss.Token, id, "ann@example.com", "+6500000000"},
			{iss.Token, id, "", ""},
		} {
			_, err := f.s.CheckInvitation(f.ctx, f.realm, c.token, c.id, c.email, c.phone)
			wantCode(t, err, iam.CodeNotFound, "check "+c.email+c.phone)
		}
		if st, err := f.s.InvitationStatus(f.ctx, f.realm, iss.Token); err != nil || st != iam.InvitePending {
			t.Fatalf("status: %q %v", st, err)
		}
		// Once ann has an account the check names it; acceptance is once.
		ann := f.user(t, f.realm, "ann")
		if chk, err := f.s.CheckInvitation(f.ctx, f.realm, iss.Token, id, "", "+65 9123 4567"); err != nil || chk.User == nil || chk.User.ID != ann.ID {
			t.Fatalf("check with an account: %+v %v", chk, err)
		}
		if _, err := f.s.AcceptInvitation(f.ctx, f.realm, iss.Token, ann.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.s.InvitationStatus(f.ctx, f.realm, iss.Token); st != iam.InviteAccepted {
			t.Fatalf("status after accept: %q", st)
		}
		_, err = f.s.CheckInvitation(f.ctx, f.realm, iss.Token, id, "ann@example.com", "")
		wantCode(t, err, iam.CodePrecondition, "check an accepted invitation")
		_, err = f.s.UsableInvitation(f.ctx, f.realm, iss.Token)
		wantCode(t, err, iam.CodePrecondition, "an accepted invitation is not usable")

		late, err := f.s.InviteToOrganization(f.ctx, f.realm, directory.InviteByAdmin{OrgRef: o.ID, Actor: admin, Phone: "+6590000000", Roles: erpUser})
		if err != nil || late.Message.Channel != iam.ChannelSMS {
			t.Fatalf("invite by phone: %+v %v", late, err)
		}
		if inv, err := f.s.UsableInvitation(f.ctx, f.realm, late.Token); err != nil || inv.ID != late.Invitation.ID {
			t.Fatalf("usable: %+v %v", inv, err)
		}
		now = now.Add(directory.DefaultInvitationTTL)
		if st, _ := f.s.InvitationStatus(f.ctx, f.realm, late.Token); st != directory.InviteExpired {
			t.Fatalf("status after the expiry: %q", st)
		}
		_, err = f.s.CheckInvitation(f.ctx, f.realm, late.Token, late.Invitation.ID, "", "+6590000000")
		wantCode(t, err, iam.CodeExpired, "check an expired invitation")
		_, err = f.s.UsableInvitation(f.ctx, f.realm, late.Token)
		wantCode(t, err, iam.CodeExpired, "an expired invitation is not usable")
		_, err = f.s.InvitationStatus(f.ctx, f.other, late.Token)
		wantCode(t, err, iam.CodeNotFound, "status through another realm")
	})
}

func TestUpdateInvitedUserKeepsIdentifiersToTheUser(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		o, admin := peopleOrg(t, f, "Deskera")
		res, err := f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "emp@example.com", Roles: erpUser, Invite: true})
		if err != nil {
			t.Fatal(err)
		}
		num := res.User.Num
		v, err := f.s.UpdateInvitedUser(f.ctx, f.realm, admin, num, directory.ProfileUpdate{
			FirstName: ptr("Emma"), Email: ptr("EMP@example.com"), Designation: ptr("Clerk"), Attributes: map[string]string{"company.name": "Emma Ltd"},
		})
		if err != nil || v.User.FirstName != "Emma" || v.User.Profile.Designation != "Clerk" || v.User.Attributes["company.name"][0] != "Emma Ltd" {
			t.Fatalf("the administrator completes the invited user's details: %+v %v", v, err)
		}
		_, err = f.s.UpdateInvitedUser(f.ctx, f.realm, admin, num, directory.ProfileUpdate{Email: ptr("other@example.com")})
		wantCode(t, err, iam.CodeForbidden, "an administrator changing the e-mail")
		if v, err := f.s.UpdateInvitedUser(f.ctx, f.realm, directory.Actor{UserID: res.User.ID}, num, directory.ProfileUpdate{Email: ptr("other@example.com")}); err != nil || v.User.Email != "other@example.com" {
			t.Fatalf("the user changes their own e-mail: %+v %v", v, err)
		}
		_, err = f.s.UpdateInvitedUser(f.ctx, f.realm, directory.Actor{UserID: iam.NewID()}, num, directory.ProfileUpdate{FirstName: ptr("X")})
		wantCode(t, err, iam.CodeForbidden, "a stranger")
		_, err = f.s.UpdateInvitedUser(f.ctx, f.realm, admin, 999999, directory.ProfileUpdate{FirstName: ptr("X")})
		wantCode(t, err, iam.CodeNotFound, "an unknown user")
	})
}
