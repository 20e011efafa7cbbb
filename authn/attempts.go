package authn

import "errors"

// CodeRejected is the error of a one-time code that was tried and refused
// (a wrong code, or one no longer allowed to be tried because its
// attempts are spent or the user got locked): Left is how many tries the
// code has left. Err is the *iam.Error that says why, so iam.ErrorCode
// and iam.ErrorMessage read through it.
type CodeRejected struct {
	Left int
	Err  error
}

func (e *CodeRejected) Error() string { return e.Err.Error() }

func (e *CodeRejected) Unwrap() error { return e.Err }

// AttemptsLeft returns how many tries the one-time code err is about has
// left, when err says (document 000's "retriesLeft").
func AttemptsLeft(err error) (int, bool) {
	var e *CodeRejected
	if errors.As(err, &e) {
		return e.Left, true
	}
	return 0, false
}
