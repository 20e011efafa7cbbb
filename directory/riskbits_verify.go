package directory

import (
	"context"
	"strconv"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// Platforms of VerifyDeviceRisk.
const (
	PlatformIOS     = "ios"
	PlatformAndroid = "android"
)

// VerifyDeviceRisk answers document 001's "Verify Device Risk": the
// riskbits whose risk name for platform ("ios" or "android",
// case-insensitive) is riskName, compared exactly. The result is empty
// (not an error) when nothing matches or when riskbits are disabled for
// the realm (Settings.RiskbitsEnabled false): then no device risk
// applies. CodeInvalid names a missing risk name or an unknown platform.
func (s *Service) VerifyDeviceRisk(ctx context.Context, realm *iam.Realm, riskName, platform string) ([]*iam.Riskbit, error) {
	riskName = strings.TrimSpace(riskName)
	if err := checkText("riskName", riskName, 255, true); err != nil {
		return nil, err
	}
	platform = strings.ToLower(strings.TrimSpace(platform))
	if platform != PlatformIOS && platform != PlatformAndroid {
		return nil, iam.Invalid("platform", "platform must be %q or %q", PlatformIOS, PlatformAndroid)
	}
	if !realm.Settings.RiskbitsEnabled {
		return []*iam.Riskbit{}, nil
	}
	out := []*iam.Riskbit{}
	sc := s.Store.Realm(realm.ID)
	for off := 0; ; off += 1000 {
		list, err := sc.Riskbits().List(ctx, store.Page{Offset: off, Limit: 1000})
		if err != nil {
			return nil, store.AsIAM(err, "riskbit", "")
		}
		for _, r := range list {
			name := r.RiskIOS
			if platform == PlatformAndroid {
				name = r.RiskAndroid
			}
			if name == riskName {
				out = append(out, r)
			}
		}
		if len(list) < 1000 {
			return out, nil
		}
	}
}

// SetRiskbitStatus turns riskbit evaluation on or off for the realm
// (document 001's riskbit status) and returns the realm as stored. The
// realm is read again inside the transaction, so a concurrent change of
// another setting is not lost. CodeNotFound if the realm is gone.
func (s *Service) SetRiskbitStatus(ctx context.Context, realm *iam.Realm, enabled bool, actorID string) (*iam.Realm, error) {
	var r *iam.Realm
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		if r, err = tx.Realms().Get(ctx, realm.ID); err != nil {
			return err
		}
		r.Settings.RiskbitsEnabled, r.UpdatedAt = enabled, s.now()
		if err := tx.Realms().Update(ctx, r); err != nil {
			return err
		}
		return tx.Realm(r.ID).Events().Append(ctx, event(r, iam.EventRiskbitStatusChanged, "", actorID, r.UpdatedAt,
			map[string]string{"enabled": strconv.FormatBool(enabled)}))
	})
	if err != nil {
		return nil, store.AsIAM(err, "realm", "")
	}
	return r, nil
}
