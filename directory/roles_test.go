package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func TestRolesGrantsAndRevocation(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		erp := f.app(t, f.realm, "erp-web", "ERP")
		otherApp := f.app(t, f.other, "hr", "HR")
		alice := f.user(t, f.realm, "alice")
		stranger := f.user(t, f.other, "bob")

		if _, err := f.s.CreateRole(f.ctx, f.realm, directory.NewRole{Name: "auditor"}, ""); err != nil {
			t.Fatal(err)
		}
		appRole, err := f.s.CreateRole(f.ctx, f.realm, directory.NewRole{App: "ERP", Name: "editor"}, "")
		if err != nil || appRole.AppID != erp.ID {
			t.Fatalf("app role by app name: %+v %v", appRole, err)
		}
		_, err = f.s.CreateRole(f.ctx, f.realm, directory.NewRole{App: "erp-web", Name: "editor"}, "")
		wantCode(t, err, iam.CodeConflict, "same app role twice")
		if _, err := f.s.CreateRole(f.ctx, f.realm, directory.NewRole{Name: "editor"}, ""); err != nil {
			t.Fatalf("a realm role may share an app role's name: %v", err)
		}
		_, err = f.s.CreateRole(f.ctx, f.realm, directory.NewRole{App: otherApp.ClientID, Name: "x"}, "")
		wantCode(t, err, iam.CodeNotFound, "role of another realm's app")
		_, err = f.s.CreateRole(f.ctx, f.realm, directory.NewRole{Name: "\x00"}, "")
		wantField(t, err, "name", "control character")

		roles, err := f.s.ListRoles(f.ctx, f.realm, "erp-web")
		if err != nil || len(roles) != 1 || roles[0].Name != "editor" {
			t.Fatalf("app roles: %v %v", roles, err)
		}

		if err := f.s.GrantRole(f.ctx, f.realm, alice.ID, directory.RoleRef{Name: "auditor"}, "admin-id"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.GrantRole(f.ctx, f.realm, alice.ID, directory.RoleRef{App: "erp-web", Name: "editor"}, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.GrantRole(f.ctx, f.realm, stranger.ID, directory.RoleRef{Name: "auditor"}, ""), iam.CodeNotFound, "grant to another realm's user")
		wantCode(t, f.s.GrantRole(f.ctx, f.other, alice.ID, directory.RoleRef{Name: "auditor"}, ""), iam.CodeNotFound, "grant through another realm")
		err = f.s.GrantRoles(f.ctx, f.realm, alice.ID, []directory.RoleRef{{Name: "editor"}, {Name: "missing"}}, "")
		wantCode(t, err, iam.CodeNotFound, "grant a missing role")

		eff, err := f.s.EffectiveRoles(f.ctx, f.realm, alice.ID)
		if err != nil || len(eff) != 2 {
			t.Fatalf("effective roles (the failed batch must grant nothing): %v %v", names(eff), err)
		}
		holders, err := f.s.RoleUsers(f.ctx, f.realm, directory.RoleRef{Name: "auditor"}, store.Page{})
		if err != nil || len(holders) != 1 || holders[0].ID != alice.ID {
			t.Fatalf("holders: %v %v", holders, err)
		}

		if err := f.s.RevokeRole(f.ctx, f.realm, alice.ID, directory.RoleRef{Name: "auditor"}, "admin-id"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.RevokeRole(f.ctx, f.realm, alice.ID, directory.RoleRef{Name: "auditor"}, ""), iam.CodeNotFound, "revoke twice")
		granted, revoked := f.events(t, f.realm, iam.EventRoleGranted), f.events(t, f.realm, iam.EventRoleRevoked)
		if len(revoked) != 1 || revoked[0].UserID != alice.ID || revoked[0].ActorID != "admin-id" || revoked[0].Detail["role"] != "auditor" {
			t.Fatalf("revoke event: %+v", revoked)
		}
		if len(granted) < 2 {
			t.Fatalf("grant events: %d", len(granted))
		}

		if err := f.s.DeleteRole(f.ctx, f.realm, directory.RoleRef{App: "ERP", Name: "editor"}, ""); err != nil {
			t.Fatal(err)
		}
		eff, err = f.s.EffectiveRoles(f.ctx, f.realm, alice.ID)
		if err != nil || len(eff) != 0 {
			t.Fatalf("a deleted role is no longer held: %v %v", names(eff), err)
		}
		wantCode(t, f.s.DeleteRole(f.ctx, f.realm, directory.RoleRef{App: "ERP", Name: "editor"}, ""), iam.CodeNotFound, "delete twice")
	})
}

func TestMasterKeepsAnAdministrator(t *testing.T) {
	s := newService(t)
	f := &fixture{s: s, ctx: t.Context()}
	if _, err := s.Bootstrap(f.ctx, "root", "Root-Password-123"); err != nil {
		t.Fatal(err)
	}
	master, _ := s.RealmByName(f.ctx, directory.MasterRealm)
	root, err := s.FindUser(f.ctx, master, "root")
	if err != nil {
		t.Fatal(err)
	}
	admin := directory.RoleRef{Name: iam.RoleAdmin}
	wantCode(t, s.RevokeRole(f.ctx, master, root.ID, admin, ""), iam.CodePrecondition, "revoke the last admin")
	wantCode(t, s.DeleteRole(f.ctx, master, admin, ""), iam.CodePrecondition, "delete master's admin role")
	second := f.user(t, master, "second")
	if err := s.GrantRole(f.ctx, master, second.ID, admin, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeRole(f.ctx, master, root.ID, admin, ""); err != nil {
		t.Fatalf("with a second admin the first may lose the role: %v", err)
	}
}

func names(roles []*iam.Role) []string {
	var out []string
	for _, r := range roles {
		out = append(out, r.Name)
	}
	return out
}
