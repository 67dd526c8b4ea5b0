package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/metrics"
)

const kpiAbout = `Kpi reads one record per ticket and writes the KPI report of package
metrics — CSAT, NPS, effort, first-contact resolution, closure, reopen and
repeat rates, response and resolution times with quantiles, SLA achievement,
backlog, compensation — as Markdown (the default), CSV, JSON, or an SVG chart
of one figure per group (-figure; lines over the periods when -period is set).

RECORDS is newline-delimited JSON (.ndjson, .jsonl) or CSV with a header
(.csv), chosen by the extension or -input; "-" reads standard input. The
fields, as JSON keys or CSV columns (every one optional):

  kind category channel priority tier region team agent business_line
  custom0..custom3 customer_id                          text
  received first_response resolved closed               RFC 3339 instants
  first_response_business resolution_business           durations ("2h30m")
  sla        {"first_response": "met", ...}; in CSV the columns
             sla.first_response, ...: none, met, breached, open, open_breached
  reopen_count csat (1..5) nps (0..10; absent: not answered) ces (1..7)
  first_contact_resolved repeat survey_sent             true or false
  follow_up  none, pending or done
  sat_dims   [4, 5, ...]; in CSV separated by ";"
  tags       ["crash", ...]; in CSV separated by ";"
  compensation_minor currency                           granted, in minor units

A record that does not read stops the run with its line number (exit 2).`

func runKPI(args []string, e env) int {
	var (
		asJSON                                                      bool
		format, input, groupBy, period, tz, slaMetrics, figure, out string
		asOf                                                        time.Time
		prog                                                        *string
		p                                                           **l10n.Printer
	)
	fs, code := parse("kpi", "[flags] RECORDS", kpiAbout, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "md", "md, csv, json or svg")
		fs.BoolVar(&asJSON, "json", false, "the same as -format json")
		fs.StringVar(&input, "input", "", "ndjson or csv (default: by the file's extension)")
		fs.StringVar(&groupBy, "group-by", "", "dimensions to group by, comma-separated: kind, category, channel, priority, tier, region, team, agent, business_line, custom0..custom3")
		fs.StringVar(&period, "period", "none", "also group by none, day, week, month or quarter of received")
		fs.StringVar(&tz, "tz", "UTC", "time zone of periods")
		fs.Var(timeFlag{&asOf}, "as-of", "the instant backlog and aging are counted at (default: none)")
		fs.StringVar(&slaMetrics, "sla-metrics", "first_response,resolution,follow_up,update", "SLA metrics counted, comma-separated, in order")
		fs.StringVar(&figure, "figure", "csat", "the figure of -format svg: tickets, csat, nps, fcr, closure_rate, repeat_rate, first_response_hours, resolution_hours")
		fs.StringVar(&out, "o", "", "write the report to this file instead of standard output")
		prog = addProgress(fs)
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(e, "kpi", "want one records file, got %d arguments", fs.NArg())
	}
	if asJSON {
		format = "json"
	}
	cfg := metrics.Config{AsOf: asOf, SLAMetrics: splitList(slaMetrics)}
	for _, d := range splitList(groupBy) {
		dim, err := metrics.ParseDimension(d)
		if err != nil {
			return usageError(e, "kpi", "-group-by: %v", err)
		}
		cfg.GroupBy = append(cfg.GroupBy, dim)
	}
	per, ok := periods[period]
	if !ok {
		return usageError(e, "kpi", "-period %q: want none, day, week, month or quarter", period)
	}
	cfg.Period = per
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return usageError(e, "kpi", "-tz: %v", err)
	}
	cfg.Location = loc
	fig, ok := figures[figure]
	if !ok && format == "svg" {
		return usageError(e, "kpi", "-figure %q: want one of %s", figure, strings.Join(slices.Sorted(maps.Keys(figures)), ", "))
	}
	if !slices.Contains([]string{"md", "csv", "json", "svg"}, format) {
		return usageError(e, "kpi", "-format %q: want md, csv, json or svg", format)
	}
	path := fs.Arg(0)
	if input == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".csv":
			input = "csv"
		default:
			input = "ndjson"
		}
	}
	if input != "csv" && input != "ndjson" {
		return usageError(e, "kpi", "-input %q: want ndjson or csv", input)
	}
	agg, err := metrics.New(cfg)
	if err != nil {
		return inputError(e, *p, "kpi", err)
	}
	in, closeIn, err := openInput(e, path)
	if err != nil {
		return inputError(e, *p, "kpi", err)
	}
	defer closeIn()
	acc := agg.NewAccumulator()
	pr := newProgress(e, *prog, 10000)
	slots := map[string]int{}
	for i, m := range cfg.SLAMetrics {
		slots[m] = i
	}
	var n int64
	add := func(rec *metrics.Record) {
		acc.Add(rec)
		n++
		pr.tick(n, "records read")
	}
	if input == "csv" {
		err = readCSV(in, slots, add)
	} else {
		err = readNDJSON(in, slots, add)
	}
	pr.done(n, "records read")
	if err != nil {
		return inputError(e, *p, "kpi", fmt.Errorf("%s: %w", path, err))
	}
	res := acc.Result()

	w := e.stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return inputError(e, *p, "kpi", err)
		}
		defer f.Close()
		w = f
	}
	switch format {
	case "md":
		err = metrics.WriteMarkdown(w, res)
	case "csv":
		err = metrics.WriteCSV(w, res)
	case "json":
		err = metrics.WriteJSON(w, res)
	case "svg":
		err = writeKPIChart(w, res, figure, fig)
	}
	if err != nil {
		return inputError(e, *p, "kpi", err)
	}
	return exitOK
}

