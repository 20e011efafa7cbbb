package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// riskbits implements store.Riskbits; risk is unique per realm, exactly as
// written.
type riskbits struct{ s scope }

const riskbitCols = "id, realm_id, risk, rating_level, score, risk_android, risk_ios, operation, created_at"

func scanRiskbit(sc scanner) (*iam.Riskbit, error) {
	var r iam.Riskbit
	err := sc.Scan(&r.ID, &r.RealmID, &r.Risk, &r.RatingLevel, &r.Score, &r.RiskAndroid, &r.RiskIOS,
		&r.Operation, timeCol{&r.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (x riskbits) Create(ctx context.Context, r *iam.Riskbit) error {
	_, err := x.s.write(ctx, "INSERT INTO riskbits ("+riskbitCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?)",
		r.ID, r.Risk, r.RatingLevel, r.Score, r.RiskAndroid, r.RiskIOS, r.Operation, micros(r.CreatedAt))
	if err == nil {
		r.RealmID = x.s.realm
	}
	return err
}

func (x riskbits) Get(ctx context.Context, id string) (*iam.Riskbit, error) {
	return one(ctx, x.s, scanRiskbit, "SELECT "+riskbitCols+" FROM riskbits WHERE realm_id = :realm AND id = ?", id)
}

func (x riskbits) GetByRisk(ctx context.Context, risk string) (*iam.Riskbit, error) {
	return one(ctx, x.s, scanRiskbit, "SELECT "+riskbitCols+" FROM riskbits WHERE realm_id = :realm AND risk = ?", risk)
}

func (x riskbits) List(ctx context.Context, p store.Page) ([]*iam.Riskbit, error) {
	limit, offset := window(p)
	return all(ctx, x.s, scanRiskbit, "SELECT "+riskbitCols+" FROM riskbits WHERE realm_id = :realm ORDER BY risk, id"+pageSQL,
		limit, offset)
}

// Update writes every field but ID, RealmID and CreatedAt.
func (x riskbits) Update(ctx context.Context, r *iam.Riskbit) error {
	return x.s.writeOne(ctx, `UPDATE riskbits SET risk = ?, rating_level = ?, score = ?, risk_android = ?,
		risk_ios = ?, operation = ? WHERE realm_id = :realm AND id = ?`,
		r.Risk, r.RatingLevel, r.Score, r.RiskAndroid, r.RiskIOS, r.Operation, r.ID)
}

func (x riskbits) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM riskbits WHERE realm_id = :realm AND id = ?", id)
}

func (x riskbits) DeleteAll(ctx context.Context) (int, error) {
	return x.s.affected(ctx, "DELETE FROM riskbits WHERE realm_id = :realm")
}
