package oidc

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"iamd/httpapi"
	"iamd/iam"
)

// The hosted pages are html/template files embedded from pages/: a layout
// and one "content" template per page. They need no JavaScript; the only
// script is the auto-submit of the form_post page, which has a button in
// <noscript> for browsers without it.
//
//go:embed pages
var pageFiles embed.FS

// pageTemplates holds every pages/NAME.html (but the layout) as NAME,
// each parsed together with the layout; a new page is a new file.
var pageTemplates = func() map[string]*template.Template {
	names, err := fs.Glob(pageFiles, "pages/*.html")
	if err != nil {
		panic(err)
	}
	m := make(map[string]*template.Template, len(names))
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name != "layout" {
			m[name] = template.Must(template.New(name).ParseFS(pageFiles, "pages/layout.html", file))
		}
	}
	return m
}()

var pageCSS, _ = pageFiles.ReadFile("pages/login.css")

// pageAutoSubmit is the form_post page's script; CSP allows it by hash.
const pageAutoSubmit = "document.forms[0].submit()"

var pageAutoSubmitHash = pageHash(pageAutoSubmit)

// pageView is what a page template sees.
type pageView struct {
	Base      string // the realm's URL root in use: /realms/R or /auth/realms/R
	Title     string
	RealmName string
	LogoURL   string
	InlineCSS template.CSS // the realm's colours; allowed by its hash
	AppName   string
	Error     string
	RequestID string
	Flow      string
	CSRF      string
	Username  string
	Action    template.URL // form_post: the checked redirect URI
	Fields    []pageField
}

type pageField struct{ Name, Value string }

// pagePolicy is the Content-Security-Policy of one page: nothing is
// allowed but the page's own stylesheet, its colour rule and logo, forms
// posting to iamd and (so that the redirect after a sign-in is not
// blocked, as Chromium applies form-action to redirects) to the app's
// redirect URI, and, on the form_post page, its one script.
type pagePolicy struct {
	formTargets []string
	styleHash   string
	imgSource   string
	scriptHash  string
}

func (pp pagePolicy) String() string {
	var b strings.Builder
	b.WriteString("default-src 'none'; style-src 'self'")
	if pp.styleHash != "" {
		b.WriteString(" '" + pp.styleHash + "'")
	}
	b.WriteString("; img-src 'self'")
	if pp.imgSource != "" {
		b.WriteString(" " + pp.imgSource)
	}
	b.WriteString("; form-action 'self'")
	for _, t := range pp.formTargets {
		b.WriteString(" " + t)
	}
	if pp.scriptHash != "" {
		b.WriteString("; script-src '" + pp.scriptHash + "'")
	}
	b.WriteString("; frame-ancestors 'none'; base-uri 'none'")
	return b.String()
}

// renderPage writes page name with status and the security headers every
// hosted page carries. realm may be nil (an unknown realm's error page).
func (p *Provider) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, realm *iam.Realm, v *pageView, pol pagePolicy) {
	v.Base = loginBase(r, realm)
	b := pageBrandingOf(realm)
	v.RealmName, v.LogoURL, v.InlineCSS = b.name, b.logoURL, b.inlineCSS
	pol.styleHash, pol.imgSource = b.styleHash, b.imgSource
	if v.RequestID == "" && status >= 500 {
		v.RequestID = httpapi.RequestID(r.Context())
	}
	var buf bytes.Buffer
	t := pageTemplates[name]
	if t == nil {
		t = pageTemplates["error"]
		p.loginLogger().ErrorContext(r.Context(), "no such login page template", "page", name)
		status, v.Title, v.Error = http.StatusInternalServerError, "Something went wrong", "internal error"
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		p.loginLogger().ErrorContext(r.Context(), "login page failed to render", "page", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	pageSecurityHeaders(h)
	h.Set("Content-Security-Policy", pol.String())
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageSecurityHeaders are set on every hosted page and redirect.
func pageSecurityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// serveLoginCSS serves the embedded stylesheet of the hosted pages.
func serveLoginCSS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(pageCSS)
}

// pageHash is a CSP hash source for an inline script or style.
func pageHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
