package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Refresh tokens rotate on every use, so each request must present the one
// the previous answer of its chain returned. The scenario keeps one chain
// per worker: a pool holds the current token of every idle chain, the
// targeter takes one, and the answer puts its successor back. A chain whose
// refresh failed is restarted by a new password login (counted in the
// note), so one error does not silently shrink the concurrency.

// maxRestartsPerChain bounds restarts: a server that fails every refresh
// ends the run with an error instead of turning it into a login flood.
const maxRestartsPerChain = 10

type refreshChains struct {
	ctx      context.Context
	cancel   context.CancelFunc
	c        *client
	pool     chan string
	broken   chan struct{}
	once     sync.Once
	restarts atomic.Int64
	limit    int64
	header   vegeta.Target
	wg       sync.WaitGroup
}

func prepareRefresh(ctx context.Context, c *client, n int) (*plan, error) {
	tokens, err := userTokens(ctx, c, n)
	if err != nil {
		return nil, err
	}
	rc := &refreshChains{
		c: c, pool: make(chan string, 2*n), broken: make(chan struct{}),
		limit:  int64(maxRestartsPerChain * n),
		header: vegeta.Target{Method: "POST", URL: c.t.tokenURL(), Header: c.t.formHeader()},
	}
	rc.ctx, rc.cancel = context.WithCancel(ctx)
	for _, tok := range tokens {
		if tok.RefreshToken == "" {
			return nil, errors.New("the password grant returned no refresh_token: is refresh_token among the app's grant types?")
		}
		rc.pool <- tok.RefreshToken
	}
	return &plan{next: rc.next, check: hasRefreshToken, after: rc.after, stop: rc.stop, note: rc.note}, nil
}

func (rc *refreshChains) next(tgt *vegeta.Target) error {
	select {
	case tok := <-rc.pool:
		*tgt = rc.header
		tgt.Body = []byte(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}}.Encode())
		return nil
	case <-rc.broken:
		return fmt.Errorf("refresh failed more than %d times; stopped", rc.limit)
	case <-rc.ctx.Done():
		return rc.ctx.Err()
	case <-time.After(time.Minute):
		return errors.New("no refresh token came back within a minute; stopped")
	}
}

// after puts the chain's next token back, or restarts the chain.
func (rc *refreshChains) after(r *vegeta.Result, ok bool) {
	if ok {
		var tr tokenResponse
		if json.Unmarshal(r.Body, &tr) == nil && tr.RefreshToken != "" {
			rc.put(tr.RefreshToken)
			return
		}
	}
	if rc.restarts.Add(1) > rc.limit {
		rc.once.Do(func() { close(rc.broken) })
		return
	}
	rc.wg.Go(func() {
		tok, err := rc.c.token(rc.ctx, rc.c.t.passwordForm())
		if err != nil || tok.RefreshToken == "" {
			rc.once.Do(func() { close(rc.broken) })
			return
		}
		rc.put(tok.RefreshToken)
	})
}

func (rc *refreshChains) put(tok string) {
	select {
	case rc.pool <- tok:
	default: // more tokens than chains: cannot happen, and must not block
	}
}

func (rc *refreshChains) stop() {
	rc.cancel()
	rc.wg.Wait()
}

func (rc *refreshChains) note() string {
	if n := rc.restarts.Load(); n > 0 {
		return fmt.Sprintf("%d refresh chains restarted by a new login after a failed refresh", n)
	}
	return ""
}

func hasRefreshToken(body []byte) error {
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return fmt.Errorf("token answer is not JSON: %w", err)
	}
	if tr.AccessToken == "" || tr.RefreshToken == "" {
		return errors.New("refresh answer lacks access_token or refresh_token")
	}
	return nil
}
