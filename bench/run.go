package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Options shape a run.
type Options struct {
	Duration    time.Duration
	Concurrency int       // workers, each with one request in flight
	Progress    io.Writer // a line per second while a scenario runs; nil for none
}

// Run prepares scenario name (one of Scenarios) against t and drives it for
// o.Duration with o.Concurrency workers at the highest rate the server
// sustains. It returns an error only when the scenario could not be
// prepared or ctx ended; failed requests are counted in the Result.
func Run(ctx context.Context, t Target, name string, o Options) (*Result, error) {
	if !Known(name) {
		return nil, fmt.Errorf("unknown scenario %q", name)
	}
	if o.Duration <= 0 || o.Concurrency <= 0 {
		return nil, errors.New("duration and concurrency must be positive")
	}
	p, err := prepare(ctx, name, newClient(t), o.Concurrency)
	if err != nil {
		return nil, fmt.Errorf("%s: prepare: %w", name, err)
	}
	if p.stop != nil {
		defer p.stop()
	}
	n := uint64(o.Concurrency)
	atk := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n), vegeta.KeepAlive(true),
		vegeta.Connections(o.Concurrency), vegeta.MaxConnections(o.Concurrency),
		vegeta.Timeout(30*time.Second),
	)
	tl := newTally()
	srv0, srvErr := serverCPU(ctx, t.URL)
	own0 := ownCPU()
	start := time.Now()
	results := atk.Attack(p.next, vegeta.Rate{Freq: 0}, o.Duration, name)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	done := ctx.Done()
	var lastOK, lastFailed uint64
	lastTick := start
loop:
	for {
		select {
		case r, open := <-results:
			if !open {
				break loop
			}
			ok := tl.add(r, p.check)
			if p.after != nil {
				p.after(r, ok)
			}
		case now := <-tick.C:
			if o.Progress != nil {
				rate := float64(tl.ok-lastOK) / now.Sub(lastTick).Seconds()
				fmt.Fprintf(o.Progress, "%-18s %3.0fs %10d ok %9.0f/s %8d errors (+%d)\n",
					name, now.Sub(start).Seconds(), tl.ok, rate, tl.failed, tl.failed-lastFailed)
			}
			lastOK, lastFailed, lastTick = tl.ok, tl.failed, now
		case <-done:
			atk.Stop()
			done = nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := tl.result(name, time.Since(start))
	res.Concurrency = o.Concurrency
	res.BenchCPU = ownCPU() - own0
	if srv1, err := serverCPU(ctx, t.URL); err == nil && srvErr == nil {
		res.ServerCPU = srv1 - srv0
	}
	if p.note != nil {
		if n := p.note(); n != "" {
			res.Note = strings.TrimPrefix(res.Note+"; "+n, "; ")
		}
	}
	return res, nil
}
