package oidc

import "net/http"

// mountLogin registers the authorization endpoint and the hosted login
// pages under prefix. (Owned by the hosted-pages work.)
func (p *Provider) mountLogin(mux *http.ServeMux, prefix string) {}
