package directory_test

import (
	"slices"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

// Merging moves memberships (uniting roles), realm and app roles, groups,
// social links and the identifiers the survivor lacks to the survivor,
// all at once; the merged account is deleted with reason "merged" and its
// sessions end.
func TestMergeUsersMovesEverythingAndRetiresTheOther(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		sc := f.s.Store.Realm(f.realm.ID)
		// The survivor signed up by phone; the merged account by e-mail.
		mobile, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "+6591234567", Phone: "+6591234567", PhoneVerified: true}, "")
		if err != nil {
			t.Fatal(err)
		}
		web := f.user(t, f.realm, "web")
		shared, onlyWeb := f.org(t, f.realm, "Shared"), f.org(t, f.realm, "OnlyWeb")
		f.app(t, f.realm, "books", "Books")
		if _, _, err := f.s.AddMember(f.ctx, f.realm, shared.ID, mobile.ID, []iam.OrgRole{{App: "books", Role: "user"}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.AddMember(f.ctx, f.realm, shared.ID, web.ID, []iam.OrgRole{{App: "books", Role: iam.OrgAdmin}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.AddMember(f.ctx, f.realm, onlyWeb.ID, web.ID, []iam.OrgRole{{App: "books", Role: "user"}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CreateRole(f.ctx, f.realm, directory.NewRole{Name: "auditor"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.s.GrantRole(f.ctx, f.realm, web.ID, directory.RoleRef{Name: "auditor"}, ""); err != nil {
			t.Fatal(err)
		}
		g, err := f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "staff"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Groups().AddMember(f.ctx, g.ID, web.ID); err != nil {
			t.Fatal(err)
		}
		social := &iam.Credential{ID: iam.NewID(), RealmID: f.realm.ID, UserID: web.ID, Type: iam.CredSocial, Label: "google", Secret: "sub-1", CreatedAt: time.Now()}
		if err := sc.Credentials().Create(f.ctx, social); err != nil {
			t.Fatal(err)
		}
		_, tok := f.signIn(t, web)

		u, err := f.s.MergeUsers(f.ctx, f.realm, directory.Merge{SurvivorID: mobile.ID, MergedID: web.ID, Proven: "email", ActorID: mobile.ID})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "web@example.com" || !u.EmailVerified || u.Phone != "+6591234567" || u.Username != "+6591234567" {
			t.Fatalf("survivor's identifiers: %+v", u)
		}
		m, err := f.s.Member(f.ctx, f.realm, shared.ID, mobile.ID)
		if err != nil || len(m.Roles) != 2 || !m.Admin() {
			t.Fatalf("roles of both in the shared organization: %+v %v", m, err)
		}
		if _, err := f.s.Member(f.ctx, f.realm, onlyWeb.ID, mobile.ID); err != nil {
			t.Fatalf("membership moved: %v", err)
		}
		roles, err := f.s.UserRoles(f.ctx, f.realm, mobile.ID)
		if err != nil || !slices.ContainsFunc(roles, func(r *iam.Role) bool { return r.Name == "auditor" }) {
			t.Fatalf("realm role moved: %v %v", roles, err)
		}
		if gs, err := sc.Groups().OfUser(f.ctx, mobile.ID); err != nil || len(gs) != 1 {
			t.Fatalf("group moved: %v %v", gs, err)
		}
		if c, err := sc.Credentials().FindSocial(f.ctx, "google", "sub-1"); err != nil || c.UserID != mobile.ID {
			t.Fatalf("social link moved: %+v %v", c, err)
		}
		if creds, err := sc.Credentials().List(f.ctx, mobile.ID, iam.CredPassword); err != nil || len(creds) != 1 {
			t.Fatalf("the survivor had no password and takes the merged one's: %d %v", len(creds), err)
		}
		gone, err := sc.Users().Get(f.ctx, web.ID)
		if err != nil || !gone.Deleted() || gone.DeleteReason != directory.MergeReason {
			t.Fatalf("merged account: %+v %v", gone, err)
		}
		if ms, _ := sc.Organizations().OfUser(f.ctx, web.ID); len(ms) != 0 {
			t.Fatalf("the merged account keeps %d memberships", len(ms))
		}
		f.signedOut(t, web, tok)
		if len(f.events(t, f.realm, iam.EventUserMerged)) != 1 {
			t.Fatal("no merge event")
		}

		_, err = f.s.MergeUsers(f.ctx, f.realm, directory.Merge{SurvivorID: mobile.ID, MergedID: web.ID})
		wantCode(t, err, iam.CodeNotFound, "merging a merged account")
		_, err = f.s.MergeUsers(f.ctx, f.realm, directory.Merge{SurvivorID: mobile.ID, MergedID: mobile.ID})
		wantCode(t, err, iam.CodeInvalid, "merging an account into itself")
	})
}

// makePrimary takes the merged account's e-mail even where the survivor
// has one, and a username that was the replaced address follows it. An
// account with an authenticator app is not merged, and nothing changes.
func TestMergeUsersMakePrimaryAndTOTPRefusal(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		sc := f.s.Store.Realm(f.realm.ID)
		a, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "a@example.com", Email: "a@example.com", Password: "Correct-Horse-a"}, "")
		if err != nil {
			t.Fatal(err)
		}
		b := f.user(t, f.realm, "b")
		c := f.user(t, f.realm, "c")
		totp := &iam.Credential{ID: iam.NewID(), RealmID: f.realm.ID, UserID: c.ID, Type: iam.CredTOTP, Secret: "x", CreatedAt: time.Now()}
		if err := sc.Credentials().Create(f.ctx, totp); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.MergeUsers(f.ctx, f.realm, directory.Merge{SurvivorID: a.ID, MergedID: c.ID})
		wantCode(t, err, iam.CodePrecondition, "merging an account with TOTP")
		if still, err := f.s.GetUser(f.ctx, f.realm, c.ID); err != nil || still.Deleted() {
			t.Fatalf("a refused merge changes nothing: %v", err)
		}

		u, err := f.s.MergeUsers(f.ctx, f.realm, directory.Merge{SurvivorID: a.ID, MergedID: b.ID, MakePrimary: true})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "b@example.com" || u.Username != "b@example.com" {
			t.Fatalf("makePrimary: %+v", u)
		}
		if creds, _ := sc.Credentials().List(f.ctx, a.ID, iam.CredPassword); len(creds) != 1 {
			t.Fatalf("the survivor keeps its own password only, has %d", len(creds))
		}
	})
}

// RemoveContact keeps the user able to sign in: the other identifier must
// be there and verified; a username that was the removed value follows.
func TestRemoveContact(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		u, err := f.s.CreateUser(f.ctx, f.realm, directory.NewUser{Username: "+6591234567", Phone: "+6591234567", Email: "m@example.com"}, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.RemoveContact(f.ctx, f.realm, u.ID, true, u.ID)
		wantCode(t, err, iam.CodePrecondition, "removing the e-mail without a verified phone")
		_, err = f.s.RemoveContact(f.ctx, f.realm, u.ID, false, u.ID)
		wantCode(t, err, iam.CodePrecondition, "removing the phone without a verified e-mail")

		if _, err := f.s.UpdateUser(f.ctx, f.realm, u.ID, directory.UserUpdate{EmailVerified: ptr(true)}, ""); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.RemoveContact(f.ctx, f.realm, u.ID, false, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Phone != "" || got.PhoneVerified || got.Username != "m@example.com" {
			t.Fatalf("after removing the phone: %+v", got)
		}
		_, err = f.s.RemoveContact(f.ctx, f.realm, u.ID, false, u.ID)
		wantCode(t, err, iam.CodePrecondition, "removing a phone the user does not have")
		_, err = f.s.RemoveContact(f.ctx, f.realm, u.ID, true, u.ID)
		wantCode(t, err, iam.CodePrecondition, "removing the only identifier")
		_, err = f.s.RemoveContact(f.ctx, f.other, u.ID, true, u.ID)
		wantCode(t, err, iam.CodeNotFound, "another realm's user")
	})
}
