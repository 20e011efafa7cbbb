package oidc

import (
	"context"

	"iamd/iam"
)

// audit appends e (type, user, app, IP and detail filled by the caller)
// to realm's audit log. It is best effort: the protocol answer does not
// depend on it, so a failure is logged, not returned. The hot paths
// (client_credentials, a normal refresh, introspection) write no events.
func (p *Provider) audit(ctx context.Context, realm *iam.Realm, e iam.Event) {
	e.ID, e.RealmID, e.CreatedAt = iam.NewID(), realm.ID, p.now()
	if err := p.Store.Realm(realm.ID).Events().Append(ctx, &e); err != nil {
		p.protoLogger().WarnContext(ctx, "audit event not written", "realm", realm.Name, "type", e.Type, "error", err.Error())
	}
}
