package authn_test

import (
	"context"
	"testing"
	"time"

	"iamd/authn"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// acctOrg creates app "erp" (once) and an organization administered by
// admin, with the other users as plain members.
func (f *fixture) acctOrg(name string, admin *iam.User, members ...*iam.User) *iam.Organization {
	f.t.Helper()
	ctx := context.Background()
	if _, err := f.dir.EnsureApp(ctx, f.realm, directory.NewApp{ClientID: "erp", Public: true}); err != nil {
		f.t.Fatal(err)
	}
	o, err := f.dir.CreateOrganization(ctx, f.realm, directory.NewOrganization{Name: name, CreatorID: admin.ID, CreatorRoles: []iam.OrgRole{{App: "erp", Role: iam.OrgAdmin}}}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range members {
		if _, _, err := f.dir.AddMember(ctx, f.realm, o.ID, m.ID, []iam.OrgRole{{App: "erp", Role: "user"}}, ""); err != nil {
			f.t.Fatal(err)
		}
	}
	return o
}

// acctSession gives u an active session and reports, through the returned
// func, whether it is still active.
func (f *fixture) acctSession(u *iam.User) func() bool {
	f.t.Helper()
	ctx := context.Background()
	now := f.clock()
	s := &iam.Session{ID: iam.NewID(), RealmID: f.realm.ID, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := f.store.Realm(f.realm.ID).Sessions().Create(ctx, s); err != nil {
		f.t.Fatal(err)
	}
	return func() bool {
		got, err := f.store.Realm(f.realm.ID).Sessions().Get(ctx, s.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		return got.Active(f.clock())
	}
}

func TestConfirmPassword(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxPasswordFailures: 2, LockoutDuration: 10 * time.Minute})
	ctx := context.Background()
	ann := f.user("ann", "Correct-Horse-9")
	if _, err := f.auth.ConfirmPassword(ctx, f.realm, ann.ID, "Correct-Horse-9", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	_, err := f.auth.ConfirmPassword(ctx, f.realm, ann.ID, "wrong", "10.0.0.1")
	wantCode(t, err, iam.CodeUnauthorized)
	_, err = f.auth.ConfirmPassword(ctx, f.realm, ann.ID, "wrong", "10.0.0.1")
	wantCode(t, err, iam.CodeLocked) // the second failure locks, as at sign-in
	_, err = f.auth.ConfirmPassword(ctx, f.realm, ann.ID, "Correct-Horse-9", "10.0.0.1")
	wantCode(t, err, iam.CodeLocked)
	f.advance(11 * time.Minute)
	if _, err := f.auth.ConfirmPassword(ctx, f.realm, ann.ID, "Correct-Horse-9", "10.0.0.1"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}

	codeOnly, err := f.dir.CreateUser(ctx, f.realm, directory.NewUser{Username: "+6591234567", Phone: "+6591234567"}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.auth.ConfirmPassword(ctx, f.realm, codeOnly.ID, "anything", "")
	wantCode(t, err, iam.CodeUnauthorized)
	_, err = f.auth.ConfirmPassword(ctx, f.realm, "no-such-user", "x", "")
	wantCode(t, err, iam.CodeNotFound)
}

func TestDeleteAccount(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	ann := f.user("ann", "Correct-Horse-9")
	active := f.acctSession(ann)
	del := func(in authn.AccountDeletion) error { return f.auth.DeleteAccount(ctx, f.realm, ann.ID, in) }

	wantCode(t, del(authn.AccountDeletion{Password: "Correct-Horse-9"}), iam.CodeInvalid)
	wantCode(t, del(authn.AccountDeletion{Reason: "bye"}), iam.CodeInvalid)
	// isSocialLogin does not excuse a user who has a password.
	wantCode(t, del(authn.AccountDeletion{Reason: "bye", Social: true}), iam.CodeInvalid)
	wantCode(t, del(authn.AccountDeletion{Reason: "bye", Password: "wrong"}), iam.CodeUnauthorized)
	if _, err := f.dir.GetUser(ctx, f.realm, ann.ID); err != nil || !active() {
		t.Fatalf("a refused deletion changed the account: %v", err)
	}
	if err := del(authn.AccountDeletion{Reason: " moving on ", Password: "Correct-Horse-9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.dir.GetUser(ctx, f.realm, ann.ID); !iam.IsCode(err, iam.CodeNotFound) || active() {
		t.Fatalf("deleted account: %v, session active %v", err, active())
	}
	stored, err := f.store.Realm(f.realm.ID).Users().Get(ctx, ann.ID)
	if err != nil || stored.DeleteReason != "moving on" {
		t.Fatalf("soft delete keeps the reason: %+v %v", stored, err)
	}
	wantCode(t, del(authn.AccountDeletion{Reason: "again", Password: "Correct-Horse-9"}), iam.CodeNotFound)

	// A user without a password (social only) deletes with Social.
	social, err := f.dir.CreateUser(ctx, f.realm, directory.NewUser{Username: "sam@example.com", Email: "sam@example.com"}, "")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.auth.DeleteAccount(ctx, f.realm, social.ID, authn.AccountDeletion{Reason: "bye"}), iam.CodeInvalid)
	if err := f.auth.DeleteAccount(ctx, f.realm, social.ID, authn.AccountDeletion{Reason: "bye", Social: true}); err != nil {
		t.Fatal(err)
	}
}

func TestResetAndDeleteOrganization(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	ann, bob := f.user("ann", "Correct-Horse-9"), f.user("bob", "Correct-Horse-8")
	o := f.acctOrg("A", ann, bob)
	change := func(user *iam.User, org, pw string) authn.OrgChange {
		return authn.OrgChange{UserID: user.ID, OrgRef: org, Password: pw}
	}
	members := func() int {
		_, n, err := f.dir.Members(ctx, f.realm, o.ID, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	_, _, err := f.auth.ResetOrganization(ctx, f.realm, change(ann, "", "Correct-Horse-9"))
	wantCode(t, err, iam.CodePrecondition)
	_, _, err = f.auth.ResetOrganization(ctx, f.realm, change(ann, o.ID, ""))
	wantCode(t, err, iam.CodeInvalid)
	_, _, err = f.auth.ResetOrganization(ctx, f.realm, change(ann, o.ID, "wrong"))
	wantCode(t, err, iam.CodeUnauthorized)
	_, _, err = f.auth.ResetOrganization(ctx, f.realm, change(bob, o.ID, "Correct-Horse-8"))
	wantCode(t, err, iam.CodeForbidden)
	if members() != 2 {
		t.Fatal("a refused reset removed members")
	}
	got, u, err := f.auth.ResetOrganization(ctx, f.realm, change(ann, o.ID, "Correct-Horse-9"))
	if err != nil || got.ID != o.ID || u.ID != ann.ID || members() != 1 {
		t.Fatalf("reset: %v, %d members", err, members())
	}

	_, _, err = f.auth.DeleteOrganization(ctx, f.realm, change(bob, o.ID, "Correct-Horse-8"))
	wantCode(t, err, iam.CodeForbidden)
	_, _, err = f.auth.DeleteOrganization(ctx, f.realm, change(ann, o.ID, "wrong"))
	wantCode(t, err, iam.CodeUnauthorized)
	if got, _, err = f.auth.DeleteOrganization(ctx, f.realm, change(ann, o.ID, "Correct-Horse-9")); err != nil || got.ID != o.ID {
		t.Fatal(err)
	}
	if _, err := f.dir.GetOrganization(ctx, f.realm, o.ID); !iam.IsCode(err, iam.CodeNotFound) {
		t.Fatalf("deleted organization: %v", err)
	}
	_, _, err = f.auth.DeleteOrganization(ctx, f.realm, change(ann, o.ID, "Correct-Horse-9"))
	wantCode(t, err, iam.CodeForbidden)
}

func TestCreateAccount(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{})
	ctx := context.Background()
	ann, bob := f.user("ann", "Correct-Horse-9"), f.user("bob", "Correct-Horse-8")
	o := f.acctOrg("A", ann, bob)
	erp := []iam.OrgRole{{App: "erp", Role: "user"}}
	create := func(actor directory.Actor, join, username string, verified bool) (*authn.CreatedAccount, error) {
		return f.auth.CreateAccount(ctx, f.realm, authn.NewAccount{
			User:  directory.NewUser{Username: username, Email: username, Password: "Correct-Horse-7", EmailVerified: verified, RealmRoles: []string{"admin"}},
			Actor: actor, JoinOrg: join, Roles: erp, VerifyLink: "https://id.example.com/verify",
		})
	}
	count := func() int {
		_, n, err := f.dir.ListUsers(ctx, f.realm, store.UserQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// An organization's admin creates into the organization only, and
	// cannot vouch for addresses or hand out realm roles.
	res, err := create(directory.Actor{UserID: ann.ID}, o.ID, "cid@example.com", true)
	if err != nil || res.Joined == nil || res.Joined.ID != o.ID || res.Membership.Roles[0].Role != "user" || res.User.EmailVerified || res.Verification == nil {
		t.Fatalf("created by an org admin: %+v %v", res, err)
	}
	if roles, _ := f.dir.UserRoles(ctx, f.realm, res.User.ID); len(roles) != 0 {
		t.Fatalf("an org admin granted realm roles: %v", roles)
	}
	n := count()
	_, err = create(directory.Actor{UserID: ann.ID}, "", "dan@example.com", false)
	wantCode(t, err, iam.CodeForbidden)
	_, err = create(directory.Actor{UserID: bob.ID}, o.ID, "dan@example.com", false)
	wantCode(t, err, iam.CodeForbidden)
	_, err = create(directory.Actor{UserID: ann.ID}, o.ID, "CID@example.com", false)
	wantCode(t, err, iam.CodeConflict)
	if count() != n {
		t.Fatal("a refused creation created a user")
	}

	// A realm administrator may create outside any organization and
	// vouch for the address: nothing is sent then.
	res, err = create(directory.Actor{UserID: "server-admin", RealmAdmin: true}, "", "eve@example.com", true)
	if err != nil || res.Joined != nil || !res.User.EmailVerified || res.Verification != nil {
		t.Fatalf("created by a realm admin: %+v %v", res, err)
	}
	// With a new organization the user administers it.
	res, err = f.auth.CreateAccount(ctx, f.realm, authn.NewAccount{
		User:  directory.NewUser{Username: "fay@example.com", Email: "fay@example.com"},
		Actor: directory.Actor{UserID: ann.ID}, JoinOrg: o.ID, Roles: erp,
		Organization: "Fay Ltd", OrgRoles: []iam.OrgRole{{App: "erp", Role: iam.OrgAdmin}},
	})
	if err != nil || res.Organization == nil || res.Organization.DisplayName != "Fay Ltd" || res.Joined == nil {
		t.Fatalf("with an organization: %+v %v", res, err)
	}
	if _, err := f.dir.RequireOrgAdmin(ctx, f.store, f.realm, res.Organization.ID, res.User.ID); err != nil {
		t.Fatalf("the new user administers the new organization: %v", err)
	}
}
