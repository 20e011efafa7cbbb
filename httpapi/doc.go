// Package httpapi is the HTTP plumbing every surface shares: handlers that
// return an error, JSON decoding with a size limit, the status each iam error
// code maps to, request ids, access logs, Prometheus metrics, panic recovery,
// and the health endpoints. Surfaces (iamv1, realms, authsvc, oidc) render
// errors in their own document's shape through an ErrorWriter; this package
// holds no business rule.
package httpapi
