package password

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// fast keeps argon2id cheap in tests that are not about the defaults.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashDefaultsIsReferencePHC(t *testing.T) {
	h := New(Params{}, 0)
	if h.Params() != DefaultParams() {
		t.Fatalf("Params() = %+v, want defaults %+v", h.Params(), DefaultParams())
	}
	encoded, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(encoded, prefix) {
		t.Fatalf("hash %q does not start with %q", encoded, prefix)
	}
	f := strings.Split(encoded, "$")
	salt, err := base64.RawStdEncoding.DecodeString(f[4])
	if err != nil || len(salt) != 16 {
		t.Fatalf("salt %q: %d bytes, %v; want 16 bytes of unpadded base64", f[4], len(salt), err)
	}
	// The hash must be what the reference algorithm gives, not merely
	// something our own Verify accepts.
	want := argon2.IDKey([]byte("correct horse battery staple"), salt, 2, 19456, 1, 32)
	if f[5] != base64.RawStdEncoding.EncodeToString(want) {
		t.Fatalf("hash field %q, want %q", f[5], base64.RawStdEncoding.EncodeToString(want))
	}
	ok, rehash, err := h.Verify(context.Background(), "correct horse battery staple", encoded)
	if !ok || rehash || err != nil {
		t.Fatalf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestHashIsSaltedAndVerifies(t *testing.T) {
	ctx := context.Background()
	h := New(fast, 2)
	a, _ := h.Hash(ctx, "s3cret-pass")
	b, _ := h.Hash(ctx, "s3cret-pass")
	if a == b {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"s3cret-pass", true},
		{"s3cret-pasS", false},
		{"", false},
		{"s3cret-pass ", false},
	} {
		ok, rehash, err := h.Verify(ctx, tc.password, a)
		if ok != tc.ok || rehash || err != nil {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v, false, nil", tc.password, ok, rehash, err, tc.ok)
		}
	}
}

func TestNeedsRehashWhenParamsDiffer(t *testing.T) {
	ctx := context.Background()
	current := New(fast, 1)
	for _, old := range []Params{
		{Memory: 512, Time: 1, Threads: 1},
		{Memory: 1024, Time: 2, Threads: 1},
		{Memory: 1024, Time: 1, Threads: 2},
		{Memory: 1024, Time: 1, Threads: 1, SaltLen: 8},
		{Memory: 1024, Time: 1, Threads: 1, KeyLen: 16},
	} {
		encoded, _ := New(old, 1).Hash(ctx, "pw-pw-pw-pw")
		ok, rehash, err := current.Verify(ctx, "pw-pw-pw-pw", encoded)
		if !ok || !rehash || err != nil {
			t.Errorf("params %+v: Verify = %v, %v, %v; want true, true, nil", old, ok, rehash, err)
		}
		if ok, rehash, _ := current.Verify(ctx, "wrong", encoded); ok || rehash {
			t.Errorf("params %+v: wrong password gave %v, %v", old, ok, rehash)
		}
	}
	same, _ := New(fast, 1).Hash(ctx, "pw-pw-pw-pw")
	if _, rehash, _ := current.Verify(ctx, "pw-pw-pw-pw", same); rehash {
		t.Error("needsRehash for a hash made with the current params")
	}
}

// slotProbe counts how many callers are inside the semaphore at once.
type slotProbe struct {
	active, peak atomic.Int32
}

