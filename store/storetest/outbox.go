package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var outboxCases = []testCase{
	{"MessageRoundTrip", testMessageRoundTrip},
	{"EnqueueWithoutTimeIsDueNow", testMessageDueNow},
	{"MessagesListNewestFirst", testMessageList},
	{"ClaimOldestFirstAndLeases", testOutboxClaimLease},
	{"ClaimSkipsNotDueSentAndFailed", testOutboxClaimSkips},
	{"ClaimAcrossRealms", testOutboxClaimRealms},
	{"MarkSentBlanksSecrets", testOutboxMarkSent},
	{"MarkRetry", testOutboxMarkRetry},
	{"MarkRetryFailedGivesUp", testOutboxMarkFailed},
	{"Pending", testOutboxPending},
	{"NotFound", testOutboxNotFound},
}

func msgID(m *iam.Message) string { return m.ID }

func getMessage(t *testing.T, s store.Tx, m *iam.Message) *iam.Message {
	t.Helper()
	got, err := s.Realm(m.RealmID).Messages().Get(t.Context(), m.ID)
	ok(t, err, "get message")
	return got
}

// claimed compares claimed messages to what was enqueued, ignoring
// NextAttemptAt (which Claim moves).
func claimed(t *testing.T, what string, want []*iam.Message, got []*iam.Message) {
	t.Helper()
	sameStrings(t, what, idsOf(want, msgID), idsOf(got, msgID))
	if len(want) != len(got) {
		return
	}
	for i := range want {
		w := *want[i]
		w.NextAttemptAt = got[i].NextAttemptAt
		same(t, what+": claimed message", &w, got[i])
	}
}

// claimedAnyOrder is claimed for cases where "oldest first" is ambiguous
// (creation and due times order the messages differently, or tie).
func claimedAnyOrder(t *testing.T, what string, want []*iam.Message, got []*iam.Message) {
	t.Helper()
	byID := func(ms []*iam.Message) []*iam.Message {
		return slices.SortedFunc(slices.Values(ms), func(a, b *iam.Message) int { return strings.Compare(a.ID, b.ID) })
	}
	claimed(t, what, byID(want), byID(got))
}

func testMessageRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	now := clock()
	m := newMessage(r.ID, "alice@example.com", now)
	m.NextAttemptAt = now.Add(time.Minute)
	ok(t, s.Realm(r.ID).Messages().Enqueue(ctx, m), "enqueue")
	same(t, "Messages.Get", m, getMessage(t, s, m))

	sms := &iam.Message{
		ID: iam.NewID(), RealmID: r.ID, Channel: iam.ChannelSMS, To: "+4915112345678", Text: "Code 4711",
		Purpose: iam.PurposeSignIn, Code: "4711", NextAttemptAt: now, CreatedAt: now,
	}
	ok(t, s.Realm(r.ID).Messages().Enqueue(ctx, sms), "enqueue sms")
	same(t, "SMS message", sms, getMessage(t, s, sms))
	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		_, err := s.Realm(r.ID).Messages().Get(ctx, id)
		notFound(t, err, "Messages.Get(%q)", id)
	}
}

func testMessageDueNow(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	before := clock()
	m := newMessage(r.ID, "alice@example.com", before)
	m.NextAttemptAt = time.Time{}
	ok(t, s.Realm(r.ID).Messages().Enqueue(ctx, m), "enqueue")
	after := clock()
	got := getMessage(t, s, m)
	if got.NextAttemptAt.Before(before.Add(-5*time.Second)) || got.NextAttemptAt.After(after.Add(5*time.Second)) {
		t.Errorf("message enqueued without NextAttemptAt: NextAttemptAt = %v, want about now (%v)", got.NextAttemptAt, before)
	}
	list, err := s.Outbox().Claim(ctx, after.Add(6*time.Second), time.Minute, 10)
	ok(t, err, "claim")
	sameStrings(t, "claimed", []string{m.ID}, idsOf(list, msgID))
}

func testMessageList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	t0 := clock().Add(-time.Hour)
	m2 := mkMessage(t, s, r.ID, t0.Add(2*time.Minute))
	m1 := mkMessage(t, s, r.ID, t0.Add(1*time.Minute))
	m3 := mkMessage(t, s, r.ID, t0.Add(3*time.Minute))
	msgs := s.Realm(r.ID).Messages()
	list, err := msgs.List(ctx, store.Page{})
	ok(t, err, "list")
	sameStrings(t, "messages, newest first", []string{m3.ID, m2.ID, m1.ID}, idsOf(list, msgID))
	list, err = msgs.List(ctx, store.Page{Offset: 1, Limit: 1})
	ok(t, err, "list page")
	sameStrings(t, "second message", []string{m2.ID}, idsOf(list, msgID))
}

