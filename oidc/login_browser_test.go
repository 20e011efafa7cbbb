package oidc_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"iamd/directory"
	"iamd/iam"
)

// loginChromiumPath finds Chromium: $IAMD_CHROMIUM, /usr/bin/chromium,
// then chromium, chromium-browser or google-chrome on the PATH. Without
// one the browser tests skip, unless IAMD_REQUIRE_CHROMIUM=1 (as in CI).
func loginChromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("IAMD_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("IAMD_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("IAMD_REQUIRE_CHROMIUM=1 but no Chromium found (set IAMD_CHROMIUM)")
	}
	t.Skip("no Chromium found; set IAMD_CHROMIUM or install chromium")
	return ""
}

// loginStartBrowser starts one headless Chromium for the whole test; its
// subtests open tabs in fresh browser contexts (separate cookie jars).
func loginStartBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(loginChromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return browser
}

// loginTab opens a tab in a new browser context, optionally with
// JavaScript off, bounded to 60 s.
func loginTab(t *testing.T, browser context.Context, noJS bool) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	steps := []chromedp.Action[chromedp.Void]{}
	if noJS {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(tab, steps...); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// loginRPServer is the app's callback in the browser tests: it records
// each request to /cb (query or form_post body) and shows a plain page.
type loginRPServer struct {
	*httptest.Server
	got chan url.Values
}

func loginNewRP(t *testing.T) *loginRPServer {
	rp := &loginRPServer{got: make(chan url.Values, 16)}
	rp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/cb" {
			http.NotFound(w, r)
			return
		}
		_ = r.ParseForm()
		v := url.Values{"_method": {r.Method}}
		for k, x := range r.Form {
			v[k] = x
		}
		select {
		case rp.got <- v:
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><title>RP</title><p id="rp-done">back at the app</p>`)
	}))
	t.Cleanup(rp.Close)
	return rp
}

func (rp *loginRPServer) callback() string { return rp.URL + "/cb" }

// wait returns the next callback the RP received.
func (rp *loginRPServer) wait(t *testing.T) url.Values {
	t.Helper()
	select {
	case v := <-rp.got:
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("the browser never came back to the app")
		return nil
	}
}

// loginRPApp is an app of the browser tests, seen through go-oidc.
type loginRPApp struct {
	cfg      oauth2.Config
	provider *gooidc.Provider
}

func loginNewRPApp(t *testing.T, f *fixture, rp *loginRPServer, clientID string) *loginRPApp {
	t.Helper()
	f.app(f.Realm, directory.NewApp{ClientID: clientID, Public: true, RedirectURIs: []string{rp.callback()}})
	provider, err := gooidc.NewProvider(context.Background(), f.issuer(f.Realm))
	if err != nil {
		t.Fatal(err)
	}
	return &loginRPApp{provider: provider, cfg: oauth2.Config{
		ClientID: clientID, Endpoint: provider.Endpoint(), RedirectURL: rp.callback(), Scopes: []string{gooidc.ScopeOpenID, "profile"},
	}}
}

// start returns an authorization URL with PKCE and a nonce, and what the
// app keeps to finish.
func (a *loginRPApp) start(extra ...oauth2.AuthCodeOption) (authURL, state, verifier, nonce string) {
	state, verifier, nonce = iam.NewSecret(12), oauth2.GenerateVerifier(), iam.NewSecret(12)
	opts := append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), gooidc.Nonce(nonce)}, extra...)
	return a.cfg.AuthCodeURL(state, opts...), state, verifier, nonce
}

// finish checks the callback, redeems its code and verifies the ID token;
// it returns the token's amr.
func (a *loginRPApp) finish(t *testing.T, cb url.Values, state, verifier, nonce string) []string {
	t.Helper()
	if cb.Get("state") != state || cb.Get("code") == "" || cb.Get("error") != "" {
		t.Fatalf("callback: %v", cb)
	}
	ctx := context.Background()
	tok, err := a.cfg.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := a.provider.Verifier(&gooidc.Config{ClientID: a.cfg.ClientID}).Verify(ctx, raw)
	if err != nil || idt.Nonce != nonce {
		t.Fatalf("ID token: %v (nonce %q)", err, idt.Nonce)
	}
	var c struct {
		AMR []string `json:"amr"`
	}
	_ = idt.Claims(&c)
	return c.AMR
}

// The hosted pages in a real headless Chromium: a wrong password and then
// the right one, SSO into a second app with form_post (auto-submitted
// under the page's CSP), the TOTP step, and form_post with JavaScript off.
func TestLoginBrowser(t *testing.T) {
	browser := loginStartBrowser(t)
	backends(t, func(t *testing.T, f *fixture) {
		loginSetRealm(t, f, f.Realm, func(r *iam.Realm) {
			r.Settings.Attributes = map[string]string{"login_primary_color": "#0a7d32"}
		})
		f.user(f.Realm, "kate", "Correct-Horse-9")
		mfa := f.user(f.Realm, "liam", "Correct-Horse-9")
		loginAddTOTP(t, f, f.Realm, mfa)
		rp := loginNewRP(t)
		web, shop := loginNewRPApp(t, f, rp, "web"), loginNewRPApp(t, f, rp, "shop")
		tab := loginTab(t, browser, false)

		t.Run("wrong password, then sign in", func(t *testing.T) {
			authURL, state, verifier, nonce := web.start()
			err := chromedp.Do(tab,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "kate"),
				chromedp.SendKeys(chromedp.ID("password"), "not-her-password"),
				chromedp.Click(chromedp.CSS("button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS(".alert")),
			)
			if err != nil {
				t.Fatal(err)
			}
			alert, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".alert")))
			kept, _ := chromedp.Run(tab, chromedp.Value(chromedp.ID("username")))
			if !strings.Contains(alert, "Invalid username or password.") || kept != "kate" {
				t.Fatalf("after a wrong password: alert %q username %q", alert, kept)
			}
			// The realm's colour reached the button: the inline style passed the CSP.
			bg, err := chromedp.Run(tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("button")).backgroundColor`))
			if err != nil || bg != "rgb(10, 125, 50)" {
				t.Fatalf("button colour %q %v", bg, err)
			}
			if err := chromedp.Do(tab,
				chromedp.SendKeys(chromedp.ID("password"), "Correct-Horse-9"),
				chromedp.Click(chromedp.CSS("button[type=submit]")),
			); err != nil {
				t.Fatal(err)
			}
			cb := rp.wait(t)
			if amr := web.finish(t, cb, state, verifier, nonce); !slices.Equal(amr, []string{"pwd"}) {
				t.Fatalf("amr %v", amr)
			}
			if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("rp-done"))); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("SSO into a second app with form_post", func(t *testing.T) {
			authURL, state, verifier, nonce := shop.start(oauth2.SetAuthURLParam("response_mode", "form_post"))
			if err := chromedp.Do(tab, chromedp.Navigate(authURL)); err != nil {
				t.Fatal(err)
			}
			cb := rp.wait(t)
			if cb.Get("_method") != http.MethodPost {
				t.Fatalf("form_post arrived as %s", cb.Get("_method"))
			}
			shop.finish(t, cb, state, verifier, nonce)
			if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("rp-done"))); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("TOTP step", func(t *testing.T) {
			tab := loginTab(t, browser, false)
			authURL, state, verifier, nonce := web.start()
			err := chromedp.Do(tab,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "liam"),
				chromedp.SendKeys(chromedp.ID("password"), "Correct-Horse-9"),
				chromedp.Click(chromedp.CSS("button[type=submit]")),
				chromedp.WaitVisible(chromedp.ID("otp")),
				chromedp.SendKeys(chromedp.ID("otp"), loginTOTPCode(t, f)),
				chromedp.Click(chromedp.CSS("button[type=submit]")),
			)
			if err != nil {
				t.Fatal(err)
			}
			if amr := web.finish(t, rp.wait(t), state, verifier, nonce); !slices.Equal(amr, []string{"pwd", "otp"}) {
				t.Fatalf("amr %v", amr)
			}
		})

		t.Run("form_post without JavaScript", func(t *testing.T) {
			tab := loginTab(t, browser, true)
			authURL, state, verifier, nonce := web.start(oauth2.SetAuthURLParam("response_mode", "form_post"))
			err := chromedp.Do(tab,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "kate"),
				chromedp.SendKeys(chromedp.ID("password"), "Correct-Horse-9"),
				chromedp.Click(chromedp.CSS("button[type=submit]")),
				chromedp.WaitVisible(chromedp.ID("continue")),
			)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case cb := <-rp.got:
				t.Fatalf("the form was submitted with JavaScript off: %v", cb)
			case <-time.After(300 * time.Millisecond):
			}
			if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("continue"))); err != nil {
				t.Fatal(err)
			}
			cb := rp.wait(t)
			if cb.Get("_method") != http.MethodPost {
				t.Fatalf("form_post arrived as %s", cb.Get("_method"))
			}
			web.finish(t, cb, state, verifier, nonce)
		})
	})
}