var periods = map[string]metrics.Period{
	"none": metrics.PeriodNone, "day": metrics.PeriodDay, "week": metrics.PeriodWeek,
	"month": metrics.PeriodMonth, "quarter": metrics.PeriodQuarter,
}

// figures are the charts -format svg draws, with their axis titles.
var figures = map[string]struct {
	f     metrics.Figure
	title string
}{
	"tickets":              {metrics.FigureTickets, "tickets"},
	"csat":                 {metrics.FigureCSAT, "CSAT (%): answers 4–5 ÷ answers"},
	"nps":                  {metrics.FigureNPS, "NPS"},
	"fcr":                  {metrics.FigureFCR, "first-contact resolution (%)"},
	"closure_rate":         {metrics.FigureClosureRate, "closure rate (%)"},
	"repeat_rate":          {metrics.FigureRepeatRate, "repeat-feedback rate (%)"},
	"first_response_hours": {metrics.FigureFirstResponseHours, "mean first response (hours)"},
	"resolution_hours":     {metrics.FigureResolutionHours, "mean resolution (hours)"},
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// recordJSON is a record as NDJSON carries it.
type recordJSON struct {
	Kind                  string            `json:"kind"`
	Category              string            `json:"category"`
	Channel               string            `json:"channel"`
	Priority              string            `json:"priority"`
	Tier                  string            `json:"tier"`
	Region                string            `json:"region"`
	Team                  string            `json:"team"`
	Agent                 string            `json:"agent"`
	BusinessLine          string            `json:"business_line"`
	Custom0               string            `json:"custom0"`
	Custom1               string            `json:"custom1"`
	Custom2               string            `json:"custom2"`
	Custom3               string            `json:"custom3"`
	CustomerID            string            `json:"customer_id"`
	Received              time.Time         `json:"received"`
	FirstResponse         time.Time         `json:"first_response"`
	Resolved              time.Time         `json:"resolved"`
	Closed                time.Time         `json:"closed"`
	FirstResponseBusiness string            `json:"first_response_business"`
	ResolutionBusiness    string            `json:"resolution_business"`
	SLA                   map[string]string `json:"sla"`
	ReopenCount           int               `json:"reopen_count"`
	FirstContactResolved  bool              `json:"first_contact_resolved"`
	Repeat                bool              `json:"repeat"`
	FollowUp              string            `json:"follow_up"`
	SurveySent            bool              `json:"survey_sent"`
	CSAT                  uint8             `json:"csat"`
	NPS                   *uint8            `json:"nps"`
	CES                   uint8             `json:"ces"`
	SatDims               []uint8           `json:"sat_dims"`
	Tags                  []string          `json:"tags"`
	CompensationMinor     int64             `json:"compensation_minor"`
	Currency              string            `json:"currency"`
}

var slaStatuses = map[string]metrics.SLAStatus{
	"": metrics.SLANone, "none": metrics.SLANone, "met": metrics.SLAMet, "breached": metrics.SLABreached,
	"open": metrics.SLAOpen, "open_breached": metrics.SLAOpenBreached,
}

var followUps = map[string]metrics.FollowUpStatus{
	"": metrics.FollowUpNone, "none": metrics.FollowUpNone, "pending": metrics.FollowUpPending, "done": metrics.FollowUpDone,
}

// record converts to the metrics package's record.
func (r *recordJSON) record(slots map[string]int) (metrics.Record, error) {
	rec := metrics.Record{Kind: r.Kind, Category: r.Category, Channel: r.Channel, Priority: r.Priority, Tier: r.Tier,
		Region: r.Region, Team: r.Team, Agent: r.Agent, BusinessLine: r.BusinessLine,
		Custom:     [metrics.MaxCustom]string{r.Custom0, r.Custom1, r.Custom2, r.Custom3},
		CustomerID: r.CustomerID, Received: r.Received, FirstResponse: r.FirstResponse, Resolved: r.Resolved, Closed: r.Closed,
		ReopenCount: r.ReopenCount, FirstContactResolved: r.FirstContactResolved, Repeat: r.Repeat, SurveySent: r.SurveySent,
		CSAT: r.CSAT, CES: r.CES, Tags: r.Tags, CompensationMinor: r.CompensationMinor, Currency: r.Currency}
	var err error
	for _, d := range []struct {
		s    string
		into *time.Duration
		name string
	}{{r.FirstResponseBusiness, &rec.FirstResponseBusiness, "first_response_business"}, {r.ResolutionBusiness, &rec.ResolutionBusiness, "resolution_business"}} {
		if d.s == "" {
			continue
		}
		if *d.into, err = time.ParseDuration(d.s); err != nil {
			return rec, fmt.Errorf("%s: %v", d.name, err)
		}
		rec.BusinessTimes = true
	}
	for name, st := range r.SLA {
		slot, ok := slots[name]
		if !ok {
			return rec, fmt.Errorf("sla.%s: not one of the counted metrics (-sla-metrics)", name)
		}
		s, ok := slaStatuses[st]
		if !ok {
			return rec, fmt.Errorf("sla.%s: %q is not none, met, breached, open or open_breached", name, st)
		}
		rec.SLA[slot] = s
	}
	fu, ok := followUps[r.FollowUp]
	if !ok {
		return rec, fmt.Errorf("follow_up: %q is not none, pending or done", r.FollowUp)
	}
	rec.FollowUp = fu
	if r.NPS != nil {
		rec.NPS, rec.NPSAnswered = *r.NPS, true
	}
	if len(r.SatDims) > metrics.MaxSatDims {
		return rec, fmt.Errorf("sat_dims: at most %d", metrics.MaxSatDims)
	}
	copy(rec.SatDims[:], r.SatDims)
	return rec, nil
}

// readNDJSON reads one record a line; blank lines are skipped.
func readNDJSON(r io.Reader, slots map[string]int, add func(*metrics.Record)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rj recordJSON
		if err := jsonStrict(b, &rj); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		rec, err := rj.record(slots)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		add(&rec)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}

// readCSV reads records from a CSV file with a header row naming the
// fields; each row is converted through the NDJSON form, so both inputs
// mean the same.
func readCSV(r io.Reader, slots map[string]int, add func(*metrics.Record)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return err
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return err
		}
		obj := map[string]any{}
		slaCols := map[string]string{}
		for i, name := range head {
			v := strings.TrimSpace(row[i])
			if v == "" {
				continue
			}
			switch {
			case strings.HasPrefix(name, "sla."):
				slaCols[strings.TrimPrefix(name, "sla.")] = v
			case name == "tags":
				obj[name] = strings.Split(v, ";")
			case name == "sat_dims":
				var dims []int
				for _, s := range strings.Split(v, ";") {
					d, err := strconv.Atoi(strings.TrimSpace(s))
					if err != nil {
						return fmt.Errorf("line %d: sat_dims: %q is not a number", line, s)
					}
					dims = append(dims, d)
				}
				obj[name] = dims
			case csvNumbers[name]:
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return fmt.Errorf("line %d: %s: %q is not a whole number", line, name, v)
				}
				obj[name] = n
			case csvBools[name]:
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("line %d: %s: %q is not true or false", line, name, v)
				}
				obj[name] = b
			default:
				obj[name] = v
			}
		}
		if len(slaCols) > 0 {
			obj["sla"] = slaCols
		}
		data, err := json.Marshal(obj)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		var rj recordJSON
		if err := jsonStrict(data, &rj); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		rec, err := rj.record(slots)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		add(&rec)
	}
}

var (
	csvNumbers = map[string]bool{"reopen_count": true, "csat": true, "nps": true, "ces": true, "compensation_minor": true}
	csvBools   = map[string]bool{"first_contact_resolved": true, "repeat": true, "survey_sent": true}
)
