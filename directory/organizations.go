package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// Organizations are named by orgRef in every method: the organization's
// UUID, or its numeric id (document 000's tenantId) in decimal. A
// soft-deleted organization, another realm's, or a malformed ref is
// CodeNotFound.

// NewOrganization is what an administrator (or a signing-up user) gives to
// create an organization.
type NewOrganization struct {
	Name        string // unique per realm among live organizations, case-insensitively
	DisplayName string // defaults to Name
	Attributes  map[string]string
	// CreatorID, when set, must be a live user of the realm; it becomes a
	// member with CreatorRoles in the same transaction.
	CreatorID    string
	CreatorRoles []iam.OrgRole
}

// OrganizationUpdate changes the fields that are set; nil leaves a field
// as it is. Attributes, when non-nil, replaces all attributes.
type OrganizationUpdate struct {
	Name        *string
	DisplayName *string
	Attributes  map[string]string
}

// CreateOrganization validates in and stores the organization (and the
// creator's membership) with an audit event in one transaction.
// CodeInvalid names the bad field (a role of an unknown app is "roles");
// CodeNotFound means the creator is not a live user of the realm;
// CodeConflict means the name is taken in the realm.
func (s *Service) CreateOrganization(ctx context.Context, realm *iam.Realm, in NewOrganization, actorID string) (*iam.Organization, error) {
	var o *iam.Organization
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		o, err = s.InsertOrganization(ctx, tx, realm, in, actorID)
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "organization", "")
	}
	return o, nil
}

// InsertOrganization is CreateOrganization through tx, so that a caller
// can commit it together with more (a signing-up user). Errors as
// CreateOrganization.
func (s *Service) InsertOrganization(ctx context.Context, tx store.Tx, realm *iam.Realm, in NewOrganization, actorID string) (*iam.Organization, error) {
	now := s.now()
	o := &iam.Organization{
		ID: iam.NewID(), RealmID: realm.ID, Name: strings.TrimSpace(in.Name),
		DisplayName: strings.TrimSpace(in.DisplayName), Attributes: in.Attributes,
		CreatedAt: now, UpdatedAt: now,
	}
	if o.DisplayName == "" {
		o.DisplayName = o.Name
	}
	if err := checkOrganization(o); err != nil {
		return nil, err
	}
	if in.CreatorID == "" && len(in.CreatorRoles) > 0 {
		return nil, iam.Invalid("creatorRoles", "roles for the creator need a creator")
	}
	sc := tx.Realm(realm.ID)
	var roles []iam.OrgRole
	if in.CreatorID != "" {
		if _, err := liveUser(ctx, sc, in.CreatorID); err != nil {
			return nil, err
		}
		var err error
		if roles, err = normalizeOrgRoles(ctx, sc, in.CreatorRoles); err != nil {
			return nil, err
		}
	}
	if err := sc.Organizations().Create(ctx, o); err != nil {
		return nil, store.AsIAM(err, "organization", "an organization named "+o.Name+" already exists")
	}
	if err := sc.Events().Append(ctx, orgEvent(realm, iam.EventOrgCreated, o, "", actorID, now)); err != nil {
		return nil, err
	}
	if in.CreatorID == "" {
		return o, nil
	}
	m := &iam.Membership{OrgID: o.ID, UserID: in.CreatorID, Roles: roles, Status: memberActive, CreatedAt: now, UpdatedAt: now}
	if err := sc.Organizations().PutMember(ctx, m); err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return o, sc.Events().Append(ctx, orgEvent(realm, iam.EventMemberAdded, o, in.CreatorID, actorID, now))
}

// FreeOrganizationName returns name when no live organization of the
// realm has it (case-insensitively), else name with a short random suffix
// that none has: a self-service sign-up must not fail because another
// company chose the same name. The answer is a hint, not a reservation; a
// racing creation still gets CodeConflict from InsertOrganization.
func (s *Service) FreeOrganizationName(ctx context.Context, realm *iam.Realm, name string) (string, error) {
	name = strings.TrimSpace(name)
	sc := s.Store.Realm(realm.ID)
	for i := 0; i < 5; i++ {
		candidate := name
		if i > 0 {
			candidate = name + " (" + iam.NewSecret(3) + ")"
		}
		list, _, err := sc.Organizations().List(ctx, candidate, store.Page{Limit: 1000})
		if err != nil {
			return "", store.AsIAM(err, "organization", "")
		}
		if !slices.ContainsFunc(list, func(o *iam.Organization) bool { return o.DeletedAt == nil && strings.EqualFold(o.Name, candidate) }) {
			return candidate, nil
		}
	}
	return name + " (" + iam.NewID()[:8] + ")", nil
}

// GetOrganization returns the live organization orgRef; CodeNotFound if
// there is none.
func (s *Service) GetOrganization(ctx context.Context, realm *iam.Realm, orgRef string) (*iam.Organization, error) {
	return liveOrg(ctx, s.Store.Realm(realm.ID), orgRef)
}

