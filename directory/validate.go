package directory

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"iamd/iam"
	"iamd/store"
)

// checkText refuses invalid UTF-8, control characters and values longer
// than max runes; required also refuses an empty (or all-space) value.
func checkText(field, v string, max int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return iam.Invalid(field, "%s is required", field)
	}
	if !utf8.ValidString(v) {
		return iam.Invalid(field, "%s is not valid UTF-8", field)
	}
	if utf8.RuneCountInString(v) > max {
		return iam.Invalid(field, "%s is longer than %d characters", field, max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return iam.Invalid(field, "%s contains control characters", field)
		}
	}
	return nil
}

// checkPage refuses a negative offset or limit. A limit over the store's
// cap is not an error: the store returns at most its cap.
func checkPage(p store.Page) error {
	if p.Offset < 0 {
		return iam.Invalid("offset", "offset cannot be negative")
	}
	if p.Limit < 0 {
		return iam.Invalid("limit", "limit cannot be negative")
	}
	return nil
}

// checkAttributes refuses empty or overlong keys and overlong values.
func checkAttributes(field string, attrs map[string]string) error {
	for k, v := range attrs {
		if err := checkText(field, k, 255, true); err != nil {
			return err
		}
		if err := checkText(field, v, 4096, false); err != nil {
			return err
		}
	}
	return nil
}

// event builds an audit event of realm; detail must never hold a secret.
func event(realm *iam.Realm, typ, userID, actorID string, at time.Time, detail map[string]string) *iam.Event {
	return &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: typ, UserID: userID, ActorID: actorID, Detail: detail, CreatedAt: at}
}

// liveUser returns the user if it is a live user of the scope's realm,
// CodeNotFound otherwise (absent, malformed id, another realm's, deleted).
func liveUser(ctx context.Context, sc store.Scope, userID string) (*iam.User, error) {
	if !iam.ValidID(userID) {
		return nil, iam.NotFound("user")
	}
	u, err := sc.Users().Get(ctx, userID)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if u.Deleted() {
		return nil, iam.NotFound("user")
	}
	return u, nil
}