func testOutboxClaimLease(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ob := s.Outbox()
	now := clock()
	m3 := mkMessage(t, s, r.ID, now.Add(-1*time.Minute))
	m1 := mkMessage(t, s, r.ID, now.Add(-3*time.Minute))
	m2 := mkMessage(t, s, r.ID, now.Add(-2*time.Minute))
	m4 := mkMessage(t, s, r.ID, now.Add(-30*time.Second))

	lease := 2 * time.Minute
	got, err := ob.Claim(ctx, now, lease, 2)
	ok(t, err, "claim 2")
	claimed(t, "first claim (limit 2), oldest first", []*iam.Message{m1, m2}, got)
	for _, m := range []*iam.Message{m1, m2} {
		if na := getMessage(t, s, m).NextAttemptAt; !na.Equal(now.Add(lease)) {
			t.Errorf("claimed message: NextAttemptAt = %v, want now+lease %v", na, now.Add(lease))
		}
	}
	got, err = ob.Claim(ctx, now, lease, 10)
	ok(t, err, "claim rest")
	claimed(t, "second claim: only the unclaimed", []*iam.Message{m3, m4}, got)
	got, err = ob.Claim(ctx, now.Add(time.Second), lease, 10)
	ok(t, err, "claim during lease")
	claimed(t, "claim while every message is leased", nil, got)

	got, err = ob.Claim(ctx, now.Add(lease+time.Second), lease, 10)
	ok(t, err, "claim after lease")
	claimedAnyOrder(t, "claim after the lease passed", []*iam.Message{m1, m2, m3, m4}, got)
}

func testOutboxClaimSkips(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ob := s.Outbox()
	now := clock()
	due := mkMessage(t, s, r.ID, now.Add(-time.Minute))
	later := newMessage(r.ID, "later@example.com", now.Add(-2*time.Minute))
	later.NextAttemptAt = now.Add(time.Hour)
	ok(t, s.Realm(r.ID).Messages().Enqueue(ctx, later), "enqueue later")
	sent := mkMessage(t, s, r.ID, now.Add(-3*time.Minute))
	ok(t, ob.MarkSent(ctx, sent.ID, now), "mark sent")
	failed := mkMessage(t, s, r.ID, now.Add(-4*time.Minute))
	ok(t, ob.MarkRetry(ctx, failed.ID, "rejected", now.Add(-time.Second), true), "mark failed")

	got, err := ob.Claim(ctx, now, time.Minute, 10)
	ok(t, err, "claim")
	claimed(t, "claim skips not-due, sent and failed messages", []*iam.Message{due}, got)
	got, err = ob.Claim(ctx, now.Add(2*time.Hour), time.Minute, 10)
	ok(t, err, "claim later")
	claimedAnyOrder(t, "claim once the later message is due", []*iam.Message{later, due}, got)
}

func testOutboxClaimRealms(t *testing.T, s store.Store) {
	ctx := t.Context()
	r1, r2 := mkRealm(t, s, "one"), mkRealm(t, s, "two")
	now := clock()
	a := mkMessage(t, s, r1.ID, now.Add(-3*time.Minute))
	b := mkMessage(t, s, r2.ID, now.Add(-2*time.Minute))
	c := mkMessage(t, s, r1.ID, now.Add(-1*time.Minute))
	got, err := s.Outbox().Claim(ctx, now, time.Minute, 10)
	ok(t, err, "claim")
	claimed(t, "claim across realms, oldest first", []*iam.Message{a, b, c}, got)
}

func testOutboxMarkSent(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ob := s.Outbox()
	m := mkMessage(t, s, r.ID, clock().Add(-time.Minute))
	at := clock()
	ok(t, ob.MarkSent(ctx, m.ID, at), "mark sent")
	want := *m
	want.SentAt = &at
	want.Text, want.HTML, want.Code, want.Link = "", "", "", ""
	got := getMessage(t, s, m)
	want.NextAttemptAt = got.NextAttemptAt // the contract leaves it open
	same(t, "sent message (Text, HTML, Code, Link blanked)", &want, got)
	n, err := ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 0 {
		t.Errorf("Pending after MarkSent = %d, want 0", n)
	}
}

