package directory

import (
	"context"
	"time"

	"iamd/notify"
	"iamd/store"
)

// PasswordHasher turns a clear password into a stored hash.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	InHistory(ctx context.Context, password string, hashes []string) (bool, error)
}

// Service is the administration use-case layer.
type Service struct {
	Store     store.Store
	Passwords PasswordHasher
	// Templates renders the messages use cases enqueue (invitations);
	// nil uses the embedded default templates.
	Templates *notify.Templates
	Now       func() time.Time // UTC, truncated to microseconds; time.Now if nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}
