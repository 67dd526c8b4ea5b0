package l10n

import (
	"time"

	"github.com/closeloop/closeloop/sla"
)

// Status names an SLA clock's status: "running", "breached" (in Chinese
// "计时中", "已超时").
func (p *Printer) Status(s sla.Status) string {
	if k, ok := statusKeys[s]; ok {
		return p.t(k)
	}
	return s.String()
}

var statusKeys = map[sla.Status]string{
	sla.Pending: "status.pending", sla.Running: "status.running", sla.Paused: "status.paused",
	sla.Met: "status.met", sla.Breached: "status.breached", sla.Cancelled: "status.cancelled",
}

// MetricKind names a kind of SLA metric: "first response" ("首次响应").
func (p *Printer) MetricKind(k sla.MetricKind) string {
	if key, ok := kindKeys[k.String()]; ok {
		return p.t(key)
	}
	return k.String()
}

// MetricName names a metric of a report: in Chinese a metric kind's JSON name
// ("first_response") or a preset's metric name ([Printer.Name]) is translated;
// in English, and for a host's own names, it is shown as given.
func (p *Printer) MetricName(name string) string {
	if key, ok := kindKeys[name]; ok && p.zh {
		return p.t(key)
	}
	return p.Name(name)
}

// Name names an identifier of the presets' SLA policies — a metric
// ("second_visit"), a warning ("half_time") or an escalation level
// ("senior_management") — in Chinese; English, and any other identifier,
// show it as given.
func (p *Printer) Name(id string) string {
	if zh, ok := names[id]; ok && p.zh {
		return zh
	}
	return id
}

var kindKeys = map[string]string{
	"first_response": "kind.first_response", "resolution": "kind.resolution", "follow_up": "kind.follow_up",
	"periodic_update": "kind.periodic_update", "time_in_stage": "kind.time_in_stage", "custom": "kind.custom",
}

// Target writes a target: "48h elapsed", "16h business on office", "5
// working days on cn-office" (in Chinese "48小时（自然时间）", "16小时工作时间（office
// 日历）", "5个工作日（cn-office 日历）").
func (p *Printer) Target(t sla.Target) string {
	switch t.Unit {
	case sla.Elapsed:
		return p.t("target.elapsed", p.Duration(t.Duration))
	case sla.Business:
		return p.t("target.business", p.Duration(t.Duration), t.Calendar)
	case sla.WorkingDays:
		if t.Days == 1 {
			return p.t("target.working_day", t.Calendar)
		}
		return p.t("target.working_days", itoa(t.Days), t.Calendar)
	}
	return t.Unit.String()
}

// Remaining says how much of a running or paused clock's target is left:
// "47h40m left" for a target in elapsed time, "37h left in working hours"
// when the target counts open time on a business calendar (business and
// working-days targets), since that is what Remaining counts then.
func (p *Printer) Remaining(m sla.MetricReport) string {
	if m.Target.Unit == sla.Elapsed {
		return p.t("remaining.elapsed", p.Duration(m.Remaining))
	}
	return p.t("remaining.business", p.Duration(m.Remaining))
}

// Metric writes one metric of an SLA report as a line, instants in loc
// (nil: their own location): "resolution: paused, target 5 working days on
// cn-office, due 03-11 11:30, 37h left in working hours"; a breached clock
// says when and how late, a stopped one when it stopped, a metric without a
// target for the ticket's priority says so.
func (p *Printer) Metric(m sla.MetricReport, loc *time.Location) string {
	s := p.t("metric.head", p.MetricName(m.Name), p.Status(m.Status))
	if !m.HasTarget {
		return s + p.t("metric.no_target")
	}
	s += p.t("metric.target", p.Target(m.Target))
	if !m.Deadline.IsZero() {
		s += p.t("metric.due", when(m.Deadline, loc, short))
	}
	switch m.Status {
	case sla.Running, sla.Paused:
		s += p.t("metric.part", p.Remaining(m))
	case sla.Breached:
		s += p.t("metric.breached", when(m.BreachedAt, loc, short), p.Duration(m.Late))
	}
	if !m.Stopped.IsZero() {
		s += p.t("metric.stopped", when(m.Stopped, loc, short))
	}
	return s
}
