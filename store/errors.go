package store

import (
	"errors"

	"iamd/iam"
)

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

// AsIAM turns a store error into the iam vocabulary use cases return:
// ErrNotFound → "<what> not found", ErrConflict → conflict with msg,
// ErrUnavailable → unavailable, anything else → internal. nil stays nil and
// an *iam.Error passes through.
func AsIAM(err error, what, conflictMsg string) error {
	var ie *iam.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return err
	case errors.Is(err, ErrNotFound):
		return iam.NotFound(what)
	case errors.Is(err, ErrConflict):
		if conflictMsg == "" {
			conflictMsg = what + " already exists"
		}
		return &iam.Error{Code: iam.CodeConflict, Message: conflictMsg, Err: err}
	case errors.Is(err, ErrUnavailable):
		return &iam.Error{Code: iam.CodeUnavailable, Message: "the database is unavailable", Err: err}
	}
	return iam.Internal(err)
}
