package signer

import (
	"context"
	"errors"
	"time"

	"iamd/iam"
	"iamd/store"
)

// Rotation is what RotateKeys changed.
type Rotation struct {
	New     []*iam.SigningKey // the new current keys, in Algorithms order
	Retired []*iam.SigningKey // the keys they replace, RetiredAt and ExpiresAt set
	Deleted int               // keys past their expiry, removed on the way
}

// RotateKeys is Rotate reporting what it did. In one transaction it
// creates a new key per algorithm, retires every current key of the realm
// (RetiredAt now, ExpiresAt now+Overlap) and deletes keys already expired.
// A key another replica retired meanwhile keeps its expiry. The private
// parts of the returned keys are sealed.
func (k *Keys) RotateKeys(ctx context.Context, realm *iam.Realm) (*Rotation, error) {
	now := k.now()
	out := &Rotation{}
	// RSA generation takes a while; do it before the transaction.
	for _, alg := range Algorithms {
		rec, err := k.generate(realm.ID, alg, now)
		if err != nil {
			return nil, err
		}
		out.New = append(out.New, rec)
	}
	rk := k.realm(realm.ID)
	rk.mu.Lock()
	defer rk.mu.Unlock()
	err := k.Store.InTx(ctx, func(tx store.Tx) error {
		out.Retired, out.Deleted = nil, 0
		keys := tx.Realm(realm.ID).Keys()
		old, err := keys.List(ctx)
		if err != nil {
			return err
		}
		for _, rec := range out.New {
			if err := keys.Create(ctx, rec); err != nil {
				return err
			}
		}
		return k.retireAll(ctx, keys, old, now, out)
	})
	if err != nil {
		return nil, store.AsIAM(err, "realm", "")
	}
	// The cache is refreshed so that this replica signs with the new keys
	// at once; a failure here only delays that until the next refresh.
	_, _ = k.load(ctx, realm.ID, rk)
	return out, nil
}

func (k *Keys) retireAll(ctx context.Context, keys store.Keys, old []*iam.SigningKey, now time.Time, out *Rotation) error {
	expires := now.Add(k.overlap())
	for _, rec := range old {
		switch {
		case rec.Current():
			err := keys.Retire(ctx, rec.ID, now, expires)
			if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
				continue // retired or deleted by a concurrent rotation
			}
			if err != nil {
				return err
			}
			r := *rec
			r.RetiredAt, r.ExpiresAt = &now, &expires
			out.Retired = append(out.Retired, &r)
		case !rec.Published(now):
			err := keys.Delete(ctx, rec.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil {
				out.Deleted++
			}
		}
	}
	return nil
}
