package directory

import (
	"context"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// RiskbitInput is a device-risk rule of document 001 as an administrator
// writes it.
type RiskbitInput struct {
	Risk        string // required, unique per realm (as written)
	RatingLevel string // required
	Score       int
	RiskAndroid string // the risk name an Android device reports
	RiskIOS     string // the risk name an iOS device reports
	Operation   string // required: what to do with such a device
}

// CreateRiskbit stores one riskbit. CodeInvalid names the bad field;
// CodeConflict when the realm already has a riskbit with that risk.
func (s *Service) CreateRiskbit(ctx context.Context, realm *iam.Realm, in RiskbitInput, actorID string) (*iam.Riskbit, error) {
	list, err := s.CreateRiskbits(ctx, realm, []RiskbitInput{in}, actorID)
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// CreateRiskbits stores a list of riskbits, all or none. Errors as
// CreateRiskbit (a risk repeated within the list is a conflict too);
// CodeInvalid ("riskbits") for an empty list.
func (s *Service) CreateRiskbits(ctx context.Context, realm *iam.Realm, in []RiskbitInput, actorID string) ([]*iam.Riskbit, error) {
	if len(in) == 0 {
		return nil, iam.Invalid("riskbits", "no riskbits given")
	}
	now := s.now()
	out := make([]*iam.Riskbit, len(in))
	for i, r := range in {
		out[i] = &iam.Riskbit{ID: iam.NewID(), RealmID: realm.ID, CreatedAt: now}
		if err := applyRiskbit(out[i], r); err != nil {
			return nil, err
		}
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		for _, r := range out {
			if err := sc.Riskbits().Create(ctx, r); err != nil {
				return store.AsIAM(err, "riskbit", "a riskbit with risk "+truncate(r.Risk)+" already exists")
			}
		}
		return sc.Events().Append(ctx, riskbitEvent(realm, "create", len(out), actorID, now))
	})
	if err != nil {
		return nil, store.AsIAM(err, "riskbit", "")
	}
	return out, nil
}

// GetRiskbit returns a riskbit by id; CodeNotFound if the realm has none.
func (s *Service) GetRiskbit(ctx context.Context, realm *iam.Realm, id string) (*iam.Riskbit, error) {
	if !iam.ValidID(id) {
		return nil, iam.NotFound("riskbit")
	}
	r, err := s.Store.Realm(realm.ID).Riskbits().Get(ctx, id)
	if err != nil {
		return nil, store.AsIAM(err, "riskbit", "")
	}
	return r, nil
}

// ListRiskbits returns the realm's riskbits by risk. CodeInvalid for a
// negative offset or limit.
func (s *Service) ListRiskbits(ctx context.Context, realm *iam.Realm, p store.Page) ([]*iam.Riskbit, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	list, err := s.Store.Realm(realm.ID).Riskbits().List(ctx, p)
	return list, store.AsIAM(err, "riskbit", "")
}

// UpdateRiskbit replaces every field of the riskbit with in. CodeNotFound,
// CodeInvalid naming the field, CodeConflict when the new risk is taken.
func (s *Service) UpdateRiskbit(ctx context.Context, realm *iam.Realm, id string, in RiskbitInput, actorID string) (*iam.Riskbit, error) {
	var r *iam.Riskbit
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if !iam.ValidID(id) {
			return iam.NotFound("riskbit")
		}
		if r, err = sc.Riskbits().Get(ctx, id); err != nil {
			return err
		}
		if err := applyRiskbit(r, in); err != nil {
			return err
		}
		if err := sc.Riskbits().Update(ctx, r); err != nil {
			return store.AsIAM(err, "riskbit", "a riskbit with risk "+truncate(r.Risk)+" already exists")
		}
		return sc.Events().Append(ctx, riskbitEvent(realm, "update", 1, actorID, s.now()))
	})
	if err != nil {
		return nil, store.AsIAM(err, "riskbit", "")
	}
	return r, nil
}

// DeleteRiskbit deletes one riskbit; CodeNotFound if the realm has none.
func (s *Service) DeleteRiskbit(ctx context.Context, realm *iam.Realm, id, actorID string) error {
	if !iam.ValidID(id) {
		return iam.NotFound("riskbit")
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if err := sc.Riskbits().Delete(ctx, id); err != nil {
			return err
		}
		return sc.Events().Append(ctx, riskbitEvent(realm, "delete", 1, actorID, s.now()))
	})
	return store.AsIAM(err, "riskbit", "")
}

// DeleteAllRiskbits deletes every riskbit of the realm and returns how
// many there were (0 is not an error).
func (s *Service) DeleteAllRiskbits(ctx context.Context, realm *iam.Realm, actorID string) (int, error) {
	var n int
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if n, err = sc.Riskbits().DeleteAll(ctx); err != nil {
			return err
		}
		return sc.Events().Append(ctx, riskbitEvent(realm, "delete_all", n, actorID, s.now()))
	})
	return n, store.AsIAM(err, "riskbit", "")
}

func applyRiskbit(r *iam.Riskbit, in RiskbitInput) error {
	r.Risk, r.RatingLevel, r.Operation = strings.TrimSpace(in.Risk), strings.TrimSpace(in.RatingLevel), strings.TrimSpace(in.Operation)
	r.RiskAndroid, r.RiskIOS, r.Score = strings.TrimSpace(in.RiskAndroid), strings.TrimSpace(in.RiskIOS), in.Score
	for _, f := range []struct {
		name, v  string
		required bool
	}{
		{"risk", r.Risk, true}, {"ratingLevel", r.RatingLevel, true}, {"operation", r.Operation, true},
		{"riskAndroid", r.RiskAndroid, false}, {"riskIOS", r.RiskIOS, false},
	} {
		if err := checkText(f.name, f.v, 255, f.required); err != nil {
			return err
		}
	}
	return nil
}

func riskbitEvent(realm *iam.Realm, op string, n int, actorID string, at time.Time) *iam.Event {
	return event(realm, iam.EventRiskbitsChanged, "", actorID, at, map[string]string{"operation": op, "count": strconv.Itoa(n)})
}
