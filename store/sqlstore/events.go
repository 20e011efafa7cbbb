package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// events implements store.Events. The user, actor and app are plain text,
// not foreign keys: the audit log outlives what it mentions.
type events struct{ s scope }

const eventCols = "id, realm_id, type, user_id, actor_id, app_id, ip, detail, created_at"

func scanEvent(sc scanner) (*iam.Event, error) {
	var e iam.Event
	err := sc.Scan(&e.ID, &e.RealmID, &e.Type, &e.UserID, &e.ActorID, &e.AppID, &e.IP, jsonCol{&e.Detail},
		timeCol{&e.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func (x events) Append(ctx context.Context, e *iam.Event) error {
	_, err := x.s.write(ctx, "INSERT INTO events ("+eventCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.Type, e.UserID, e.ActorID, e.AppID, e.IP, jsonVal{e.Detail}, micros(e.CreatedAt))
	if err == nil {
		e.RealmID = x.s.realm
	}
	return err
}

// List returns matching events, newest first; Since is inclusive.
func (x events) List(ctx context.Context, q store.EventQuery) ([]*iam.Event, error) {
	var f filter
	if q.UserID != "" {
		f.and("user_id = ?", q.UserID)
	}
	if q.Type != "" {
		f.and("type = ?", q.Type)
	}
	if !q.Since.IsZero() {
		f.and("created_at >= ?", micros(q.Since))
	}
	limit, offset := window(q.Page)
	return all(ctx, x.s, scanEvent, "SELECT "+eventCols+" FROM events WHERE realm_id = :realm"+f.String()+
		" ORDER BY created_at DESC, id DESC"+pageSQL, append(f.args, limit, offset)...)
}
