package directory

import (
	"context"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// FindGroup resolves ref to a group of the realm: a group id, a path of
// names from the top ("/staff/berlin", as Keycloak writes group paths), or
// the name of a top-level group. CodeNotFound if nothing matches.
func (s *Service) FindGroup(ctx context.Context, realm *iam.Realm, ref string) (*iam.Group, error) {
	sc := s.Store.Realm(realm.ID)
	if iam.ValidID(ref) {
		return getGroup(ctx, sc, ref)
	}
	names := strings.Split(strings.Trim(ref, "/"), "/")
	if ref == "" || len(ref) > 4096 {
		return nil, iam.NotFound("group")
	}
	all, err := allGroups(ctx, sc)
	if err != nil {
		return nil, err
	}
	var cur *iam.Group
	for _, name := range names {
		parent := ""
		if cur != nil {
			parent = cur.ID
		}
		cur = nil
		for _, g := range all {
			if g.ParentID == parent && g.Name == name {
				cur = g
				break
			}
		}
		if cur == nil {
			return nil, iam.NotFound("group " + truncate(ref))
		}
	}
	return cur, nil
}

func allGroups(ctx context.Context, sc store.Scope) ([]*iam.Group, error) {
	var all []*iam.Group
	for off := 0; ; off += 1000 {
		list, err := sc.Groups().List(ctx, store.Page{Offset: off, Limit: 1000})
		if err != nil {
			return nil, store.AsIAM(err, "group", "")
		}
		all = append(all, list...)
		if len(list) < 1000 {
			return all, nil
		}
	}
}

// AddToGroup makes the live user a member of the group; adding a member
// again changes nothing. CodeNotFound for an unknown group or user.
func (s *Service) AddToGroup(ctx context.Context, realm *iam.Realm, groupID, userID, actorID string) error {
	return s.groupMembership(ctx, realm, groupID, userID, actorID, true)
}

// RemoveFromGroup ends the user's membership of the group. CodeNotFound
// for an unknown group or user, or a user who is not a member.
func (s *Service) RemoveFromGroup(ctx context.Context, realm *iam.Realm, groupID, userID, actorID string) error {
	return s.groupMembership(ctx, realm, groupID, userID, actorID, false)
}

func (s *Service) groupMembership(ctx context.Context, realm *iam.Realm, groupID, userID, actorID string, add bool) error {
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		g, err := getGroup(ctx, sc, groupID)
		if err != nil {
			return err
		}
		if _, err := liveUser(ctx, sc, userID); err != nil {
			return err
		}
		typ := iam.EventGroupMemberAdded
		if add {
			err = sc.Groups().AddMember(ctx, g.ID, userID)
		} else {
			typ = iam.EventGroupMemberRemoved
			err = sc.Groups().RemoveMember(ctx, g.ID, userID)
		}
		if err != nil {
			return store.AsIAM(err, "group membership", "")
		}
		return sc.Events().Append(ctx, event(realm, typ, userID, actorID, s.now(), groupDetail(g)))
	})
	return store.AsIAM(err, "group", "")
}

// GroupsOf lists the groups the live user is a direct member of, by name.
// CodeNotFound for an unknown user.
func (s *Service) GroupsOf(ctx context.Context, realm *iam.Realm, userID string) ([]*iam.Group, error) {
	sc := s.Store.Realm(realm.ID)
	if _, err := liveUser(ctx, sc, userID); err != nil {
		return nil, err
	}
	list, err := sc.Groups().OfUser(ctx, userID)
	return list, store.AsIAM(err, "group", "")
}

// GroupMembers lists the group's live members, by username. CodeNotFound
// for an unknown group; CodeInvalid for a negative offset or limit.
func (s *Service) GroupMembers(ctx context.Context, realm *iam.Realm, groupID string, p store.Page) ([]*iam.User, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	sc := s.Store.Realm(realm.ID)
	g, err := getGroup(ctx, sc, groupID)
	if err != nil {
		return nil, err
	}
	list, err := sc.Groups().Members(ctx, g.ID, p)
	return list, store.AsIAM(err, "group", "")
}
