package oidc

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"iamd/iam"
)

// The sign-out pages use the hosted pages' layout and branding; only
// their content is defined here.
var logoutPages = map[string]*template.Template{
	"confirm": logoutPageMust(`{{define "content"}}
<h1>{{.Title}}</h1>
<p class="sub">Do you want to sign out{{if .AppName}} of {{.AppName}}{{end}}?</p>
<form method="post" action="{{.Base}}/protocol/openid-connect/logout">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button type="submit">Sign out</button>
</form>
{{end}}`),
	"signedout": logoutPageMust(`{{define "content"}}
<h1>{{.Title}}</h1>
<p class="sub" role="status">You are signed out.</p>
{{end}}`),
}

func logoutPageMust(content string) *template.Template {
	t := template.Must(template.New("layout").ParseFS(pageFiles, "pages/layout.html"))
	return template.Must(t.Parse(content))
}

// renderLogoutConfirm asks the user to confirm a sign-out that came
// without id_token_hint; the form repeats the request's parameters.
func (p *Provider) renderLogoutConfirm(w http.ResponseWriter, r *http.Request, realm *iam.Realm, lr *logoutRequest) {
	v := &pageView{Title: "Sign out"}
	var pol pagePolicy
	if lr.app != nil {
		v.AppName = lr.app.Name
		v.Fields = append(v.Fields, pageField{"client_id", lr.app.ClientID})
	}
	if lr.redirect != "" {
		v.Fields = append(v.Fields, pageField{"post_logout_redirect_uri", lr.redirect})
		if u, err := url.Parse(lr.redirect); err == nil && u.Host != "" {
			// Chromium applies form-action to the redirect after the POST.
			pol.formTargets = []string{u.Scheme + "://" + u.Host}
		}
	}
	if lr.state != "" {
		v.Fields = append(v.Fields, pageField{"state", lr.state})
	}
	p.renderLogoutPage(w, r, realm, "confirm", v, pol)
}

func (p *Provider) renderSignedOut(w http.ResponseWriter, r *http.Request, realm *iam.Realm) {
	p.renderLogoutPage(w, r, realm, "signedout", &pageView{Title: "Signed out"}, pagePolicy{})
}

func (p *Provider) renderLogoutPage(w http.ResponseWriter, r *http.Request, realm *iam.Realm, name string, v *pageView, pol pagePolicy) {
	v.Base = loginBase(r, realm)
	b := pageBrandingOf(realm)
	v.RealmName, v.LogoURL, v.InlineCSS = b.name, b.logoURL, b.inlineCSS
	pol.styleHash, pol.imgSource = b.styleHash, b.imgSource
	var buf bytes.Buffer
	if err := logoutPages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		p.protoLogger().ErrorContext(r.Context(), "logout page failed to render", "page", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	pageSecurityHeaders(h)
	h.Set("Content-Security-Policy", pol.String())
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// sameOrigin reports whether a browser POST came from iamd's own pages:
// its Origin header, when the browser sent one, is the public URL's.
func (p *Provider) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	pu, err := url.Parse(p.PublicURL)
	return err == nil && o == pu.Scheme+"://"+pu.Host
}