func testOutboxMarkRetry(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ob := s.Outbox()
	now := clock()
	m := mkMessage(t, s, r.ID, now.Add(-time.Minute))
	next := now.Add(5 * time.Minute)
	ok(t, ob.MarkRetry(ctx, m.ID, "421 try later", next, false), "mark retry")
	got := getMessage(t, s, m)
	want := *m
	want.Attempts, want.LastError, want.NextAttemptAt = 1, "421 try later", next
	same(t, "message after one failed attempt", &want, got)

	list, err := ob.Claim(ctx, now.Add(time.Minute), time.Minute, 10)
	ok(t, err, "claim before next")
	claimed(t, "claim before the retry is due", nil, list)
	list, err = ob.Claim(ctx, next.Add(time.Second), time.Minute, 10)
	ok(t, err, "claim after next")
	sameStrings(t, "claim after the retry is due", []string{m.ID}, idsOf(list, msgID))

	ok(t, ob.MarkRetry(ctx, m.ID, "timeout", next.Add(time.Hour), false), "second retry")
	got = getMessage(t, s, m)
	if got.Attempts != 2 || got.LastError != "timeout" {
		t.Errorf("after two failed attempts: Attempts %d, LastError %q; want 2, %q", got.Attempts, got.LastError, "timeout")
	}
}

func testOutboxMarkFailed(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ob := s.Outbox()
	now := clock()
	m := mkMessage(t, s, r.ID, now.Add(-time.Minute))
	keep := mkMessage(t, s, r.ID, now.Add(-time.Minute))
	ok(t, ob.MarkRetry(ctx, m.ID, "550 no such user", now, true), "give up")
	got := getMessage(t, s, m)
	if got.FailedAt == nil {
		t.Errorf("message given up: FailedAt is nil")
	}
	if got.Attempts != 1 || got.LastError != "550 no such user" || got.SentAt != nil {
		t.Errorf("message given up: Attempts %d, LastError %q, SentAt %v; want 1, %q, nil", got.Attempts, got.LastError, got.SentAt, "550 no such user")
	}
	if got.Text != "" || got.HTML != "" || got.Code != "" || got.Link != "" {
		t.Errorf("message given up still carries its secret: text %q code %q link %q", got.Text, got.Code, got.Link)
	}
	n, err := ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 1 {
		t.Errorf("Pending after giving one of two messages up = %d, want 1", n)
	}
	list, err := ob.Claim(ctx, now.Add(24*time.Hour), time.Minute, 10)
	ok(t, err, "claim")
	sameStrings(t, "claim after giving up", []string{keep.ID}, idsOf(list, msgID))
}

func testOutboxPending(t *testing.T, s store.Store) {
	ctx := t.Context()
	r1, r2 := mkRealm(t, s, "one"), mkRealm(t, s, "two")
	ob := s.Outbox()
	n, err := ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 0 {
		t.Errorf("Pending of an empty store = %d", n)
	}
	now := clock()
	mkMessage(t, s, r1.ID, now)
	mkMessage(t, s, r2.ID, now)
	notDue := newMessage(r1.ID, "later@example.com", now)
	notDue.NextAttemptAt = now.Add(time.Hour)
	ok(t, s.Realm(r1.ID).Messages().Enqueue(ctx, notDue), "enqueue")
	sent := mkMessage(t, s, r2.ID, now)
	n, err = ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 4 {
		t.Errorf("Pending = %d, want 4 (due or not, every realm)", n)
	}
	_, err = ob.Claim(ctx, now.Add(time.Second), time.Minute, 10)
	ok(t, err, "claim")
	n, err = ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 4 {
		t.Errorf("Pending after a claim = %d, want 4 (claimed is not delivered)", n)
	}
	ok(t, ob.MarkSent(ctx, sent.ID, now), "mark sent")
	n, err = ob.Pending(ctx)
	ok(t, err, "pending")
	if n != 3 {
		t.Errorf("Pending after one was sent = %d, want 3", n)
	}
}

func testOutboxNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	ob := s.Outbox()
	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		notFound(t, ob.MarkSent(ctx, id, clock()), "MarkSent(%q)", id)
		notFound(t, ob.MarkRetry(ctx, id, "x", clock(), false), "MarkRetry(%q)", id)
	}
}
