package directory_test

import (
	"strconv"
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func TestOrganizationLifecycle(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		erp := f.app(t, f.realm, "erp-web", "ERP")
		alice := f.user(t, f.realm, "alice")
		o, err := f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{
			Name: " Deskera ", CreatorID: alice.ID, CreatorRoles: []iam.OrgRole{{App: "erp", Role: "admin"}},
		}, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Deskera" || o.DisplayName != "Deskera" || o.Num <= 0 {
			t.Fatalf("created: %+v", o)
		}
		m, err := f.s.Member(f.ctx, f.realm, o.ID, alice.ID)
		if err != nil || len(m.Roles) != 1 || m.Roles[0] != (iam.OrgRole{App: erp.ClientID, Role: "admin"}) || m.Status != "active" {
			t.Fatalf("creator membership (app named ERP stored by client id): %+v %v", m, err)
		}

		_, err = f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{Name: "DESKERA"}, "")
		wantCode(t, err, iam.CodeConflict, "same name, other case")
		_, err = f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{Name: "  "}, "")
		wantField(t, err, "name", "blank name")
		if _, err := f.s.CreateOrganization(f.ctx, f.other, directory.NewOrganization{Name: "Deskera"}, ""); err != nil {
			t.Fatalf("the same name in another realm: %v", err)
		}

		for _, ref := range []string{o.ID, strconv.FormatInt(o.Num, 10)} {
			got, err := f.s.GetOrganization(f.ctx, f.realm, ref)
			if err != nil || got.ID != o.ID {
				t.Fatalf("get by %q: %+v %v", ref, got, err)
			}
		}
		for _, ref := range []string{"", "nope", "-1", "0", iam.NewID()} {
			_, err := f.s.GetOrganization(f.ctx, f.realm, ref)
			wantCode(t, err, iam.CodeNotFound, "get "+ref)
		}
		_, err = f.s.GetOrganization(f.ctx, f.other, o.ID)
		wantCode(t, err, iam.CodeNotFound, "another realm's organization")

		f.org(t, f.realm, "Globex")
		list, total, err := f.s.ListOrganizations(f.ctx, f.realm, "desk", store.Page{})
		if err != nil || total != 1 || list[0].ID != o.ID {
			t.Fatalf("search: %v %d %v", list, total, err)
		}
		_, _, err = f.s.ListOrganizations(f.ctx, f.realm, "", store.Page{Offset: -1})
		wantField(t, err, "offset", "negative offset")

		_, err = f.s.UpdateOrganization(f.ctx, f.realm, o.ID, directory.OrganizationUpdate{Name: ptr("globex")}, "")
		wantCode(t, err, iam.CodeConflict, "rename to a taken name")
		up, err := f.s.UpdateOrganization(f.ctx, f.realm, strconv.FormatInt(o.Num, 10), directory.OrganizationUpdate{DisplayName: ptr("Deskera Ltd")}, "")
		if err != nil || up.DisplayName != "Deskera Ltd" || up.Name != "Deskera" {
			t.Fatalf("update: %+v %v", up, err)
		}
		_, err = f.s.UpdateOrganization(f.ctx, f.other, o.ID, directory.OrganizationUpdate{Name: ptr("x")}, "")
		wantCode(t, err, iam.CodeNotFound, "update through another realm")

		inv, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{OrgRef: o.ID, Email: "new@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeleteOrganization(f.ctx, f.realm, o.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.GetOrganization(f.ctx, f.realm, o.ID)
		wantCode(t, err, iam.CodeNotFound, "get after delete")
		wantCode(t, f.s.DeleteOrganization(f.ctx, f.realm, o.ID, ""), iam.CodeNotFound, "delete twice")
		if ms, err := f.s.MembershipsOf(f.ctx, f.realm, alice.ID); err != nil || len(ms) != 0 {
			t.Fatalf("memberships after delete: %v %v", ms, err)
		}
		got, err := f.s.GetInvitation(f.ctx, f.realm, inv.Invitation.ID)
		if err != nil || got.Status != iam.InviteRevoked {
			t.Fatalf("pending invitation after delete: %+v %v", got, err)
		}
		if _, err := f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{Name: "Deskera"}, ""); err != nil {
			t.Fatalf("a deleted organization frees its name: %v", err)
		}
		for _, typ := range []string{iam.EventOrgCreated, iam.EventOrgUpdated, iam.EventOrgDeleted, iam.EventMemberAdded} {
			if len(f.events(t, f.realm, typ)) == 0 {
				t.Fatalf("no %s event", typ)
			}
		}
	})
}