func (p *slotProbe) hook(hold time.Duration) func() {
	return func() {
		n := p.active.Add(1)
		for {
			old := p.peak.Load()
			if n <= old || p.peak.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(hold)
		p.active.Add(-1)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	for _, tc := range []struct {
		concurrency      int
		minPeak, maxPeak int32
	}{
		{1, 1, 1},
		{3, 2, 3},
	} {
		t.Run(fmt.Sprint(tc.concurrency), func(t *testing.T) {
			h := New(fast, tc.concurrency)
			var probe slotProbe
			h.testHookAcquired = probe.hook(20 * time.Millisecond)
			var sampledMax atomic.Int32
			done := make(chan struct{})
			go func() { // InFlight as a gauge would see it
				for {
					select {
					case <-done:
						return
					default:
					}
					if n := int32(h.InFlight()); n > sampledMax.Load() {
						sampledMax.Store(n)
					}
					time.Sleep(100 * time.Microsecond)
				}
			}()
			encoded, _ := New(fast, 1).Hash(context.Background(), "pw")
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if i%2 == 0 {
						if _, err := h.Hash(context.Background(), "pw"); err != nil {
							t.Error(err)
						}
					} else if ok, _, err := h.Verify(context.Background(), "pw", encoded); !ok || err != nil {
						t.Error("verify failed", err)
					}
				})
			}
			wg.Wait()
			close(done)
			if p := probe.peak.Load(); p < tc.minPeak || p > tc.maxPeak {
				t.Errorf("peak concurrent computations %d, want %d..%d", p, tc.minPeak, tc.maxPeak)
			}
			if s := sampledMax.Load(); s > tc.maxPeak {
				t.Errorf("InFlight reached %d, want at most %d", s, tc.maxPeak)
			}
			if h.InFlight() != 0 || h.QueueLength() != 0 {
				t.Errorf("after all returned: InFlight %d, QueueLength %d; want 0, 0", h.InFlight(), h.QueueLength())
			}
		})
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestQueuedCallerHonoursContext(t *testing.T) {
	h := New(fast, 1)
	entered, release := make(chan struct{}), make(chan struct{})
	var holding atomic.Bool
	h.testHookAcquired = func() {
		if holding.CompareAndSwap(false, true) {
			close(entered)
			<-release
		}
	}
	first := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "first")
		first <- err
	}()
	<-entered

	ctx, cancel := context.WithCancel(context.Background())
	queued := make(chan error, 2)
	go func() {
		_, err := h.Hash(ctx, "second")
		queued <- err
	}()
	go func() {
		_, _, err := h.Verify(ctx, "third", h.dummy)
		queued <- err
	}()
	waitFor(t, "two queued callers", func() bool { return h.QueueLength() == 2 })
	if h.InFlight() != 1 {
		t.Fatalf("InFlight = %d while one caller holds the only slot", h.InFlight())
	}
	cancel()
	for range 2 {
		if err := <-queued; !errors.Is(err, context.Canceled) {
			t.Fatalf("queued caller returned %v after cancel, want context.Canceled", err)
		}
	}
	if h.QueueLength() != 0 {
		t.Fatalf("QueueLength = %d after the queued callers gave up", h.QueueLength())
	}

	// An already expired context fails at once, even with a free slot.
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := h.Hash(expired, "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Hash with expired context: %v", err)
	}
	if _, err := h.Hash(context.Background(), "after"); err != nil {
		t.Fatalf("Hash after the queue drained: %v", err)
	}
}

func TestVerifyUnknownUserDoesTheWork(t *testing.T) {
	h := New(fast, 1)
	var computations atomic.Int32
	h.testHookAcquired = func() { computations.Add(1) }
	for _, pw := range []string{"", "guess", "hunter2-hunter2"} {
		if err := h.VerifyUnknownUser(context.Background(), pw); err != nil {
			t.Fatal(err)
		}
	}
	if n := computations.Load(); n != 3 {
		t.Fatalf("%d argon2id computations for 3 unknown-user checks", n)
	}
	if !strings.HasPrefix(h.dummy, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("dummy hash does not use the current params")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.VerifyUnknownUser(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled context: %v", err)
	}
}

func TestInHistory(t *testing.T) {
	ctx := context.Background()
	h := New(fast, 1)
	argonOld, _ := h.Hash(ctx, "OldPassword#2")
	history := []string{"garbage", bcryptOf(t, "OldPassword#1"), argonOld}
	for _, tc := range []struct {
		password string
		want     bool
	}{
		{"OldPassword#1", true},
		{"OldPassword#2", true},
		{"NewPassword#3", false},
	} {
		got, err := h.InHistory(ctx, tc.password, history)
		if got != tc.want || err != nil {
			t.Errorf("InHistory(%q) = %v, %v; want %v, nil", tc.password, got, err, tc.want)
		}
	}
	if got, err := h.InHistory(ctx, "x", nil); got || err != nil {
		t.Errorf("empty history: %v, %v", got, err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.InHistory(canceled, "NewPassword#3", history); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}
