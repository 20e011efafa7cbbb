package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// peopleOrg is an organization with app ERP, administered by a user who
// is returned as the actor.
func peopleOrg(t *testing.T, f *fixture, name string) (*iam.Organization, directory.Actor) {
	t.Helper()
	admin := f.user(t, f.realm, name+"-admin")
	o, err := f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{
		Name: name, CreatorID: admin.ID, CreatorRoles: []iam.OrgRole{{App: "erp", Role: iam.OrgAdmin}},
	}, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o, directory.Actor{UserID: admin.ID}
}

func pending(t *testing.T, f *fixture) int {
	t.Helper()
	n, err := f.s.Store.Outbox().Pending(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var erpUser = []iam.OrgRole{{App: "ERP", Role: "user"}}

func TestAddPersonAddsOrInvitesOnce(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		o, admin := peopleOrg(t, f, "Deskera")
		bob := f.user(t, f.realm, "bob")

		// An organization administrator only invites an existing user:
		// the membership waits for bob's yes, and the result withholds
		// bob's account (the administrator has no rights over it).
		add := directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "BOB@example.com", Roles: erpUser}
		res, err := f.s.AddPerson(f.ctx, f.realm, add)
		if err != nil || res.User.ID != bob.ID || res.Existed || res.UserCreated || res.Invitation == nil || !res.Withheld ||
			res.Membership.Active() || res.Membership.Roles[0] != (iam.OrgRole{App: "erp", Role: "user"}) ||
			res.Invitation.Message.To != "bob@example.com" {
			t.Fatalf("add bob: %+v %v", res, err)
		}
		if _, err := f.s.ViewUser(f.ctx, f.realm, admin, bob.Num); !iam.IsCode(err, iam.CodeForbidden) {
			t.Fatalf("a waiting invitation must give the administrator no rights over bob: %v", err)
		}
		again, err := f.s.AddPerson(f.ctx, f.realm, add)
		if err != nil || again.Existed || again.Invitation == nil || again.Invitation.Token == res.Invitation.Token || !again.Withheld {
			t.Fatalf("adding a waiting member again sends a new code: %+v %v", again, err)
		}
		if m, err := f.s.AcceptInvitation(f.ctx, f.realm, again.Invitation.Token, bob.ID); err != nil || !m.Active() {
			t.Fatalf("bob accepts: %+v %v", m, err)
		}
		add.Roles = []iam.OrgRole{{App: "erp", Role: iam.OrgAdmin}}
		again, err = f.s.AddPerson(f.ctx, f.realm, add)
		if err != nil || !again.Existed || again.Withheld || again.Invitation != nil || again.Membership.Roles[0].Role != "user" {
			t.Fatalf("an active member: the existing membership, unchanged: %+v %v", again, err)
		}
		if _, err := f.s.ViewUser(f.ctx, f.realm, admin, bob.Num); err != nil {
			t.Fatalf("an active member is the administrator's to act on: %v", err)
		}

		// A realm administrator adds an existing user at once.
		dave := f.user(t, f.realm, "dave")
		byRealm := directory.PersonToAdd{OrgRef: o.ID, Actor: directory.Actor{RealmAdmin: true}, UserNum: dave.Num, Roles: erpUser}
		res, err = f.s.AddPerson(f.ctx, f.realm, byRealm)
		if err != nil || res.User.ID != dave.ID || res.Existed || res.Invitation != nil || res.Withheld || !res.Membership.Active() {
			t.Fatalf("a realm administrator adds dave: %+v %v", res, err)
		}
		if again, err := f.s.AddPerson(f.ctx, f.realm, byRealm); err != nil || !again.Existed {
			t.Fatalf("second add must report the existing membership: %+v %v", again, err)
		}

		// Someone without an account: the account is made, the membership
		// is active, and an invitation code lets them in.
		before := pending(t, f)
		res, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "new@example.com", FirstName: "Nu", Roles: erpUser})
		if err != nil || !res.UserCreated || res.Invitation == nil || !res.Membership.Active() || res.Invitation.Message.To != "new@example.com" ||
			res.User.Attributes[directory.NotUpdatedAttribute][0] != "true" || res.User.Attributes[directory.CreatedForAttribute][0] != o.ID ||
			res.Withheld || pending(t, f) != before+1 {
			t.Fatalf("add a new person: %+v %v", res, err)
		}
		// With a password the account is usable at once: nothing is sent.
		res, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Phone: "+6591234567", Password: "Correct-Horse-9", Roles: erpUser})
		if err != nil || !res.UserCreated || res.Invitation != nil || res.User.Username != "+6591234567" || pending(t, f) != before+1 {
			t.Fatalf("add with a password: %+v %v", res, err)
		}

		// Invite: the membership waits for the invitation.
		carl := f.user(t, f.realm, "carl")
		inv := directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: carl.Email, Roles: erpUser, Invite: true}
		res, err = f.s.AddPerson(f.ctx, f.realm, inv)
		if err != nil || res.Existed || res.Membership.Active() || res.Invitation == nil {
			t.Fatalf("invite carl: %+v %v", res, err)
		}
		resent, err := f.s.AddPerson(f.ctx, f.realm, inv)
		if err != nil || resent.Existed || resent.Invitation == nil || resent.Invitation.Token == res.Invitation.Token {
			t.Fatalf("inviting a waiting member again sends a new code: %+v %v", resent, err)
		}
		if m, err := f.s.AcceptInvitation(f.ctx, f.realm, resent.Invitation.Token, carl.ID); err != nil || !m.Active() {
			t.Fatalf("accept: %+v %v", m, err)
		}
		if again, err := f.s.AddPerson(f.ctx, f.realm, inv); err != nil || !again.Existed || again.Invitation != nil {
			t.Fatalf("an active member is not invited again: %+v %v", again, err)
		}
	})
}

