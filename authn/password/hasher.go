package password

import (
	"context"
	"crypto/rand"
	"errors"
	"runtime"
	"sync/atomic"
)

// Params are the argon2id parameters of new hashes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's first argon2id recommendation: 19 MiB, two
// passes, one lane, a 16-byte salt and a 32-byte hash.
func DefaultParams() Params {
	return Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// withDefaults fills every zero field from DefaultParams.
func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLen == 0 {
		p.SaltLen = d.SaltLen
	}
	if p.KeyLen < 4 { // argon2 tags are at least 4 bytes
		p.KeyLen = d.KeyLen
	}
	// argon2 needs 8 KiB per lane; x/crypto would raise it silently, which
	// would make the m= we write disagree with the memory really used.
	if min := 8 * uint32(p.Threads); p.Memory < min {
		p.Memory = min
	}
	return p
}

// ErrUnsupportedFormat is wrapped by every error Verify returns for a stored
// hash it cannot use: an unknown scheme, fields that do not parse, or
// parameters out of range. Its message never contains the hash.
var ErrUnsupportedFormat = errors.New("unsupported password hash format")

// Hasher hashes and verifies passwords, at most a fixed number at a time.
// It is safe for concurrent use.
type Hasher struct {
	params Params
	sem    chan struct{}
	queued atomic.Int64 // callers waiting for sem
	dummy  string       // argon2id hash of no password, for VerifyUnknownUser

	// testHookAcquired, when set, runs while a slot is held, before the work.
	testHookAcquired func()
}

// New returns a Hasher that makes argon2id hashes with p (zero fields take
// DefaultParams values) and runs at most concurrency hash or verify
// computations at once; concurrency <= 0 means runtime.NumCPU().
func New(p Params, concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	p = p.withDefaults()
	h := &Hasher{
		params: p,
		sem:    make(chan struct{}, concurrency),
	}
	// Random bytes that are no password's hash: verifying against them costs
	// exactly one argon2id computation with the current parameters.
	salt, key := make([]byte, p.SaltLen), make([]byte, p.KeyLen)
	rand.Read(salt)
	rand.Read(key)
	h.dummy = encodeArgon2(argon2id, p, salt, key)
	return h
}

// Params returns the parameters of new hashes, defaults filled in.
func (h *Hasher) Params() Params { return h.params }

// QueueLength reports how many callers are waiting for a slot.
func (h *Hasher) QueueLength() int { return int(h.queued.Load()) }

// InFlight reports how many hash or verify computations are running.
func (h *Hasher) InFlight() int { return len(h.sem) }

// acquire takes a slot, waiting in line while all are busy; it returns
// ctx.Err() if ctx ends first.
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
	default:
		h.queued.Add(1)
		select {
		case h.sem <- struct{}{}:
			h.queued.Add(-1)
		case <-ctx.Done():
			h.queued.Add(-1)
			return ctx.Err()
		}
	}
	if h.testHookAcquired != nil {
		h.testHookAcquired()
	}
	return nil
}

func (h *Hasher) release() { <-h.sem }

// Hash returns a new argon2id PHC string for password with a random salt.
// It fails only when ctx ends while waiting for a slot, with ctx.Err().
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	rand.Read(salt)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := argon2Key(argon2id, password, salt, h.params)
	return encodeArgon2(argon2id, h.params, salt, key), nil
}

// Verify reports whether password matches the stored hash encoded, in any
// format the package doc lists. needsRehash is true when it matches but the
// hash is not argon2id with the Hasher's current parameters: the caller
// should then store a fresh Hash. A wrong password is (false, false, nil).
// The error is ctx.Err() when ctx ends while waiting for a slot, or wraps
// ErrUnsupportedFormat when encoded cannot be used.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	s, err := parse(encoded)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	if !s.matches(password) {
		return false, false, nil
	}
	return true, !s.current(h.params), nil
}

// VerifyUnknownUser spends what verifying password against a real argon2id
// hash with the current parameters costs, and matches nothing. Call it when
// the user does not exist (or has no password), so that the answer takes as
// long as for a wrong password. The error is ctx.Err() or nil.
func (h *Hasher) VerifyUnknownUser(ctx context.Context, password string) error {
	_, _, err := h.Verify(ctx, password, h.dummy)
	return err
}

// InHistory reports whether password matches any of hashes, for a realm that
// forbids reusing its last PasswordPolicy.HistoryCount passwords; pass only
// that many. Hashes in an unsupported format are skipped. The error is
// ctx.Err() when ctx ends while waiting.
func (h *Hasher) InHistory(ctx context.Context, password string, hashes []string) (bool, error) {
	for _, encoded := range hashes {
		ok, _, err := h.Verify(ctx, password, encoded)
		switch {
		case errors.Is(err, ErrUnsupportedFormat):
			continue
		case err != nil:
			return false, err
		case ok:
			return true, nil
		}
	}
	return false, nil
}
