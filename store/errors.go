package store

import "errors"

var (
	// ErrNotFound: no such record in this realm (or it is soft-deleted,
	// where the method says so).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a uniqueness rule would be broken, or a conditional
	// update lost a race (a code already consumed, a token already used).
	ErrConflict = errors.New("store: conflict")
	// ErrUnavailable: the database cannot be reached; callers answer 503.
	ErrUnavailable = errors.New("store: unavailable")
)
