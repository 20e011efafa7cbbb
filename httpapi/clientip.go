package httpapi

import (
	"net"
	"net/http"
)

// ClientIP is the address the request came from, for throttling and audit:
// the host of the connection's remote address. iamd does not trust
// forwarding headers, which any client can set; behind a proxy, every
// request counts as the proxy's.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
