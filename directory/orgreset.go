package directory

import (
	"context"
	"strconv"

	"iamd/iam"
	"iamd/store"
)

// OrgReset is the result of ResetOrganization.
type OrgReset struct {
	Organization       *iam.Organization
	MembersRemoved     int
	InvitationsRevoked int
}

// ResetOrganization starts the organization orgRef afresh for its
// administrator adminID (document 000's "reset tenant"): every other
// membership ends and every pending invitation is revoked, while the
// organization (its id, name and attributes) and adminID's membership and
// roles stay. Everything commits in one transaction with an audit event
// (organization.updated, detail reset=true and the counts).
//
// Errors: CodeForbidden unless adminID administers the live organization
// (as RequireOrgAdmin, checked inside the transaction).
func (s *Service) ResetOrganization(ctx context.Context, realm *iam.Realm, orgRef, adminID string) (*OrgReset, error) {
	res := &OrgReset{}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		o, err := s.RequireOrgAdmin(ctx, tx, realm, orgRef, adminID)
		if err != nil {
			return err
		}
		res.Organization = o
		sc := tx.Realm(realm.ID)
		var others []string
		for off := 0; ; off += 1000 {
			ms, _, err := sc.Organizations().Members(ctx, o.ID, store.Page{Offset: off, Limit: 1000})
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.UserID != adminID {
					others = append(others, m.UserID)
				}
			}
			if len(ms) < 1000 {
				break
			}
		}
		for _, id := range others {
			if err := sc.Organizations().RemoveMember(ctx, o.ID, id); err != nil {
				return err
			}
		}
		res.MembersRemoved = len(others)
		if res.InvitationsRevoked, err = revokePendingInvitations(ctx, sc, o.ID, now); err != nil {
			return err
		}
		e := orgEvent(realm, iam.EventOrgUpdated, o, "", adminID, now)
		e.Detail["reset"] = "true"
		e.Detail["members_removed"] = strconv.Itoa(res.MembersRemoved)
		e.Detail["invitations_revoked"] = strconv.Itoa(res.InvitationsRevoked)
		return sc.Events().Append(ctx, e)
	})
	if err != nil {
		return nil, store.AsIAM(err, "organization", "")
	}
	return res, nil
}
