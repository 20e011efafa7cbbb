package authn

import (
	"context"
	"sync"
	"time"

	"iamd/authn/social"
	"iamd/directory"
	"iamd/notify"
	"iamd/store"
)

// Passwords is the password hasher authn needs.
type Passwords interface {
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches encoded, and whether encoded
	// should be replaced by a fresh hash (an imported or weaker format).
	Verify(ctx context.Context, password, encoded string) (ok, rehash bool, err error)
	// VerifyUnknownUser spends the time of one Verify, so that an unknown
	// login costs what a wrong password costs.
	VerifyUnknownUser(ctx context.Context, password string) error
}

// Service is the authentication use-case layer.
type Service struct {
	Store     store.Store
	Passwords Passwords
	// Directory holds the rules about users and organizations: SignUp
	// creates them through it, the code sign-ins and resends find users
	// by e-mail or phone with it.
	Directory *directory.Service
	Throttle  *Throttle // per-IP attempt limit; nil disables it
	Templates *notify.Templates
	// CodeKey keys the hashes of one-time codes (derived from the master
	// key, so a leaked database alone does not reveal codes).
	CodeKey []byte
	// Unseal opens a TOTP seed sealed with the master key (see VerifyTOTP
	// for the stored form). nil means seeds are stored as plain base32,
	// which only tests should do.
	Unseal func([]byte) ([]byte, error)
	// Seal is Unseal's counterpart: it seals a new TOTP seed with the
	// master key (no additional data). Set both or neither.
	Seal func([]byte) []byte
	// Social opens the realms' upstream identity providers for social
	// sign-in (socialsignin.go); nil means connectors with their
	// defaults, made on first use.
	Social     *social.Connectors
	socialOnce sync.Once
	Now        func() time.Time // UTC, microseconds; time.Now if nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}