func TestCreateOrganizationWritesNothingOnBadCreatorRoles(t *testing.T) {
	f := newFixture(t, newService(t))
	alice := f.user(t, f.realm, "alice")
	_, err := f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{
		Name: "Deskera", CreatorID: alice.ID, CreatorRoles: []iam.OrgRole{{App: "no-such-app", Role: "admin"}},
	}, "")
	wantField(t, err, "roles", "role of an unknown app")
	other := f.user(t, f.other, "bob")
	_, err = f.s.CreateOrganization(f.ctx, f.realm, directory.NewOrganization{Name: "Deskera", CreatorID: other.ID}, "")
	wantCode(t, err, iam.CodeNotFound, "creator from another realm")
	if list, total, err := f.s.ListOrganizations(f.ctx, f.realm, "", store.Page{}); err != nil || total != 0 {
		t.Fatalf("a failed create must write nothing: %v %d %v", list, total, err)
	}
}

func TestMembers(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		f.app(t, f.realm, "crm", "CRM Plus")
		f.app(t, f.other, "hr", "HR")
		o := f.org(t, f.realm, "Deskera")
		alice, bob := f.user(t, f.realm, "alice"), f.user(t, f.realm, "bob")
		stranger := f.user(t, f.other, "carol")
		num := strconv.FormatInt(o.Num, 10)

		m, existed, err := f.s.AddMember(f.ctx, f.realm, num, alice.ID, []iam.OrgRole{{App: "erp", Role: "user", ShortCode: "erp_u"}, {App: "crm plus", Role: "admin"}}, "")
		if err != nil || existed || len(m.Roles) != 2 || m.Roles[1].App != "crm" {
			t.Fatalf("add: %+v %v %v", m, existed, err)
		}
		m, existed, err = f.s.AddMember(f.ctx, f.realm, o.ID, alice.ID, []iam.OrgRole{{App: "erp", Role: "admin"}}, "")
		if err != nil || !existed || len(m.Roles) != 2 || m.Roles[0].Role != "user" {
			t.Fatalf("adding a member again must report it and change nothing: %+v %v %v", m, existed, err)
		}
		_, _, err = f.s.AddMember(f.ctx, f.realm, o.ID, bob.ID, []iam.OrgRole{{App: "hr", Role: "user"}}, "")
		wantField(t, err, "roles", "role of another realm's app")
		_, _, err = f.s.AddMember(f.ctx, f.realm, o.ID, bob.ID, []iam.OrgRole{{App: "erp", Role: " "}}, "")
		wantField(t, err, "roles", "role without a name")
		_, _, err = f.s.AddMember(f.ctx, f.realm, o.ID, stranger.ID, nil, "")
		wantCode(t, err, iam.CodeNotFound, "user of another realm")
		_, _, err = f.s.AddMember(f.ctx, f.other, o.ID, stranger.ID, nil, "")
		wantCode(t, err, iam.CodeNotFound, "organization of another realm")

		m, created, err := f.s.PutMember(f.ctx, f.realm, o.ID, alice.ID, directory.MemberInput{Roles: []iam.OrgRole{{App: "erp", Role: "admin"}}, Status: "inactive"}, "")
		if err != nil || created || len(m.Roles) != 1 || m.Roles[0].Role != "admin" || m.Status != "inactive" {
			t.Fatalf("replace: %+v %v %v", m, created, err)
		}
		_, created, err = f.s.PutMember(f.ctx, f.realm, o.ID, bob.ID, directory.MemberInput{}, "")
		if err != nil || !created {
			t.Fatalf("put a new member: %v %v", created, err)
		}
		_, _, err = f.s.PutMember(f.ctx, f.realm, o.ID, bob.ID, directory.MemberInput{Status: "gone"}, "")
		wantField(t, err, "status", "unknown status")

		list, total, err := f.s.Members(f.ctx, f.realm, o.ID, store.Page{})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("members: %v %d %v", list, total, err)
		}
		_, _, err = f.s.Members(f.ctx, f.realm, o.ID, store.Page{Limit: -5})
		wantField(t, err, "limit", "negative limit")
		ms, err := f.s.MembershipsOf(f.ctx, f.realm, alice.ID)
		if err != nil || len(ms) != 1 || ms[0].Organization.ID != o.ID || ms[0].Membership.Status != "inactive" {
			t.Fatalf("memberships of alice: %+v %v", ms, err)
		}

		if err := f.s.RemoveMember(f.ctx, f.realm, o.ID, bob.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.RemoveMember(f.ctx, f.realm, o.ID, bob.ID, ""), iam.CodeNotFound, "remove twice")
		wantCode(t, f.s.RemoveMember(f.ctx, f.realm, o.ID, "not-an-id", ""), iam.CodeNotFound, "malformed user id")
		if n := len(f.events(t, f.realm, iam.EventMemberRemoved)); n != 1 {
			t.Fatalf("member_removed events: %d", n)
		}
	})
}
