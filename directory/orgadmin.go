package directory

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// DefaultOrgRole is the role (document 000's roleGroup) a person gets in
// an organization when whoever adds or invites them names none.
const DefaultOrgRole = "user"

// AdministeredOrganization returns the live organization orgRef when
// actor may administer its people: a realm administrator every
// organization of the realm, anyone else one they administer
// (RequireOrgAdmin).
//
// Errors: CodeNotFound for an unknown or deleted organization when the
// actor is a realm administrator; otherwise CodeForbidden for any
// organization the actor does not administer, an unknown one included.
func (s *Service) AdministeredOrganization(ctx context.Context, realm *iam.Realm, orgRef string, actor Actor) (*iam.Organization, error) {
	return s.administeredOrg(ctx, s.Store, realm, orgRef, actor)
}

// administeredOrg is AdministeredOrganization through tx (a transaction,
// so that the check and the change see the same state).
func (s *Service) administeredOrg(ctx context.Context, tx store.Tx, realm *iam.Realm, orgRef string, actor Actor) (*iam.Organization, error) {
	if actor.RealmAdmin {
		return liveOrg(ctx, tx.Realm(realm.ID), orgRef)
	}
	return s.RequireOrgAdmin(ctx, tx, realm, orgRef, actor.UserID)
}
