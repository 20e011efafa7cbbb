package iamv1

import (
	"errors"
	"net/http"
	"time"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
)

// ErrorBody is the one error shape of this surface: Spring Boot's default
// error attributes (timestamp, status, error, message, path), which is
// what a client of the document's Spring service parses, plus iamd's
// stable errorCode (an iam.Code), the input field at fault, a detail
// saying exactly what went wrong when message is the document's fixed
// sentence, and the request id (also in the X-Request-Id header).
type ErrorBody struct {
	Timestamp string `json:"timestamp"`
	Status    int    `json:"status"`
	Error     string `json:"error"`
	Message   string `json:"message"`
	Path      string `json:"path"`
	ErrorCode string `json:"errorCode"`
	Field     string `json:"field,omitempty"`
	Detail    string `json:"detail,omitempty"`
	RequestID string `json:"requestId"`
	// RetriesLeft is how many tries a refused one-time code has left
	// (OtpResponse's field), when the error is about one.
	RetriesLeft *int `json:"retriesLeft,omitempty"`
}

// docError answers with a status and message the document prescribes for
// an operation, keeping the cause for errorCode, field and detail.
type docError struct {
	status  int
	message string
	cause   error
}

func (e *docError) Error() string {
	if e.cause == nil {
		return e.message
	}
	return e.message + ": " + e.cause.Error()
}

func (e *docError) Unwrap() error { return e.cause }

// fail answers status with the document's message for the operation;
// cause (may be nil) says why.
func fail(status int, message string, cause error) error {
	return &docError{status: status, message: message, cause: cause}
}

// opFailure maps a use case's error to an operation's documented failure
// message msg, the way most operations of the document do:
//
//	CodeNotFound                                 → 404 msg
//	CodeUnauthorized, CodeLocked, CodeForbidden,
//	CodeConflict, CodePrecondition, CodeExpired  → 400 msg
//
// Everything else keeps its own status and message: bad input (400
// naming the field), rate limits (429), outages (503), bugs (500).
func opFailure(err error, msg string) error {
	switch iam.ErrorCode(err) {
	case iam.CodeNotFound:
		return fail(http.StatusNotFound, msg, err)
	case iam.CodeUnauthorized, iam.CodeLocked, iam.CodeForbidden, iam.CodeConflict, iam.CodePrecondition, iam.CodeExpired:
		return fail(http.StatusBadRequest, msg, err)
	}
	return err
}

// renameFields rewrites the Field of an *iam.Error from the use case's
// name to the document's (e.g. "email" → "emailId"); pairs are from, to.
func renameFields(err error, pairs ...string) error {
	var e *iam.Error
	if !errors.As(err, &e) || e.Field == "" {
		return err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if e.Field == pairs[i] {
			c := *e
			c.Field = pairs[i+1]
			return &c
		}
	}
	return err
}

// status maps an error without a documented answer: httpapi.Status,
// except that this document answers every input problem, an oversized
// body and a broken uniqueness or state rule with 400.
func status(err error) int {
	switch iam.ErrorCode(err) {
	case iam.CodeTooLarge, iam.CodeConflict, iam.CodePrecondition:
		return http.StatusBadRequest
	}
	return httpapi.Status(err)
}

// writeError is THE error writer of the /v1/iam surface. A 5xx shows
// only a generic message and the request id; its cause is logged.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.LogError(r, err)
	body := ErrorBody{
		Timestamp: time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Path:      r.URL.Path,
		RequestID: httpapi.RequestID(r.Context()),
	}
	if n, ok := authn.AttemptsLeft(err); ok {
		body.RetriesLeft = &n
	}
	var de *docError
	if errors.As(err, &de) {
		body.Status, body.Message = de.status, de.message
		if de.cause != nil && httpapi.Status(de.cause) < 500 {
			if d := iam.ErrorMessage(de.cause); d != de.message {
				body.Detail = d
			}
		}
		err = de.cause
	} else {
		body.Status, body.Message = status(err), httpapi.Message(err)
	}
	if body.Status >= 500 {
		body.Message = "internal error (request id " + body.RequestID + ")"
		body.RetriesLeft = nil
		if body.Status == http.StatusServiceUnavailable {
			body.Message = httpapi.Message(err)
		}
		body.Detail = ""
	}
	body.Error = http.StatusText(body.Status)
	body.ErrorCode = string(codeOf(err, body.Status))
	var ie *iam.Error
	if errors.As(err, &ie) && body.Status < 500 {
		body.Field = ie.Field
	}
	switch body.Status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="iam"`)
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "60")
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "5")
	}
	httpapi.WriteJSON(w, body.Status, body)
}

// codeOf is the errorCode of an answer: the cause's iam code, or one
// that fits the status when there is no cause.
func codeOf(err error, status int) iam.Code {
	switch {
	case status == http.StatusServiceUnavailable:
		return iam.CodeUnavailable
	case status >= 500:
		return iam.CodeInternal
	case err != nil:
		return iam.ErrorCode(err)
	case status == http.StatusUnauthorized:
		return iam.CodeUnauthorized
	case status == http.StatusForbidden:
		return iam.CodeForbidden
	case status == http.StatusNotFound:
		return iam.CodeNotFound
	}
	return iam.CodeInvalid
}
