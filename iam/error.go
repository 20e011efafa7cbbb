package iam

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error category. Surfaces map codes to
// HTTP statuses and their own error shapes in one place each; the strings
// never change once published.
type Code string

const (
	CodeInvalid       Code = "invalid_argument"    // malformed or unacceptable input
	CodeNotFound      Code = "not_found"           // no such record in this realm
	CodeConflict      Code = "conflict"            // a uniqueness rule would be broken
	CodeUnauthorized  Code = "unauthenticated"     // credentials missing or wrong
	CodeForbidden     Code = "permission_denied"   // authenticated, but not allowed
	CodeLocked        Code = "locked"              // user temporarily locked after failures
	CodeRateLimited   Code = "rate_limited"        // too many requests from one source
	CodeExpired       Code = "expired"             // a code, token or invitation has expired
	CodePrecondition  Code = "failed_precondition" // state does not allow the action
	CodeUnavailable   Code = "unavailable"         // a dependency (the database) is down
	CodeInternal      Code = "internal"            // a bug; details are logged, never shown
	CodeTooLarge      Code = "too_large"           // request body over the limit
	CodeUnimplemented Code = "unimplemented"       // an operation iamd does not offer
)

// Error is the one error type use cases return. Message is safe to show to
// the caller; Err (if any) is the cause, logged but never shown.
type Error struct {
	Code    Code
	Message string
	Field   string // the input field at fault, when one is
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted, caller-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input in one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that a record of kind what does not exist in the realm.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: what + " not found"}
}

// Conflict reports a broken uniqueness rule.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error; its message never reaches callers.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}

// ErrorCode returns the code of err: the Code of an *Error in its chain,
// CodeInternal for any other non-nil error, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the caller-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal {
		return e.Message
	}
	return "internal error"
}

// IsCode reports whether err carries code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }
