package directory_test

import (
	"strconv"
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// accessFixture is a realm with two organizations: A, which ann
// administers and bob and dan belong to, and B, which cid administers and
// dan belongs to; eve is in no organization.
type accessFixture struct {
	*fixture
	a, b                    *iam.Organization
	ann, bob, cid, dan, eve *iam.User
}

func newAccessFixture(t *testing.T, f *fixture) *accessFixture {
	t.Helper()
	x := &accessFixture{fixture: f}
	f.app(t, f.realm, "erp", "ERP")
	x.ann, x.bob, x.cid, x.dan, x.eve = f.user(t, f.realm, "ann"), f.user(t, f.realm, "bob"), f.user(t, f.realm, "cid"), f.user(t, f.realm, "dan"), f.user(t, f.realm, "eve")
	x.a, x.b = f.org(t, f.realm, "A"), f.org(t, f.realm, "B")
	member := func(o *iam.Organization, u *iam.User, role string) {
		t.Helper()
		if _, _, err := f.s.PutMember(f.ctx, f.realm, o.ID, u.ID, directory.MemberInput{Roles: []iam.OrgRole{{App: "erp", Role: role}}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	member(x.a, x.ann, iam.OrgAdmin)
	member(x.a, x.bob, "user")
	member(x.a, x.dan, "user")
	member(x.b, x.cid, iam.OrgAdmin)
	member(x.b, x.dan, "viewer")
	return x
}

func TestAccessUser(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		x := newAccessFixture(t, f)
		stranger := f.user(t, f.other, "olga")
		as := func(u *iam.User) directory.Actor { return directory.Actor{UserID: u.ID} }

		_, acc, err := f.s.AccessUser(f.ctx, f.realm, as(x.bob), x.bob.Num)
		if err != nil || !acc.Self || !acc.ManagesIdentity() {
			t.Fatalf("self: %+v %v", acc, err)
		}
		_, acc, err = f.s.AccessUser(f.ctx, f.realm, as(x.ann), x.dan.Num)
		if err != nil || acc.Self || acc.ManagesIdentity() || len(acc.AdminOf) != 1 || acc.AdminOf[0] != x.a.ID {
			t.Fatalf("organization admin: %+v %v", acc, err)
		}
		_, acc, err = f.s.AccessUser(f.ctx, f.realm, directory.Actor{UserID: "not-a-user", RealmAdmin: true}, x.eve.Num)
		if err != nil || !acc.ManagesIdentity() {
			t.Fatalf("realm admin: %+v %v", acc, err)
		}
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.bob), x.dan.Num)
		wantCode(t, err, iam.CodeForbidden, "a plain co-member")
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.cid), x.bob.Num)
		wantCode(t, err, iam.CodeForbidden, "another organization's admin")
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.ann), x.eve.Num)
		wantCode(t, err, iam.CodeForbidden, "a user in no organization")
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.ann), stranger.Num)
		wantCode(t, err, iam.CodeNotFound, "another realm's user")
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.ann), 987654321)
		wantCode(t, err, iam.CodeNotFound, "an unknown number")

		// An admin sees only the memberships of the organizations they run.
		v, err := f.s.ViewUser(f.ctx, f.realm, as(x.ann), x.dan.Num)
		if err != nil || len(v.Memberships) != 1 || v.Memberships[0].Organization.ID != x.a.ID {
			t.Fatalf("admin's view: %+v %v", v, err)
		}
		v, err = f.s.ViewUser(f.ctx, f.realm, as(x.dan), x.dan.Num)
		if err != nil || len(v.Memberships) != 2 {
			t.Fatalf("own view: %+v %v", v, err)
		}

		// A deleted organization gives no authority.
		if err := f.s.DeleteOrganization(f.ctx, f.realm, x.a.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.AccessUser(f.ctx, f.realm, as(x.ann), x.bob.Num)
		wantCode(t, err, iam.CodeForbidden, "admin of a deleted organization")
	})
}

func TestRequireOrgAdmin(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		x := newAccessFixture(t, f)
		if o, err := f.s.RequireOrgAdmin(f.ctx, f.s.Store, f.realm, x.a.ID, x.ann.ID); err != nil || o.ID != x.a.ID {
			t.Fatalf("admin: %v", err)
		}
		for name, c := range map[string]struct{ org, user string }{
			"plain member":    {x.a.ID, x.bob.ID},
			"non-member":      {x.a.ID, x.cid.ID},
			"unknown org":     {"987654321", x.ann.ID},
			"malformed user":  {x.a.ID, "nope"},
			"another's realm": {x.a.ID, f.user(t, f.other, "olga").ID},
		} {
			_, err := f.s.RequireOrgAdmin(f.ctx, f.s.Store, f.realm, c.org, c.user)
			wantCode(t, err, iam.CodeForbidden, name)
		}
		// An inactive admin membership is no authority.
		if _, _, err := f.s.PutMember(f.ctx, f.realm, x.a.ID, x.ann.ID, directory.MemberInput{Roles: []iam.OrgRole{{App: "erp", Role: iam.OrgAdmin}}, Status: "inactive"}, ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.RequireOrgAdmin(f.ctx, f.s.Store, f.realm, x.a.ID, x.ann.ID)
		wantCode(t, err, iam.CodeForbidden, "inactive admin")
	})
}

func TestResetOrganization(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		x := newAccessFixture(t, f)
		if _, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{OrgRef: x.a.ID, Email: "new@example.com"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.ResetOrganization(f.ctx, f.realm, x.a.ID, x.bob.ID)
		wantCode(t, err, iam.CodeForbidden, "a plain member")
		if _, n, _ := f.s.Members(f.ctx, f.realm, x.a.ID, store.Page{}); n != 3 {
			t.Fatalf("a refused reset removed members: %d left", n)
		}

		res, err := f.s.ResetOrganization(f.ctx, f.realm, strconv.FormatInt(x.a.Num, 10), x.ann.ID)
		if err != nil || res.MembersRemoved != 2 || res.InvitationsRevoked != 1 || res.Organization.ID != x.a.ID {
			t.Fatalf("reset: %+v %v", res, err)
		}
		ms, n, err := f.s.Members(f.ctx, f.realm, x.a.ID, store.Page{})
		if err != nil || n != 1 || ms[0].UserID != x.ann.ID || !ms[0].Admin() {
			t.Fatalf("after reset: %+v %d %v", ms, n, err)
		}
		invs, err := f.s.ListInvitations(f.ctx, f.realm, x.a.ID, store.Page{})
		if err != nil || len(invs) != 1 || invs[0].Status == iam.InvitePending {
			t.Fatalf("invitation after reset: %+v %v", invs, err)
		}
		// Organization B is untouched; dan keeps that membership.
		if _, err := f.s.Member(f.ctx, f.realm, x.b.ID, x.dan.ID); err != nil {
			t.Fatalf("another organization changed: %v", err)
		}
		ev := f.events(t, f.realm, iam.EventOrgUpdated)
		if len(ev) == 0 || ev[0].Detail["reset"] != "true" || ev[0].Detail["members_removed"] != "2" {
			t.Fatalf("reset event: %+v", ev)
		}
	})
}
