package directory_test

import (
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func TestGroups(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		staff, err := f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "staff"}, "")
		if err != nil {
			t.Fatal(err)
		}
		berlin, err := f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "berlin", ParentID: staff.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "berlin", ParentID: staff.ID}, "")
		wantCode(t, err, iam.CodeConflict, "same name under the same parent")
		if _, err := f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "berlin"}, ""); err != nil {
			t.Fatalf("same name at another level: %v", err)
		}
		_, err = f.s.CreateGroup(f.ctx, f.other, directory.NewGroup{Name: "x", ParentID: staff.ID}, "")
		wantCode(t, err, iam.CodeNotFound, "parent of another realm")
		_, err = f.s.CreateGroup(f.ctx, f.realm, directory.NewGroup{Name: "a/b"}, "")
		wantField(t, err, "name", "slash in a name")

		got, err := f.s.FindGroup(f.ctx, f.realm, "/staff/berlin")
		if err != nil || got.ID != berlin.ID {
			t.Fatalf("find by path: %+v %v", got, err)
		}
		_, err = f.s.FindGroup(f.ctx, f.other, "/staff")
		wantCode(t, err, iam.CodeNotFound, "path in another realm")

		_, err = f.s.UpdateGroup(f.ctx, f.realm, staff.ID, directory.GroupUpdate{ParentID: &berlin.ID}, "")
		wantField(t, err, "parentId", "move under its own subgroup")
		renamed, err := f.s.UpdateGroup(f.ctx, f.realm, berlin.ID, directory.GroupUpdate{Name: ptr("munich"), ParentID: ptr("")}, "")
		if err != nil || renamed.Name != "munich" || renamed.ParentID != "" {
			t.Fatalf("rename and move to the top: %+v %v", renamed, err)
		}
		if _, err := f.s.UpdateGroup(f.ctx, f.realm, berlin.ID, directory.GroupUpdate{ParentID: &staff.ID}, ""); err != nil {
			t.Fatal(err)
		}

		alice := f.user(t, f.realm, "alice")
		stranger := f.user(t, f.other, "bob")
		for range 2 {
			if err := f.s.AddToGroup(f.ctx, f.realm, berlin.ID, alice.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, f.s.AddToGroup(f.ctx, f.realm, berlin.ID, stranger.ID, ""), iam.CodeNotFound, "user of another realm")
		wantCode(t, f.s.AddToGroup(f.ctx, f.other, berlin.ID, stranger.ID, ""), iam.CodeNotFound, "group of another realm")
		groups, err := f.s.GroupsOf(f.ctx, f.realm, alice.ID)
		if err != nil || len(groups) != 1 || groups[0].ID != berlin.ID {
			t.Fatalf("groups of alice: %v %v", groups, err)
		}
		members, err := f.s.GroupMembers(f.ctx, f.realm, berlin.ID, store.Page{})
		if err != nil || len(members) != 1 {
			t.Fatalf("members: %v %v", members, err)
		}
		if err := f.s.RemoveFromGroup(f.ctx, f.realm, berlin.ID, alice.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.RemoveFromGroup(f.ctx, f.realm, berlin.ID, alice.ID, ""), iam.CodeNotFound, "remove twice")
		if len(f.events(t, f.realm, iam.EventGroupMemberAdded)) != 2 || len(f.events(t, f.realm, iam.EventGroupMemberRemoved)) != 1 {
			t.Fatal("group membership events missing")
		}

		if err := f.s.DeleteGroup(f.ctx, f.realm, staff.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.GetGroup(f.ctx, f.realm, berlin.ID)
		wantCode(t, err, iam.CodeNotFound, "a subgroup goes with its parent")
		list, err := f.s.ListGroups(f.ctx, f.realm, store.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("groups left: %v %v", list, err)
		}
	})
}
