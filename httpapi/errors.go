package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"iamd/iam"
	"iamd/store"
)

// Status is the one mapping from an error to an HTTP status. Store errors
// that escaped a use case map as their iam twins: ErrUnavailable → 503,
// ErrNotFound → 404, ErrConflict → 409.
func Status(err error) int {
	switch {
	case errors.Is(err, store.ErrUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	}
	switch iam.ErrorCode(err) {
	case iam.CodeInvalid:
		return http.StatusBadRequest
	case iam.CodeNotFound:
		return http.StatusNotFound
	case iam.CodeConflict:
		return http.StatusConflict
	case iam.CodeUnauthorized:
		return http.StatusUnauthorized
	case iam.CodeForbidden:
		return http.StatusForbidden
	case iam.CodeLocked:
		return http.StatusLocked
	case iam.CodeRateLimited:
		return http.StatusTooManyRequests
	case iam.CodeExpired:
		return http.StatusGone
	case iam.CodePrecondition:
		return http.StatusConflict
	case iam.CodeUnavailable:
		return http.StatusServiceUnavailable
	case iam.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case iam.CodeUnimplemented:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

// Message is the caller-safe text for err: the iam message, or a generic
// sentence for 5xx so that internals never leak.
func Message(err error) string {
	switch Status(err) {
	case http.StatusServiceUnavailable:
		return "the service is temporarily unavailable, try again shortly"
	case http.StatusInternalServerError:
		return "internal error"
	case http.StatusNotFound:
		if iam.ErrorCode(err) != iam.CodeNotFound {
			return "not found"
		}
	case http.StatusConflict:
		if iam.ErrorCode(err) != iam.CodeConflict && iam.ErrorCode(err) != iam.CodePrecondition {
			return "conflict"
		}
	}
	return iam.ErrorMessage(err)
}

// LogError records a 5xx with its cause and request id; 4xx are the
// caller's business and only appear in the access log.
func LogError(r *http.Request, err error) {
	if Status(err) >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "request_id", RequestID(r.Context()), "route", r.Pattern, "error", err.Error())
	}
}

// JSONError is the error writer of iamd's own endpoints (health, admin
// plumbing): {"error": {"code", "message", "field", "request_id"}}.
func JSONError(w http.ResponseWriter, r *http.Request, err error) {
	LogError(r, err)
	body := map[string]any{
		"code":       string(codeOf(err)),
		"message":    Message(err),
		"request_id": RequestID(r.Context()),
	}
	var e *iam.Error
	if errors.As(err, &e) && e.Field != "" {
		body["field"] = e.Field
	}
	WriteJSON(w, Status(err), map[string]any{"error": body})
}

func codeOf(err error) iam.Code {
	switch Status(err) {
	case http.StatusServiceUnavailable:
		return iam.CodeUnavailable
	case http.StatusInternalServerError:
		return iam.CodeInternal
	}
	if errors.Is(err, store.ErrNotFound) {
		return iam.CodeNotFound
	}
	if errors.Is(err, store.ErrConflict) {
		return iam.CodeConflict
	}
	return iam.ErrorCode(err)
}
