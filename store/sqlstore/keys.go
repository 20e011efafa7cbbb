package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// signingKeys implements store.Keys.
type signingKeys struct{ s scope }

const keyCols = "id, realm_id, alg, private_enc, public_der, created_at, retired_at, expires_at"

func scanKey(sc scanner) (*iam.SigningKey, error) {
	var k iam.SigningKey
	err := sc.Scan(&k.ID, &k.RealmID, &k.Alg, &k.PrivateEnc, &k.Public,
		timeCol{&k.CreatedAt}, nullTimeCol{&k.RetiredAt}, nullTimeCol{&k.ExpiresAt})
	if err != nil {
		return nil, err
	}
	return &k, nil
}

func (x signingKeys) Create(ctx context.Context, k *iam.SigningKey) error {
	_, err := x.s.write(ctx, "INSERT INTO signing_keys ("+keyCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?)",
		k.ID, k.Alg, k.PrivateEnc, k.Public, micros(k.CreatedAt), microsOrNull(k.RetiredAt), microsOrNull(k.ExpiresAt))
	if err == nil {
		k.RealmID = x.s.realm
	}
	return err
}

func (x signingKeys) List(ctx context.Context) ([]*iam.SigningKey, error) {
	return all(ctx, x.s, scanKey,
		"SELECT "+keyCols+" FROM signing_keys WHERE realm_id = :realm ORDER BY created_at DESC, id")
}

func (x signingKeys) Retire(ctx context.Context, id string, at, expires time.Time) error {
	n, err := x.s.affected(ctx, `UPDATE signing_keys SET retired_at = ?, expires_at = ?
		WHERE realm_id = :realm AND id = ? AND retired_at IS NULL`, micros(at), micros(expires), id)
	if err != nil || n > 0 {
		return err
	}
	return x.s.notFoundOr(ctx, "signing_keys", id, store.ErrConflict)
}

func (x signingKeys) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM signing_keys WHERE realm_id = :realm AND id = ?", id)
}
