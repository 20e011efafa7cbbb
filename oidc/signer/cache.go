package signer

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"iamd/store"
)

// realmKeys caches one realm's keys. Readers load the snapshot without a
// lock; mu serialises reading the store and creating keys.
type realmKeys struct {
	mu   sync.Mutex
	snap atomic.Pointer[snapshot]
}

// snapshot is a realm's key list as read at one moment. It is never
// changed after it is published.
type snapshot struct {
	started time.Time // wall clock (monotonic) when the read began
	clockAt time.Time // Keys.now() then
	keys    []*key    // newest first, as store.Keys.List orders them
}

// current returns the newest non-retired key of alg, or nil.
func (s *snapshot) current(alg string) *key {
	for _, k := range s.keys {
		if k.rec.Alg == alg && k.rec.Current() {
			return k
		}
	}
	return nil
}

func (s *snapshot) find(kid string) *key {
	for _, k := range s.keys {
		if k.rec.ID == kid {
			return k
		}
	}
	return nil
}

func (k *Keys) realm(realmID string) *realmKeys {
	if rk, ok := k.realms.Load(realmID); ok {
		return rk.(*realmKeys)
	}
	rk, _ := k.realms.LoadOrStore(realmID, &realmKeys{})
	return rk.(*realmKeys)
}

func (k *Keys) stale(s *snapshot) bool {
	d := k.refresh()
	now := k.now()
	return time.Since(s.started) >= d || now.Sub(s.clockAt) >= d || now.Before(s.clockAt)
}

// snapshot returns the realm's cached keys, reading them when there are
// none yet or they are stale. While one caller refreshes a stale snapshot
// the others keep using it, and a failed refresh keeps it (signing goes on
// while the database is briefly away; the next call tries again).
func (k *Keys) snapshot(ctx context.Context, realmID string) (*snapshot, error) {
	rk := k.realm(realmID)
	s := rk.snap.Load()
	if s != nil && !k.stale(s) {
		return s, nil
	}
	if s != nil {
		if !rk.mu.TryLock() {
			return s, nil
		}
	} else {
		rk.mu.Lock()
	}
	defer rk.mu.Unlock()
	if cur := rk.snap.Load(); cur != nil && cur != s && !k.stale(cur) {
		return cur, nil
	}
	fresh, err := k.load(ctx, realmID, rk)
	if err != nil && s != nil {
		return s, nil
	}
	return fresh, err
}

// reload reads the realm's keys again unless a read that began after since
// has already finished: a key committed before since is then in the cache.
func (k *Keys) reload(ctx context.Context, realmID string, since time.Time) (*snapshot, error) {
	rk := k.realm(realmID)
	rk.mu.Lock()
	defer rk.mu.Unlock()
	if s := rk.snap.Load(); s != nil && s.started.After(since) {
		return s, nil
	}
	return k.load(ctx, realmID, rk)
}

// lookup finds a key by kid, reading the store once more on a miss:
// another replica may have rotated since the cache was filled. nil if the
// realm has no such key.
func (k *Keys) lookup(ctx context.Context, realmID, kid string) (*key, error) {
	since := time.Now()
	s, err := k.snapshot(ctx, realmID)
	if err != nil {
		return nil, err
	}
	if key := s.find(kid); key != nil {
		return key, nil
	}
	if s, err = k.reload(ctx, realmID, since); err != nil {
		return nil, err
	}
	return s.find(kid), nil
}

// currentKey returns the key that signs alg now, creating it on first use.
func (k *Keys) currentKey(ctx context.Context, realmID, alg string) (*key, error) {
	since := time.Now()
	s, err := k.snapshot(ctx, realmID)
	if err != nil {
		return nil, err
	}
	if key := s.current(alg); key != nil {
		return key, nil
	}
	if s, err = k.ensure(ctx, realmID, since, alg); err != nil {
		return nil, err
	}
	return s.current(alg), nil
}

// ensure makes sure the realm has a current key of each alg, creating the
// missing ones, and returns the snapshot that shows them. A snapshot read
// after since that already has them is returned as is, so callers queued
// behind the one that created the keys do not read the store again.
func (k *Keys) ensure(ctx context.Context, realmID string, since time.Time, algs ...string) (*snapshot, error) {
	rk := k.realm(realmID)
	rk.mu.Lock()
	defer rk.mu.Unlock()
	s := rk.snap.Load()
	if s == nil || !s.started.After(since) || !s.hasAll(algs) {
		var err error
		// Read again first: another replica may have created the keys.
		if s, err = k.load(ctx, realmID, rk); err != nil {
			return nil, err
		}
	}
	if s.hasAll(algs) {
		return s, nil
	}
	keys := k.Store.Realm(realmID).Keys()
	for _, alg := range algs {
		if s.current(alg) != nil {
			continue
		}
		rec, err := k.generate(realmID, alg, k.now())
		if err != nil {
			return nil, err
		}
		if err := keys.Create(ctx, rec); err != nil {
			return nil, store.AsIAM(err, "realm", "")
		}
	}
	return k.load(ctx, realmID, rk)
}

func (s *snapshot) hasAll(algs []string) bool {
	for _, alg := range algs {
		if s.current(alg) == nil {
			return false
		}
	}
	return true
}

// load reads the realm's keys and publishes them as the new snapshot. Keys
// already cached keep their decoded material and signers. The caller holds
// rk.mu.
func (k *Keys) load(ctx context.Context, realmID string, rk *realmKeys) (*snapshot, error) {
	s := &snapshot{started: time.Now(), clockAt: k.now()}
	recs, err := k.Store.Realm(realmID).Keys().List(ctx)
	if err != nil {
		return nil, store.AsIAM(err, "signing key", "")
	}
	old := rk.snap.Load()
	s.keys = make([]*key, 0, len(recs))
	for _, rec := range recs {
		var prev *key
		if old != nil {
			prev = old.find(rec.ID)
		}
		// An unreadable public key (a damaged row) is left out rather
		// than making the whole realm unable to sign.
		if key, err := newKey(rec, prev); err == nil {
			s.keys = append(s.keys, key)
		}
	}
	rk.snap.Store(s)
	return s, nil
}