func TestAddPersonRefusesAndChangesNothing(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		o, admin := peopleOrg(t, f, "Deskera")
		other, otherAdmin := peopleOrg(t, f, "Rival")
		member := f.user(t, f.realm, "member")
		if _, _, err := f.s.AddMember(f.ctx, f.realm, o.ID, member.ID, erpUser, ""); err != nil {
			t.Fatal(err)
		}
		taken := f.user(t, f.realm, "taken")
		if _, err := f.s.UpdateUser(f.ctx, f.realm, taken.ID, directory.UserUpdate{Phone: ptr("+6598765432")}, ""); err != nil {
			t.Fatal(err)
		}
		_, users, _ := f.s.ListUsers(f.ctx, f.realm, store.UserQuery{})
		out := pending(t, f)
		person := func(actor directory.Actor, org string) directory.PersonToAdd {
			return directory.PersonToAdd{OrgRef: org, Actor: actor, Email: "x@example.com", Roles: erpUser}
		}
		_, err := f.s.AddPerson(f.ctx, f.realm, person(directory.Actor{UserID: member.ID}, o.ID))
		wantCode(t, err, iam.CodeForbidden, "a member who is not an administrator")
		_, err = f.s.AddPerson(f.ctx, f.realm, person(otherAdmin, o.ID))
		wantCode(t, err, iam.CodeForbidden, "another organization's administrator")
		_, err = f.s.AddPerson(f.ctx, f.realm, person(admin, other.ID))
		wantCode(t, err, iam.CodeForbidden, "this administrator in another organization")
		_, err = f.s.AddPerson(f.ctx, f.realm, person(directory.Actor{RealmAdmin: true}, "999999"))
		wantCode(t, err, iam.CodeNotFound, "a realm administrator, an unknown organization")
		// An organization administrator's numeric id names only the
		// organization's own people: a stranger and an unknown id alike
		// are refused, so the ids reveal nobody; a realm administrator's
		// unknown id is bad input.
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, UserNum: taken.Num, Roles: erpUser, Invite: true})
		wantCode(t, err, iam.CodeForbidden, "a stranger's numeric id")
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, UserNum: 999999, Roles: erpUser})
		wantCode(t, err, iam.CodeForbidden, "an unknown numeric id")
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: directory.Actor{RealmAdmin: true}, UserNum: 999999, Roles: erpUser})
		wantField(t, err, "userNum", "a realm administrator's unknown numeric id")
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "y@example.com", Roles: []iam.OrgRole{{App: "nope", Role: "user"}}})
		wantField(t, err, "roles", "an unknown app")
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Email: "z@example.com", Phone: "+6598765432", Roles: erpUser})
		wantCode(t, err, iam.CodeConflict, "a new account with a taken phone")
		_, err = f.s.AddPerson(f.ctx, f.realm, directory.PersonToAdd{OrgRef: o.ID, Actor: admin, Login: "nobody", Roles: erpUser})
		wantField(t, err, "email", "no address to reach a new person")
		_, after, _ := f.s.ListUsers(f.ctx, f.realm, store.UserQuery{})
		if after != users || pending(t, f) != out {
			t.Fatalf("refused adds must store nothing: users %d→%d, outbox %d→%d", users, after, out, pending(t, f))
		}
		// A realm administrator needs no membership.
		if res, err := f.s.AddPerson(f.ctx, f.realm, person(directory.Actor{RealmAdmin: true}, o.ID)); err != nil || !res.UserCreated {
			t.Fatalf("realm administrator: %+v %v", res, err)
		}
	})
}

func TestAddPeopleReportsEachRow(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		o, admin := peopleOrg(t, f, "Deskera")
		f.user(t, f.realm, "taken")
		rows := []directory.PersonToAdd{
			{Email: "a@example.com", Roles: erpUser},
			{Email: "A@example.com", Roles: erpUser},                                 // the same person again
			{Email: "b@example.com", Roles: []iam.OrgRole{{App: "nope", Role: "x"}}}, // unknown app
			{Email: "c@example.com", Phone: "+6591234567", Roles: erpUser},           // fine
			{Email: "d@example.com", Phone: "+6591234567", Roles: erpUser},           // phone now taken
			{Login: "taken", Roles: erpUser},                                         // an existing user by username
		}
		out, err := f.s.AddPeople(f.ctx, f.realm, o.ID, admin, rows)
		if err != nil || len(out) != len(rows) {
			t.Fatalf("bulk: %v %v", out, err)
		}
		for i, want := range []iam.Code{"", iam.CodeConflict, iam.CodeInvalid, "", iam.CodeConflict, ""} {
			if iam.ErrorCode(out[i].Err) != want || (want == "") != (out[i].Added != nil) {
				t.Fatalf("row %d: want %q, got %+v", i, want, out[i])
			}
		}
		for _, email := range []string{"b@example.com", "d@example.com"} {
			if u, _, _ := f.s.UsersByContact(f.ctx, f.realm, email, ""); u != nil {
				t.Fatalf("a failed row left account %s behind", email)
			}
		}
		_, total, _ := f.s.Members(f.ctx, f.realm, o.ID, store.Page{})
		if total != 4 { // the admin and three rows
			t.Fatalf("members: %d", total)
		}
		_, err = f.s.AddPeople(f.ctx, f.realm, o.ID, directory.Actor{UserID: out[0].Added.User.ID}, rows[:1])
		wantCode(t, err, iam.CodeForbidden, "a plain member")
		_, err = f.s.AddPeople(f.ctx, f.realm, o.ID, admin, nil)
		wantField(t, err, "people", "no rows")
	})
}
