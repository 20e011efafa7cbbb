package directory

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// CreateRealm creates an enabled realm with default settings. It returns
// CodeInvalid for a bad name and CodeConflict when the name is taken.
func (s *Service) CreateRealm(ctx context.Context, name, displayName string) (*iam.Realm, error) {
	if err := iam.ValidateRealmName(name); err != nil {
		return nil, err
	}
	now := s.now()
	r := &iam.Realm{ID: iam.NewID(), Name: name, DisplayName: displayName, Enabled: true, CreatedAt: now, UpdatedAt: now}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.Realms().Create(ctx, r); err != nil {
			return store.AsIAM(err, "realm", "realm "+name+" already exists")
		}
		return tx.Realm(r.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: r.ID, Type: iam.EventRealmCreated, CreatedAt: now})
	})
	if err != nil {
		return nil, store.AsIAM(err, "realm", "")
	}
	return r, nil
}

// RealmByName returns the realm; CodeNotFound if there is none.
func (s *Service) RealmByName(ctx context.Context, name string) (*iam.Realm, error) {
	if iam.ValidateRealmName(name) != nil {
		return nil, iam.NotFound("realm " + truncate(name))
	}
	r, err := s.Store.Realms().GetByName(ctx, name)
	if err != nil {
		return nil, store.AsIAM(err, "realm "+name, "")
	}
	return r, nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
