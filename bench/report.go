package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteTable prints one row per result (scenario, workers, requests,
// successful rate, p50 and p99 of successes, errors), then the kinds of
// error each scenario met and any notes.
func WriteTable(w io.Writer, results []*Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tworkers\trequests\tok/s\tp50\tp99\terrors\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%d\t\n",
			r.Scenario, r.Concurrency, r.Requests, r.Rate, ms(r.P50), ms(r.P99), r.Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
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
