package sqlstore

import (
	"context"

	"iamd/iam"
)

// credentials implements store.Credentials. The composite foreign key
// (realm_id, user_id) → users makes a credential for another realm's user
// fail with store.ErrNotFound.
type credentials struct{ s scope }

const credentialCols = "id, realm_id, user_id, type, label, secret, data, created_at, updated_at"

func scanCredential(sc scanner) (*iam.Credential, error) {
	var c iam.Credential
	err := sc.Scan(&c.ID, &c.RealmID, &c.UserID, &c.Type, &c.Label, &c.Secret, jsonCol{&c.Data},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (x credentials) Create(ctx context.Context, c *iam.Credential) error {
	_, err := x.s.write(ctx, "INSERT INTO credentials ("+credentialCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, c.UserID, c.Type, c.Label, c.Secret, jsonVal{c.Data}, micros(c.CreatedAt), micros(c.UpdatedAt))
	if err == nil {
		c.RealmID = x.s.realm
	}
	return err
}

func (x credentials) Get(ctx context.Context, id string) (*iam.Credential, error) {
	return one(ctx, x.s, scanCredential, "SELECT "+credentialCols+" FROM credentials WHERE realm_id = :realm AND id = ?", id)
}

func (x credentials) List(ctx context.Context, userID, typ string) ([]*iam.Credential, error) {
	var f filter
	f.and("user_id = ?", userID)
	if typ != "" {
		f.and("type = ?", typ)
	}
	return all(ctx, x.s, scanCredential, "SELECT "+credentialCols+" FROM credentials WHERE realm_id = :realm"+
		f.String()+" ORDER BY created_at DESC, id DESC", f.args...)
}

func (x credentials) Update(ctx context.Context, c *iam.Credential) error {
	return x.s.change(ctx, `UPDATE credentials SET label = ?, secret = ?, data = ?, updated_at = ?
		WHERE realm_id = :realm AND id = ?`, c.Label, c.Secret, jsonVal{c.Data}, micros(c.UpdatedAt), c.ID)
}

func (x credentials) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM credentials WHERE realm_id = :realm AND id = ?", id)
}

func (x credentials) DeleteByType(ctx context.Context, userID, typ string) (int, error) {
	return x.s.affected(ctx, "DELETE FROM credentials WHERE realm_id = :realm AND user_id = ? AND type = ?", userID, typ)
}

// FindSocial uses the partial unique index credentials_social, which is
// why type and the empty secret are literals: SQLite uses a partial
// index only when the query repeats its condition.
func (x credentials) FindSocial(ctx context.Context, provider, subject string) (*iam.Credential, error) {
	return one(ctx, x.s, scanCredential, "SELECT "+credentialCols+" FROM credentials WHERE realm_id = :realm"+
		" AND type = 'social' AND secret <> '' AND label = ? AND secret = ?", provider, subject)
}
