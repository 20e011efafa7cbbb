package directory

import (
	"context"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// NewGroup is what an administrator gives to create a group.
type NewGroup struct {
	Name       string // unique under its parent; no "/" (it separates a path)
	ParentID   string // "" for a top-level group
	Attributes map[string][]string
}

// GroupUpdate changes the fields that are set; nil leaves a field as it
// is. ParentID "" moves the group to the top level. Attributes, when
// non-nil, replaces all attributes.
type GroupUpdate struct {
	Name       *string
	ParentID   *string
	Attributes map[string][]string
}

// CreateGroup creates a group. CodeInvalid names the bad field;
// CodeNotFound when the parent is not a group of the realm; CodeConflict
// when the parent already has a subgroup (or the realm a top-level group)
// of that name.
func (s *Service) CreateGroup(ctx context.Context, realm *iam.Realm, in NewGroup, actorID string) (*iam.Group, error) {
	now := s.now()
	g := &iam.Group{ID: iam.NewID(), RealmID: realm.ID, ParentID: in.ParentID, Name: strings.TrimSpace(in.Name), Attributes: in.Attributes, CreatedAt: now}
	if err := checkGroup(g); err != nil {
		return nil, err
	}
	if g.ParentID != "" && !iam.ValidID(g.ParentID) {
		return nil, iam.NotFound("parent group")
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if err := sc.Groups().Create(ctx, g); err != nil {
			return store.AsIAM(err, "parent group", "a group named "+g.Name+" already exists there")
		}
		return sc.Events().Append(ctx, event(realm, iam.EventGroupCreated, "", actorID, now, groupDetail(g)))
	})
	if err != nil {
		return nil, store.AsIAM(err, "group", "")
	}
	return g, nil
}

// GetGroup returns a group by id; CodeNotFound if the realm has none.
func (s *Service) GetGroup(ctx context.Context, realm *iam.Realm, groupID string) (*iam.Group, error) {
	return getGroup(ctx, s.Store.Realm(realm.ID), groupID)
}

// ListGroups returns the realm's groups, nested ones included, by name.
// CodeInvalid for a negative offset or limit.
func (s *Service) ListGroups(ctx context.Context, realm *iam.Realm, p store.Page) ([]*iam.Group, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	list, err := s.Store.Realm(realm.ID).Groups().List(ctx, p)
	return list, store.AsIAM(err, "group", "")
}

// UpdateGroup applies in and returns the result. CodeNotFound for an
// unknown group or new parent; CodeInvalid naming the field, including a
// move under the group itself or one of its subgroups; CodeConflict when
// the new parent already has a subgroup of that name.
func (s *Service) UpdateGroup(ctx context.Context, realm *iam.Realm, groupID string, in GroupUpdate, actorID string) (*iam.Group, error) {
	var g *iam.Group
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if g, err = getGroup(ctx, sc, groupID); err != nil {
			return err
		}
		if in.Name != nil {
			g.Name = strings.TrimSpace(*in.Name)
		}
		if in.Attributes != nil {
			g.Attributes = in.Attributes
		}
		if err := checkGroup(g); err != nil {
			return err
		}
		if in.ParentID != nil && *in.ParentID != g.ParentID {
			if err := checkMove(ctx, sc, g.ID, *in.ParentID); err != nil {
				return err
			}
			g.ParentID = *in.ParentID
		}
		if err := sc.Groups().Update(ctx, g); err != nil {
			return store.AsIAM(err, "group", "a group named "+g.Name+" already exists there")
		}
		return sc.Events().Append(ctx, event(realm, iam.EventGroupUpdated, "", actorID, s.now(), groupDetail(g)))
	})
	if err != nil {
		return nil, store.AsIAM(err, "group", "")
	}
	return g, nil
}

// checkMove refuses a parent that is not a group of the realm, the group
// itself, or one of its subgroups.
func checkMove(ctx context.Context, sc store.Scope, groupID, parentID string) error {
	for id, depth := parentID, 0; id != ""; depth++ {
		if id == groupID || depth > 1000 {
			return iam.Invalid("parentId", "a group cannot be moved under itself or one of its subgroups")
		}
		p, err := getGroup(ctx, sc, id)
		if err != nil {
			if iam.IsCode(err, iam.CodeNotFound) {
				return iam.NotFound("parent group")
			}
			return err
		}
		id = p.ParentID
	}
	return nil
}

// DeleteGroup deletes the group, its subgroups and their memberships.
// CodeNotFound if the realm has no such group.
func (s *Service) DeleteGroup(ctx context.Context, realm *iam.Realm, groupID, actorID string) error {
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		g, err := getGroup(ctx, sc, groupID)
		if err != nil {
			return err
		}
		if err := sc.Groups().Delete(ctx, g.ID); err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventGroupDeleted, "", actorID, s.now(), groupDetail(g)))
	})
	return store.AsIAM(err, "group", "")
}

func getGroup(ctx context.Context, sc store.Scope, groupID string) (*iam.Group, error) {
	if !iam.ValidID(groupID) {
		return nil, iam.NotFound("group")
	}
	g, err := sc.Groups().Get(ctx, groupID)
	if err != nil {
		return nil, store.AsIAM(err, "group", "")
	}
	return g, nil
}

func checkGroup(g *iam.Group) error {
	if err := checkText("name", g.Name, 255, true); err != nil {
		return err
	}
	if strings.Contains(g.Name, "/") {
		return iam.Invalid("name", "a group name cannot contain /")
	}
	for k, vs := range g.Attributes {
		if err := checkText("attributes", k, 255, true); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkText("attributes", v, 4096, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func groupDetail(g *iam.Group) map[string]string {
	return map[string]string{"group_id": g.ID, "group": g.Name}
}
