package oidc

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"iamd/httpapi"
	"iamd/iam"
	"iamd/store"
)

// Error is an OAuth 2.0 error (RFC 6749 §5.2, RFC 6750 §3, RFC 7009,
// RFC 7662): a registered Code, a caller-safe Description and the HTTP
// status it is answered with. The protocol endpoints render it as
// {"error","error_description"}.
type Error struct {
	Code        string
	Description string
	Status      int
	Err         error // cause, logged but never shown
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }
func (e *Error) Unwrap() error { return e.Err }

// OAuth 2.0 error codes.
const (
	errInvalidRequest       = "invalid_request"
	errInvalidClient        = "invalid_client"
	errInvalidGrant         = "invalid_grant"
	errUnauthorizedClient   = "unauthorized_client"
	errUnsupportedGrantType = "unsupported_grant_type"
	errInvalidScope         = "invalid_scope"
	errInvalidToken         = "invalid_token"
	errSlowDown             = "slow_down"
	errTemporarilyUnavail   = "temporarily_unavailable"
	errServerError          = "server_error"
	errNotFound             = "not_found"
)

func oauthErr(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Description: fmt.Sprintf(format, args...), Status: status}
}

func invalidRequest(format string, args ...any) *Error {
	return oauthErr(http.StatusBadRequest, errInvalidRequest, format, args...)
}

func invalidGrant(format string, args ...any) *Error {
	return oauthErr(http.StatusBadRequest, errInvalidGrant, format, args...)
}

func invalidScope(format string, args ...any) *Error {
	return oauthErr(http.StatusBadRequest, errInvalidScope, format, args...)
}

// invalidClient is answered 401 with a Basic challenge, whichever way the
// client tried to authenticate (RFC 6749 §5.2 allows 401 for every method,
// and a 401 needs a challenge).
func invalidClient(format string, args ...any) *Error {
	return oauthErr(http.StatusUnauthorized, errInvalidClient, format, args...)
}

// asOAuth turns any error a protocol handler returns into an *Error:
// an *Error passes through; a store outage is 503 temporarily_unavailable;
// an unknown realm is 404; an over-large body is 413 invalid_request;
// anything else is 500 server_error, whose description shows only the
// request id.
func asOAuth(r *http.Request, err error) *Error {
	var oe *Error
	if errors.As(err, &oe) {
		return oe
	}
	switch {
	case errors.Is(err, store.ErrUnavailable) || iam.IsCode(err, iam.CodeUnavailable):
		return &Error{Code: errTemporarilyUnavail, Description: "the service is temporarily unavailable, try again shortly", Status: http.StatusServiceUnavailable, Err: err}
	case iam.IsCode(err, iam.CodeTooLarge):
		return &Error{Code: errInvalidRequest, Description: "request body is too large", Status: http.StatusRequestEntityTooLarge, Err: err}
	case iam.IsCode(err, iam.CodeNotFound):
		return &Error{Code: errNotFound, Description: iam.ErrorMessage(err), Status: http.StatusNotFound, Err: err}
	}
	return &Error{Code: errServerError, Description: "internal error (request id " + httpapi.RequestID(r.Context()) + ")", Status: http.StatusInternalServerError, Err: err}
}

// writeOAuthError is the error writer of the JSON protocol endpoints
// (token, introspection, revocation). It never caches, logs 5xx with their
// cause, and adds the challenges RFC 6749 §5.2 and RFC 6750 §3 ask for.
func (p *Provider) writeOAuthError(w http.ResponseWriter, r *http.Request, err error) {
	oe := asOAuth(r, err)
	if oe.Status >= 500 {
		p.protoLogger().ErrorContext(r.Context(), "oidc request failed", "request_id", httpapi.RequestID(r.Context()),
			"route", r.Pattern, "error", err.Error())
	}
	h := w.Header()
	switch {
	case oe.Status == http.StatusUnauthorized && oe.Code == errInvalidToken:
		h.Set("WWW-Authenticate", `Bearer error="invalid_token", error_description=`+strconv.Quote(oe.Description))
	case oe.Status == http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Basic realm=`+strconv.Quote(r.PathValue("realm")))
	case oe.Status == http.StatusTooManyRequests:
		h.Set("Retry-After", "60")
	case oe.Status == http.StatusServiceUnavailable:
		h.Set("Retry-After", "5")
	}
	h.Set("Pragma", "no-cache")
	httpapi.WriteJSON(w, oe.Status, map[string]string{"error": oe.Code, "error_description": oe.Description})
}

func (p *Provider) protoLogger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

// protoHandler adapts a protocol handler to http.Handler with the OAuth error writer.
func (p *Provider) protoHandler(h httpapi.HandlerFunc) http.Handler {
	return httpapi.Handle(p.writeOAuthError, h)
}
