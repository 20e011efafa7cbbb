package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// messages implements store.Messages, the realm's side of the outbox.
// Enqueued in the caller's transaction, a message commits (or not) with
// the state change that caused it; outbox.go delivers it.
type messages struct{ s scope }

const messageCols = `id, realm_id, channel, recipient, subject, text_body, html_body, purpose, code, link,
	attempts, next_attempt_at, sent_at, failed_at, last_error, created_at`

func scanMessage(sc scanner) (*iam.Message, error) {
	var m iam.Message
	err := sc.Scan(&m.ID, &m.RealmID, &m.Channel, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Purpose, &m.Code, &m.Link,
		&m.Attempts, timeCol{&m.NextAttemptAt}, nullTimeCol{&m.SentAt}, nullTimeCol{&m.FailedAt}, &m.LastError,
		timeCol{&m.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Enqueue stores m. A zero NextAttemptAt means now, a zero CreatedAt too;
// m is updated to match what was stored.
func (x messages) Enqueue(ctx context.Context, m *iam.Message) error {
	now := time.Now()
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = now
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	_, err := x.s.write(ctx, "INSERT INTO messages ("+messageCols+`)
		VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Channel, m.To, m.Subject, m.Text, m.HTML, m.Purpose, m.Code, m.Link,
		m.Attempts, micros(m.NextAttemptAt), microsOrNull(m.SentAt), microsOrNull(m.FailedAt), m.LastError,
		micros(m.CreatedAt))
	if err == nil {
		m.RealmID = x.s.realm
	}
	return err
}

func (x messages) Get(ctx context.Context, id string) (*iam.Message, error) {
	return one(ctx, x.s, scanMessage, "SELECT "+messageCols+" FROM messages WHERE realm_id = :realm AND id = ?", id)
}

func (x messages) List(ctx context.Context, p store.Page) ([]*iam.Message, error) {
	limit, offset := window(p)
	return all(ctx, x.s, scanMessage, "SELECT "+messageCols+` FROM messages WHERE realm_id = :realm
		ORDER BY created_at DESC, id DESC`+pageSQL, limit, offset)
}
