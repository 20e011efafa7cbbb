package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Result is one scenario's outcome. Rate, P50 and P99 describe successes
// only: a fast 401 does not make the server look quick.
type Result struct {
	Scenario    string
	Concurrency int
	Elapsed     time.Duration // from the first request to the last answer
	Requests    uint64        // successes and errors
	OK          uint64
	Errors      uint64
	Rate        float64 // successes per second of Elapsed
	P50, P99    time.Duration
	Samples     []ErrorSample // the first distinct errors, in order of appearance
	Note        string
	// CPU time used during the run by the server (from its /metrics; 0
	// when unknown) and by this process, the load generator.
	ServerCPU, BenchCPU time.Duration
}

// CPUPerOK is the CPU time d per successful request; 0 when unknown.
func (r *Result) CPUPerOK(d time.Duration) time.Duration {
	if r.OK == 0 || d <= 0 {
		return 0
	}
	return d / time.Duration(r.OK)
}

// ErrorSample is one kind of failure: its status (and OAuth error code),
// how often it happened, and the first body or transport error seen.
type ErrorSample struct {
	Kind  string
	Count uint64
	First string
}

// maxKinds bounds the distinct error kinds kept; later kinds count as "other".
const maxKinds = 20

type tally struct {
	ok, failed uint64
	latency    vegeta.Metrics // successes only
	kinds      map[string]*ErrorSample
	order      []string
}

func newTally() *tally { return &tally{kinds: map[string]*ErrorSample{}} }

// add judges r and counts it; it reports whether r is a success.
func (tl *tally) add(r *vegeta.Result, check func([]byte) error) bool {
	var kind, first string
	switch {
	case r.Code == 0:
		kind, first = "transport error", r.Error
	case r.Code/100 != 2:
		kind, first = fmt.Sprintf("%d %s", r.Code, errorCode(r.Body)), snippet(r.Body)
	case r.Error != "":
		kind, first = fmt.Sprintf("%d unreadable body", r.Code), r.Error
	default:
		err := check(r.Body)
		if err == nil {
			tl.ok++
			tl.latency.Add(r)
			return true
		}
		kind, first = fmt.Sprintf("%d %s", r.Code, err), snippet(r.Body)
	}
	tl.failed++
	s := tl.kinds[kind]
	if s == nil {
		if len(tl.order) >= maxKinds {
			kind = "other"
			s = tl.kinds[kind]
		}
		if s == nil {
			s = &ErrorSample{Kind: kind, First: first}
			tl.kinds[kind] = s
			tl.order = append(tl.order, kind)
		}
	}
	s.Count++
	return false
}

func (tl *tally) result(name string, elapsed time.Duration) *Result {
	tl.latency.Close()
	res := &Result{
		Scenario: name, Elapsed: elapsed,
		Requests: tl.ok + tl.failed, OK: tl.ok, Errors: tl.failed,
		P50: tl.latency.Latencies.P50, P99: tl.latency.Latencies.P99,
	}
	if s := elapsed.Seconds(); s > 0 {
		res.Rate = float64(tl.ok) / s
	}
	for _, k := range tl.order {
		res.Samples = append(res.Samples, *tl.kinds[k])
		if strings.HasPrefix(k, "429 ") {
			res.Note = throttleHint
		}
	}
	return res
}

// errorCode finds the error code of an RFC 6749 answer ({"error": "…"}) or
// of iamd's own error shape ({"error": {"code": "…"}}).
func errorCode(body []byte) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Error) == 0 {
		return ""
	}
	var code string
	if json.Unmarshal(e.Error, &code) == nil {
		return code
	}
	var obj struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(e.Error, &obj)
	return obj.Code
}
