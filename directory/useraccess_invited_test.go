package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// An invitation gives no rights over a person who already had an account;
// an account an organization made is that organization's to act on until
// the person takes it over, and an active membership always is.
func TestAccessUserThroughInvitation(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		x := newAccessFixture(t, f)
		ann, cid := directory.Actor{UserID: x.ann.ID}, directory.Actor{UserID: x.cid.ID}
		roles := []iam.OrgRole{{App: "erp", Role: "user"}}
		name := "Pwned"

		// ann invites eve, who had an account: the membership waits, and
		// ann can neither see nor change eve.
		inv, err := f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: x.a.ID, Actor: ann, Email: x.eve.Email, Roles: roles, Invite: true})
		if err != nil || !inv.Withheld || inv.Membership.Active() {
			t.Fatalf("invite eve: %+v %v", inv, err)
		}
		_, err = f.s.ViewUser(f.ctx, f.realm, ann, x.eve.Num)
		wantCode(t, err, iam.CodeForbidden, "an invited, pre-existing account: view")
		_, err = f.s.UpdateInvitedUser(f.ctx, f.realm, ann, x.eve.Num, directory.ProfileUpdate{FirstName: &name})
		wantCode(t, err, iam.CodeForbidden, "an invited, pre-existing account: update")
		if u, _ := f.s.GetUser(f.ctx, f.realm, x.eve.ID); u.FirstName == name {
			t.Fatal("a refused update changed eve")
		}

		// Once eve accepts, A's administrator acts on her.
		if _, err := f.s.AcceptInvitation(f.ctx, f.realm, inv.Invitation.Token, x.eve.ID); err != nil {
			t.Fatal(err)
		}
		if _, acc, err := f.s.AccessUser(f.ctx, f.realm, ann, x.eve.Num); err != nil || len(acc.AdminOf) != 1 || acc.AdminOf[0] != x.a.ID {
			t.Fatalf("an accepted invitation: %+v %v", acc, err)
		}

		// An account A made for a newcomer, still waiting: A's
		// administrator completes its details (users/invite/{id}); B's,
		// who invites the same account, gets nothing.
		made, err := f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: x.a.ID, Actor: ann, Email: "new@example.com", Roles: roles, Invite: true})
		if err != nil || !made.UserCreated || made.Withheld || made.Membership.Active() {
			t.Fatalf("a new account: %+v %v", made, err)
		}
		if _, err := f.s.UpdateInvitedUser(f.ctx, f.realm, ann, made.User.Num, directory.ProfileUpdate{FirstName: &name}); err != nil {
			t.Fatalf("A's administrator completes the account A made: %v", err)
		}
		if res, err := f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: x.b.ID, Actor: cid, Email: "new@example.com", Roles: roles}); err != nil || !res.Withheld {
			t.Fatalf("B invites the account A made: %+v %v", res, err)
		}
		_, _, err = f.s.AccessUser(f.ctx, f.realm, cid, made.User.Num)
		wantCode(t, err, iam.CodeForbidden, "another organization's invitation of an account A made")
		if _, acc, err := f.s.AccessUser(f.ctx, f.realm, ann, made.User.Num); err != nil || len(acc.AdminOf) != 1 || acc.AdminOf[0] != x.a.ID {
			t.Fatalf("A acts on its own creation: %+v %v", acc, err)
		}

		// The person takes the account over (userNotUpdated no longer
		// "true"): a waiting membership gives A nothing any more.
		if _, err := f.s.UpdateUser(f.ctx, f.realm, made.User.ID, directory.UserUpdate{Attributes: map[string][]string{
			directory.NotUpdatedAttribute: {"false"}, directory.CreatedForAttribute: {x.a.ID},
		}}, ""); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.AccessUser(f.ctx, f.realm, ann, made.User.Num)
		wantCode(t, err, iam.CodeForbidden, "an account taken over, membership still waiting")

		// The marker names one organization: another's name in it is no right.
		if _, err := f.s.UpdateUser(f.ctx, f.realm, made.User.ID, directory.UserUpdate{Attributes: map[string][]string{
			directory.NotUpdatedAttribute: {"true"}, directory.CreatedForAttribute: {x.b.ID},
		}}, ""); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.AccessUser(f.ctx, f.realm, ann, made.User.Num)
		wantCode(t, err, iam.CodeForbidden, "A's waiting membership of an account marked for B")
	})
}
