package authn

import (
	"context"
	"time"

	"iamd/store"
)

// SweepExpired deletes the one-time codes of every realm that expired
// before now (sign-in codes, link tokens, login flow records, TOTP step
// claims) and returns how many went. Used codes need no keeping: an expired
// code is refused whether its row exists or not.
func (s *Service) SweepExpired(ctx context.Context) (int, error) {
	now := s.now()
	total := 0
	for offset := 0; ; offset += 100 {
		realms, err := s.Store.Realms().List(ctx, store.Page{Offset: offset, Limit: 100})
		if err != nil {
			return total, err
		}
		for _, r := range realms {
			n, err := s.Store.Realm(r.ID).Codes().DeleteExpired(ctx, now)
			if err != nil {
				return total, err
			}
			total += n
		}
		if len(realms) < 100 {
			return total, nil
		}
	}
}

// RunSweeper calls SweepExpired every interval until ctx ends; errors
// (a database outage) are only retried at the next tick.
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = s.SweepExpired(ctx)
		}
	}
}
