package oidc

import (
	"context"
	"errors"

	"iamd/iam"
	"iamd/store"
)

// errNotMember is the one answer when tokens are asked for an
// organization the user may not have them for.
var errNotMember = iam.Errorf(iam.CodeForbidden, "the user is not a member of the organization")

// checkMember refuses (errNotMember) an organization that is unknown,
// deleted, another realm's, or of which the user is not an active member.
// Every path that puts an organization into a session runs it, so a token
// never names an organization its user does not belong to.
func (p *Provider) checkMember(ctx context.Context, realm *iam.Realm, userID, orgID string) error {
	if !iam.ValidID(orgID) {
		return errNotMember
	}
	sc := p.Store.Realm(realm.ID)
	o, err := sc.Organizations().Get(ctx, orgID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.DeletedAt != nil) {
		return errNotMember
	}
	if err != nil {
		return err
	}
	m, err := sc.Organizations().GetMember(ctx, orgID, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !m.Active()) {
		return errNotMember
	}
	return err
}

// switchOrg moves session s to organization orgID through tx (the store
// itself or a transaction) and updates s to match. The caller has run
// checkMember.
func (p *Provider) switchOrg(ctx context.Context, tx store.Tx, realm *iam.Realm, s *iam.Session, orgID string) error {
	now := p.now()
	if err := tx.Realm(realm.ID).Sessions().Touch(ctx, s.ID, now, orgID); err != nil {
		return err
	}
	s.OrgID, s.LastSeenAt = orgID, now
	return nil
}
