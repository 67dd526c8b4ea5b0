package feedback

import (
	"errors"
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rules' intake section reads offset-less timestamps in the default
// calendar's zone unless it names its own; without calendars, in UTC.
func TestRulesIntakeValidatorZone(t *testing.T) {
	preset, err := PresetRules()
	require.NoError(t, err)
	tests := []struct {
		name  string
		rules func(t *testing.T) *Rules
		zone  string
	}{
		{"the preset: the default calendar cn-office's zone", func(*testing.T) *Rules { return preset }, "Asia/Shanghai"},
		{"no intake section, no calendar: UTC", func(t *testing.T) *Rules { return mustRules(t, `{"version": "v"}`) }, "UTC"},
		{"no intake section: the default calendar's zone", func(t *testing.T) *Rules {
			return mustRules(t, `{"version": "v", "default_calendar": "ny",
			  "calendars": [{"name": "ny", "time_zone": "America/New_York", "week": {"mon": [["09:00","17:00"]]}}]}`)
		}, "America/New_York"},
		{"the section's own zone wins", func(t *testing.T) *Rules {
			return mustRules(t, `{"version": "v", "default_calendar": "ny", "intake": {"time_zone": "Europe/London"},
			  "calendars": [{"name": "ny", "time_zone": "America/New_York", "week": {"mon": [["09:00","17:00"]]}}]}`)
		}, "Europe/London"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.rules(t).IntakeValidator()
			require.NotNil(t, v)
			assert.Equal(t, tt.zone, v.Location().String())
		})
	}
	// "2024-03-01 10:30:00" under the preset is 10:30 in Shanghai, 02:30 UTC.
	in, err := preset.IntakeValidator().Parse(doc002Row1(), time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 3, 1, 2, 30, 0, 0, time.UTC), in.ReceivedAt.UTC())
}

func TestRulesIntakeSectionErrors(t *testing.T) {
	tests := []struct {
		name, doc, path string
	}{
		{"bad zone", `{"version": "v", "intake": {"time_zone": "Mars/Olympus"}}`, "$.intake.time_zone"},
		{"unknown required field", `{"version": "v", "intake": {"required": ["shoe_size"]}}`, "$.intake.required[0]"},
		{"unknown key", `{"version": "v", "intake": {"requried": []}}`, "$.intake.requried"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules([]byte(tt.doc))
			var pe *PathError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.path, pe.Path)
		})
	}
}

func mustRules(t *testing.T, doc string) *Rules {
	t.Helper()
	r, err := ParseRules([]byte(doc))
	require.NoError(t, err)
	return r
}

// doc002Row1 is document 002 table 1's first row as a form.
func doc002Row1() intake.Form {
	return intake.Form{
		FeedbackID: "F20240301001", TicketNumber: "CS20240301001", CustomerID: "C1001", CustomerName: "张*",
		Contact: "13856785678", Product: "手机Pro", PurchaseDate: "2024-02-15", Channel: "客服",
		ReceivedAt: "2024-03-01 10:30:00", Description: "手机充电1小时仅充入20%，怀疑电池故障",
		Expected: "更换电池", TriedRemedies: "重启手机、更换充电器均无效", Owner: "客服专员",
	}
}

func TestOpeningFromIntake(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	sh, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	received := time.Date(2024, 3, 1, 10, 30, 0, 0, sh)
	base := intake.Intake{FeedbackID: "F20240301001", CustomerID: "C1001", CustomerName: "张*", Contact: "13856785678",
		Channel: "phone", ReceivedAt: received, Description: "手机充电1小时仅充入20%，怀疑电池故障"}
	with := func(f func(*intake.Intake)) intake.Intake {
		in := base
		f(&in)
		return in
	}
	tests := []struct {
		name string
		in   intake.Intake
		want Opening
	}{
		{"the core fields", base, Opening{ID: "F20240301001", At: received, Actor: IntakeActor, Customer: "C1001", Channel: "phone"}},
		{"names become taxonomy IDs; every taxonomy field and the product are attributes", with(func(in *intake.Intake) {
			in.Channel, in.Category, in.SubCategory, in.Kind, in.Tier, in.Stage = "客服", "产品故障类", "功能异常", "投诉", "VIP会员", "售后"
			in.Tags, in.Sentiment, in.Product, in.Owner = []string{"电池", "battery"}, "dissatisfied", "手机Pro", "客服专员"
		}), Opening{ID: "F20240301001", At: received, Actor: "客服专员", Customer: "C1001", Channel: "phone", Category: "product_fault",
			Attributes: map[string]string{"kind": "complaint", "tier": "vip", "stage": "after_sales", "sub_category": "malfunction",
				"tags": "battery", "sentiment": "dissatisfied", "product": "手机Pro"}}},
		{"the host's attributes, under their own names; the intake's fields win", with(func(in *intake.Intake) {
			in.Tier = "returning"
			in.Attributes = map[string]string{"business_line": "ecommerce", "tier": "gold", "region": "华东"}
		}), Opening{ID: "F20240301001", At: received, Actor: IntakeActor, Customer: "C1001", Channel: "phone",
			Attributes: map[string]string{"business_line": "ecommerce", "tier": "returning", "region": "华东"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := r.OpeningFromIntake(tt.in)
			require.NoError(t, err)
			assert.True(t, tt.want.At.Equal(o.At))
			o.At = tt.want.At
			assert.Equal(t, tt.want, o)
			// The opening opens a ticket as it is.
			tk, _, err := r.Open(o)
			require.NoError(t, err)
			assert.Equal(t, o.ID, tk.ID)
			assert.NotContains(t, tk.Attributes, "contact", "personal data stays in the host's record")
		})
	}
}

func TestOpeningFromIntakeErrors(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	at := time.Date(2024, 3, 1, 2, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		in     intake.Intake
		fields []string
		is     error
	}{
		{"the intake section's required fields", intake.Intake{FeedbackID: "F1", ReceivedAt: at}, []string{intake.FieldChannel, intake.FieldContact, intake.FieldCustomerName, intake.FieldDescription}, intake.ErrRequired},
		{"an unknown tier", intake.Intake{FeedbackID: "F1", ReceivedAt: at, CustomerName: "a", Contact: "b", Channel: "phone", Description: "c", Tier: "gold"},
			[]string{intake.FieldTier}, intake.ErrUnknownValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.OpeningFromIntake(tt.in)
			var ie *intake.Error
			require.ErrorAs(t, err, &ie)
			assert.ElementsMatch(t, tt.fields, ie.Fields())
			assert.ErrorIs(t, err, tt.is)
		})
	}

	// A ticket needs an ID and an instant even when the section requires neither.
	lax := mustRules(t, `{"version": "v", "intake": {"required": []}}`)
	_, err = lax.OpeningFromIntake(intake.Intake{Description: "x"})
	var ie *intake.Error
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{intake.FieldFeedbackID, intake.FieldReceivedAt}, ie.Fields())
	assert.True(t, errors.Is(err, intake.ErrRequired))
	o, err := lax.OpeningFromIntake(intake.Intake{FeedbackID: "F9", ReceivedAt: at, Kind: "anything"})
	require.NoError(t, err, "no taxonomy: any kind")
	assert.Equal(t, map[string]string{"kind": "anything"}, o.Attributes)
}