// ListOrganizations returns live organizations whose name or display name
// contains search (case-insensitively), by name, and the total count.
// CodeInvalid for a negative offset or limit.
func (s *Service) ListOrganizations(ctx context.Context, realm *iam.Realm, search string, p store.Page) ([]*iam.Organization, int, error) {
	if err := checkPage(p); err != nil {
		return nil, 0, err
	}
	if len(search) > 255 {
		return nil, 0, iam.Invalid("search", "search is longer than 255 characters")
	}
	list, total, err := s.Store.Realm(realm.ID).Organizations().List(ctx, search, p)
	if err != nil {
		return nil, 0, store.AsIAM(err, "organization", "")
	}
	return list, total, nil
}

// UpdateOrganization applies in and returns the result. CodeNotFound,
// CodeInvalid naming the field, or CodeConflict when the new name is taken.
func (s *Service) UpdateOrganization(ctx context.Context, realm *iam.Realm, orgRef string, in OrganizationUpdate, actorID string) (*iam.Organization, error) {
	var o *iam.Organization
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if o, err = liveOrg(ctx, sc, orgRef); err != nil {
			return err
		}
		if in.Name != nil {
			o.Name = strings.TrimSpace(*in.Name)
		}
		if in.DisplayName != nil {
			o.DisplayName = strings.TrimSpace(*in.DisplayName)
		}
		if in.Attributes != nil {
			o.Attributes = in.Attributes
		}
		if err := checkOrganization(o); err != nil {
			return err
		}
		o.UpdatedAt = s.now()
		if err := sc.Organizations().Update(ctx, o); err != nil {
			return store.AsIAM(err, "organization", "an organization named "+o.Name+" already exists")
		}
		return sc.Events().Append(ctx, orgEvent(realm, iam.EventOrgUpdated, o, "", actorID, o.UpdatedAt))
	})
	if err != nil {
		return nil, store.AsIAM(err, "organization", "")
	}
	return o, nil
}

// DeleteOrganization soft-deletes the organization, freeing its name. In
// the same transaction it removes every membership (so no token is issued
// for it again) and revokes its pending invitations. CodeNotFound if it
// is absent or already deleted.
func (s *Service) DeleteOrganization(ctx context.Context, realm *iam.Realm, orgRef, actorID string) error {
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := liveOrg(ctx, sc, orgRef)
		if err != nil {
			return err
		}
		if err := sc.Organizations().SoftDelete(ctx, o.ID, now); err != nil {
			return err
		}
		removed, err := removeAllMembers(ctx, sc, o.ID)
		if err != nil {
			return err
		}
		revoked, err := revokePendingInvitations(ctx, sc, o.ID, now)
		if err != nil {
			return err
		}
		e := orgEvent(realm, iam.EventOrgDeleted, o, "", actorID, now)
		e.Detail["members_removed"] = strconv.Itoa(removed)
		e.Detail["invitations_revoked"] = strconv.Itoa(revoked)
		return sc.Events().Append(ctx, e)
	})
	return store.AsIAM(err, "organization", "")
}

func removeAllMembers(ctx context.Context, sc store.Scope, orgID string) (int, error) {
	n := 0
	for {
		ms, _, err := sc.Organizations().Members(ctx, orgID, store.Page{Limit: 1000})
		if err != nil || len(ms) == 0 {
			return n, err
		}
		for _, m := range ms {
			if err := sc.Organizations().RemoveMember(ctx, orgID, m.UserID); err != nil {
				return n, err
			}
			n++
		}
	}
}

// liveOrg resolves orgRef to a live organization of the scope's realm.
func liveOrg(ctx context.Context, sc store.Scope, orgRef string) (*iam.Organization, error) {
	o, err := findOrg(ctx, sc, orgRef)
	if err != nil {
		return nil, err
	}
	if o.DeletedAt != nil {
		return nil, iam.NotFound("organization")
	}
	return o, nil
}

// findOrg resolves orgRef (UUID or decimal numeric id) to an organization
// of the scope's realm, a soft-deleted one included.
func findOrg(ctx context.Context, sc store.Scope, orgRef string) (*iam.Organization, error) {
	var (
		o   *iam.Organization
		err error
	)
	if iam.ValidID(orgRef) {
		o, err = sc.Organizations().Get(ctx, orgRef)
	} else if num, perr := strconv.ParseInt(orgRef, 10, 64); perr == nil && num > 0 {
		o, err = sc.Organizations().GetByNum(ctx, num)
	} else {
		return nil, iam.NotFound("organization")
	}
	if err != nil {
		return nil, store.AsIAM(err, "organization", "")
	}
	return o, nil
}

func checkOrganization(o *iam.Organization) error {
	if err := checkText("name", o.Name, 255, true); err != nil {
		return err
	}
	if err := checkText("displayName", o.DisplayName, 255, false); err != nil {
		return err
	}
	return checkAttributes("attributes", o.Attributes)
}

func orgEvent(realm *iam.Realm, typ string, o *iam.Organization, userID, actorID string, at time.Time) *iam.Event {
	return event(realm, typ, userID, actorID, at, map[string]string{"organization_id": o.ID, "organization": o.Name})
}
