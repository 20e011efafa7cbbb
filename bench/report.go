package bench

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"
)

// WriteTable prints one row per result (scenario, workers, requests,
// successful rate, p50 and p99 of successes, errors), then the kinds of
// error each scenario met and any notes.
func WriteTable(w io.Writer, results []*Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tworkers\trequests\tok/s\tp50\tp99\terrors\tsrv-cpu/ok\tbench-cpu/ok\tcpu-bound/s\t")
	for _, r := range results {
		srv, own := r.CPUPerOK(r.ServerCPU), r.CPUPerOK(r.BenchCPU)
		bound := "-"
		if srv > 0 && own > 0 {
			bound = fmt.Sprintf("%.0f", float64(runtime.NumCPU())*float64(time.Second)/float64(srv+own))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%d\t%s\t%s\t%s\t\n",
			r.Scenario, r.Concurrency, r.Requests, r.Rate, ms(r.P50), ms(r.P99), r.Errors, us(srv), us(own), bound)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nok/s, p50 and p99 are of successful requests. cpu/ok is the CPU time per success of\n"+
		"the server (from its /metrics) and of this load generator; cpu-bound/s = %d CPUs / their\n"+
		"sum, the most this machine could do were both alone on it.\n", runtime.NumCPU())
	for _, r := range results {
		if len(r.Samples) > 0 {
			fmt.Fprintf(w, "\nerrors in %s:\n", r.Scenario)
			for _, s := range r.Samples {
				fmt.Fprintf(w, "  %d × %s: %s\n", s.Count, s.Kind, s.First)
			}
		}
		if r.Note != "" {
			fmt.Fprintf(w, "\nnote (%s): %s\n", r.Scenario, r.Note)
		}
	}
	return nil
}

// us prints a CPU time per request in microseconds.
func us(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
}

// ms prints a latency in milliseconds with useful precision.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case d == 0:
		return "-"
	case f < 10:
		return fmt.Sprintf("%.2fms", f)
	case f < 1000:
		return fmt.Sprintf("%.1fms", f)
	}
	return fmt.Sprintf("%.2fs", f/1000)
}
