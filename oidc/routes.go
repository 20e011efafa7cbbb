package oidc

import "net/http"

// mountProtocol registers the protocol endpoints under prefix:
//
//	GET      {prefix}/.well-known/openid-configuration      discovery
//	GET      {prefix}/protocol/openid-connect/certs          JWKS
//	POST     {prefix}/protocol/openid-connect/token          token endpoint
//	GET|POST {prefix}/protocol/openid-connect/userinfo       UserInfo
//	POST     {prefix}/protocol/openid-connect/token/introspect  RFC 7662
//	POST     {prefix}/protocol/openid-connect/revoke         RFC 7009
//	GET|POST {prefix}/protocol/openid-connect/logout         RP-initiated and back-channel logout
//
// Another method on these paths is 405 with an RFC 6749 error body.
func (p *Provider) mountProtocol(mux *http.ServeMux, prefix string) {
	base := prefix + protocolPath
	mux.Handle("GET "+prefix+"/.well-known/openid-configuration", p.protoHandler(p.discovery))
	mux.Handle("GET "+base+"/certs", p.protoHandler(p.certs))
	mux.Handle("POST "+base+"/token", p.protoHandler(p.token))
	userinfo := p.protoHandler(p.userinfo)
	mux.Handle("GET "+base+"/userinfo", userinfo)
	mux.Handle("POST "+base+"/userinfo", userinfo)
	mux.Handle("POST "+base+"/token/introspect", p.protoHandler(p.introspect))
	mux.Handle("POST "+base+"/revoke", p.protoHandler(p.revoke))
	mux.HandleFunc("GET "+base+"/logout", p.logout)
	mux.HandleFunc("POST "+base+"/logout", p.logout)
	for _, ep := range []string{"/token", "/token/introspect", "/revoke"} {
		mux.Handle(base+ep, p.protoHandler(onlyPost))
	}
}

// onlyPost answers a method other than POST on a POST-only endpoint.
func onlyPost(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Allow", http.MethodPost)
	return oauthErr(http.StatusMethodNotAllowed, errInvalidRequest, "use POST with an application/x-www-form-urlencoded body")
}
