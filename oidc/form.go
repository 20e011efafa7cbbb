package oidc

import (
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"

	"iamd/iam"
)

// maxParamLen bounds every form parameter of the protocol endpoints; no
// legitimate value (tokens, codes, URIs, scopes) comes near it.
const maxParamLen = 16 << 10

// oauthForm parses an application/x-www-form-urlencoded request body and
// returns its parameters. Query parameters are ignored: credentials and
// codes belong in the body. It is invalid_request when the method is not
// POST, the body is another media type (JSON included) or malformed, a
// parameter is repeated (RFC 6749 §3.2) or overlong; a body over the
// server's limit is 413.
func oauthForm(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodPost {
		return nil, invalidRequest("the request must be a POST")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, invalidRequest("the request body must be application/x-www-form-urlencoded")
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, iam.Errorf(iam.CodeTooLarge, "request body is too large")
		}
		return nil, invalidRequest("the request body is not a valid form")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, invalidRequest("parameter %s is repeated", truncateParam(k))
		}
		if len(v[0]) > maxParamLen {
			return nil, invalidRequest("parameter %s is too long", truncateParam(k))
		}
	}
	return r.PostForm, nil
}

// requiredParam returns form parameter name, or invalid_request when it is absent.
func requiredParam(form url.Values, name string) (string, error) {
	v := form.Get(name)
	if v == "" {
		return "", invalidRequest("missing parameter %s", name)
	}
	return v, nil
}

// remoteHost is the host part of the peer address; proxies' forwarding
// headers are not trusted here.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func truncateParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
