package intake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// Sentiment is the customer's mood as document 003 records it.
type Sentiment string

// The three sentiments of document 003 (满意 / 一般 / 不满意).
const (
	SentimentSatisfied    Sentiment = "satisfied"
	SentimentNeutral      Sentiment = "neutral"
	SentimentDissatisfied Sentiment = "dissatisfied"
)

// ParseSentiment accepts the English IDs and the documents' Chinese words
// (满意, 一般/中性, 不满意) and returns the [Sentiment]. "" is the zero value.
func ParseSentiment(s string) (Sentiment, error) {
	switch termKey(s) {
	case "":
		return "", nil
	case "satisfied", "positive", "满意", "滿意", "正面":
		return SentimentSatisfied, nil
	case "neutral", "一般", "中性", "中立":
		return SentimentNeutral, nil
	case "dissatisfied", "negative", "不满意", "不滿意", "负面", "負面":
		return SentimentDissatisfied, nil
	}
	return "", fmt.Errorf("%w: sentiment %q (want satisfied, neutral or dissatisfied)", ErrBadFormat, s)
}

// Intake field names, as used in [ValidatorSpec.Required],
// [ValidatorSpec.MaxLengths] and [FieldProblem.Field]. Tags and attributes are
// reported per element: "tags[2]", "attributes.colour".
const (
	FieldFeedbackID    = "feedback_id"
	FieldTicketNumber  = "ticket_number"
	FieldCustomerID    = "customer_id"
	FieldCustomerName  = "customer_name"
	FieldContact       = "contact"
	FieldProduct       = "product"
	FieldPurchaseDate  = "purchase_date"
	FieldChannel       = "channel"
	FieldReceivedAt    = "received_at"
	FieldOccurredAt    = "occurred_at"
	FieldDescription   = "description"
	FieldExpected      = "expected"
	FieldTriedRemedies = "tried_remedies"
	FieldSentiment     = "sentiment"
	FieldKind          = "kind"
	FieldCategory      = "category"
	FieldSubCategory   = "sub_category"
	FieldStage         = "stage"
	FieldTier          = "tier"
	FieldOwner         = "owner"
	FieldTags          = "tags"
	FieldAttributes    = "attributes"
)

// intakeTextFields lists the string fields with their default length limit
// (in characters) and whether line breaks are allowed.
var intakeTextFields = []struct {
	name      string
	max       int
	multiLine bool
}{
	{FieldFeedbackID, 64, false},
	{FieldTicketNumber, 64, false},
	{FieldCustomerID, 64, false},
	{FieldCustomerName, 100, false},
	{FieldContact, 200, false},
	{FieldProduct, 200, false},
	{FieldChannel, 64, false},
	{FieldDescription, 5000, true},
	{FieldExpected, 2000, true},
	{FieldTriedRemedies, 2000, true},
	{FieldKind, 64, false},
	{FieldCategory, 64, false},
	{FieldSubCategory, 64, false},
	{FieldStage, 64, false},
	{FieldTier, 64, false},
	{FieldOwner, 100, false},
}

func knownIntakeField(name string) bool {
	switch name {
	case FieldPurchaseDate, FieldReceivedAt, FieldOccurredAt, FieldSentiment, FieldTags, FieldAttributes:
		return true
	}
	for _, f := range intakeTextFields {
		if f.name == name {
			return true
		}
	}
	return false
}

// Intake is one registered piece of feedback: the registration fields of
// document 002 table 1 (and 001, 003) plus the host's tags and attributes.
// Taxonomy fields hold term IDs once validated.
type Intake struct {
	FeedbackID    string            `json:"feedback_id"`              // unique, e.g. F20240301001
	TicketNumber  string            `json:"ticket_number,omitempty"`  // service-desk ticket, e.g. CS20240301001
	CustomerID    string            `json:"customer_id,omitempty"`    // the host's customer key
	CustomerName  string            `json:"customer_name,omitempty"`  // person or company
	Contact       string            `json:"contact,omitempty"`        // phone, e-mail, …
	Product       string            `json:"product,omitempty"`        // product model or service item
	PurchaseDate  time.Time         `json:"purchase_date,omitzero"`   // purchase/service date; only the date counts
	Channel       string            `json:"channel,omitempty"`        // taxonomy channel
	ReceivedAt    time.Time         `json:"received_at,omitzero"`     // exact instant the feedback arrived
	OccurredAt    time.Time         `json:"occurred_at,omitzero"`     // when the problem happened
	Description   string            `json:"description,omitempty"`    // scene and what happened
	Expected      string            `json:"expected,omitempty"`       // the solution the customer expects
	TriedRemedies string            `json:"tried_remedies,omitempty"` // what the customer already tried
	Sentiment     Sentiment         `json:"sentiment,omitempty"`
	Kind          string            `json:"kind,omitempty"`         // complaint / suggestion / inquiry
	Category      string            `json:"category,omitempty"`     // problem type
	SubCategory   string            `json:"sub_category,omitempty"` // below Category
	Stage         string            `json:"stage,omitempty"`        // pre-sales / after-sales / technical support
	Tier          string            `json:"tier,omitempty"`         // customer type or VIP tier
	Owner         string            `json:"owner,omitempty"`        // who registered or owns it
	Tags          []string          `json:"tags,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"`
}

// Form is an intake as it arrives from a form, a spreadsheet row or an
// import: every value is text. [Validator.Parse] turns it into an [Intake].
type Form struct {
	FeedbackID    string            `json:"feedback_id"`
	TicketNumber  string            `json:"ticket_number,omitempty"`
	CustomerID    string            `json:"customer_id,omitempty"`
	CustomerName  string            `json:"customer_name,omitempty"`
	Contact       string            `json:"contact,omitempty"`
	Product       string            `json:"product,omitempty"`
	PurchaseDate  string            `json:"purchase_date,omitempty"` // YYYY-MM-DD or an exact timestamp
	Channel       string            `json:"channel,omitempty"`
	ReceivedAt    string            `json:"received_at,omitempty"` // YYYY-MM-DD HH:MM:SS or RFC 3339
	OccurredAt    string            `json:"occurred_at,omitempty"`
	Description   string            `json:"description,omitempty"`
	Expected      string            `json:"expected,omitempty"`
	TriedRemedies string            `json:"tried_remedies,omitempty"`
	Sentiment     string            `json:"sentiment,omitempty"`
	Kind          string            `json:"kind,omitempty"`
	Category      string            `json:"category,omitempty"`
	SubCategory   string            `json:"sub_category,omitempty"`
	Stage         string            `json:"stage,omitempty"`
	Tier          string            `json:"tier,omitempty"`
	Owner         string            `json:"owner,omitempty"`
	Tags          []string          `json:"tags,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"`
}

// Sentinel errors wrapped by [FieldProblem]; test with [errors.Is] on a
// FieldProblem or on the whole *[Error].
var (
	ErrRequired    = errors.New("is required")
	ErrTooLong     = errors.New("is too long")
	ErrBadText     = errors.New("contains forbidden characters")
	ErrInexactTime = errors.New("is not an exact time")
	ErrTimeOrder   = errors.New("is out of order in time")
	ErrRejected    = errors.New("is rejected")
	ErrTooMany     = errors.New("has too many entries")
	ErrBadFormat   = errors.New("is malformed")
	ErrDuplicateID = errors.New("is already used")
)

// FieldProblem is one problem with one field of an intake.
type FieldProblem struct {
	Field   string // e.g. "received_at", "tags[2]", "attributes.colour"
	Message string // plain words for a person
	Err     error  // wraps one of the Err… sentinels or an *UnknownValueError
}

// Error returns "field: message".
func (p FieldProblem) Error() string { return p.Field + ": " + p.Message }

// Unwrap returns the underlying error.
func (p FieldProblem) Unwrap() error { return p.Err }

// Error reports every problem found in one intake at once.
type Error struct {
	FeedbackID string
	Problems   []FieldProblem // in field order; never empty
}

// Error lists every problem.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("intake: feedback")
	if e.FeedbackID != "" && utf8.ValidString(e.FeedbackID) && len(e.FeedbackID) <= 64 {
		b.WriteString(" " + strconv.Quote(e.FeedbackID))
	}
	fmt.Fprintf(&b, " has %d problem(s): ", len(e.Problems))
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is(err, [ErrRequired]) and
// errors.As(err, &unknown) look at each of them.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Fields returns the names of the fields with problems, in order.
func (e *Error) Fields() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Field
	}
	return out
}

// Has reports whether field has a problem.
func (e *Error) Has(field string) bool {
	for _, p := range e.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// ValidatorSpec is the rules data of intake validation: the "intake"
// section of a rules document, compiled by [NewValidator].
type ValidatorSpec struct {
	// Required lists the fields that must be present. Nil means
	// [DefaultRequiredFields]; an empty list requires nothing.
	Required []string `json:"required"`
	// MaxLengths overrides the default limit (in characters) of a field;
	// "tag", "attribute_key" and "attribute_value" set element limits.
	MaxLengths map[string]int `json:"max_lengths,omitempty"`
	// MaxTags and MaxAttributes limit counts (defaults 20 and 50).
	MaxTags       int `json:"max_tags,omitempty"`
	MaxAttributes int `json:"max_attributes,omitempty"`
	// TimeZone is the IANA zone of timestamps written without an offset
	// ("2024-03-01 10:30:00"). Empty means UTC.
	TimeZone string `json:"time_zone,omitempty"`
	// FutureSkew is how far received_at and occurred_at may lie after the
	// now passed to Validate (clock skew between systems), as a Go duration
	// ("5m"). Empty means 5 minutes.
	FutureSkew string `json:"future_skew,omitempty"`
	// TestCustomers are customer IDs or names whose feedback is rejected
	// (test accounts, document 003).
	TestCustomers []string `json:"test_customers,omitempty"`
	// SpamKeywords reject a description that contains any of them
	// (case-insensitive; document 003's "irrelevant advertising").
	SpamKeywords []string `json:"spam_keywords,omitempty"`
}

// DefaultRequiredFields are the fields required when [ValidatorSpec.Required]
// is nil: document 002 step 1's core registration fields.
func DefaultRequiredFields() []string {
	return []string{FieldFeedbackID, FieldCustomerName, FieldContact, FieldChannel, FieldReceivedAt, FieldDescription}
}

// Validator checks intakes against a [ValidatorSpec] and a [Taxonomy]. It is
// immutable and safe for concurrent use.
type Validator struct {
	required      map[string]bool
	maxLen        map[string]int
	maxTags       int
	maxAttributes int
	loc           *time.Location
	skew          time.Duration
	tax           *Taxonomy
	testCustomers map[string]bool
	spam          []string
}

// ParseValidator strictly decodes a [ValidatorSpec] and compiles it with tax.
func ParseValidator(data []byte, tax *Taxonomy) (*Validator, error) {
	var r ValidatorSpec
	if err := rulesjson.Decode(data, &r); err != nil {
		return nil, err
	}
	return NewValidator(r, tax)
}

// NewValidator compiles rules. A nil taxonomy accepts any kind, category,
// tag, channel, tier and stage. Errors are
// *[closeloop.PathError].
func NewValidator(spec ValidatorSpec, tax *Taxonomy) (*Validator, error) {
	v := &Validator{
		required:      map[string]bool{},
		maxLen:        map[string]int{"tag": 64, "attribute_key": 64, "attribute_value": 1000},
		maxTags:       20,
		maxAttributes: 50,
		loc:           time.UTC,
		skew:          5 * time.Minute,
		tax:           tax,
		testCustomers: map[string]bool{},
	}
	for _, f := range intakeTextFields {
		v.maxLen[f.name] = f.max
	}
	req := spec.Required
	if req == nil {
		req = DefaultRequiredFields()
	}
	for i, f := range req {
		if !knownIntakeField(f) {
			return nil, rulesjson.Errorf(rulesjson.Index("$.required", i), "unknown field %q", f)
		}
		v.required[f] = true
	}
	for _, k := range sortedKeys(spec.MaxLengths) {
		n := spec.MaxLengths[k]
		p := rulesjson.Field("$.max_lengths", k)
		if _, ok := v.maxLen[k]; !ok {
			return nil, rulesjson.Errorf(p, "unknown field %q", k)
		}
		if n <= 0 {
			return nil, rulesjson.Errorf(p, "must be positive, got %d", n)
		}
		v.maxLen[k] = n
	}
	if spec.MaxTags < 0 {
		return nil, rulesjson.Errorf("$.max_tags", "must not be negative")
	} else if spec.MaxTags > 0 {
		v.maxTags = spec.MaxTags
	}
	if spec.MaxAttributes < 0 {
		return nil, rulesjson.Errorf("$.max_attributes", "must not be negative")
	} else if spec.MaxAttributes > 0 {
		v.maxAttributes = spec.MaxAttributes
	}
	if spec.TimeZone != "" {
		loc, err := time.LoadLocation(spec.TimeZone)
		if err != nil {
			return nil, rulesjson.Errorf("$.time_zone", "unknown time zone %q", spec.TimeZone)
		}
		v.loc = loc
	}
	if spec.FutureSkew != "" {
		d, err := time.ParseDuration(spec.FutureSkew)
		if err != nil || d < 0 {
			return nil, rulesjson.Errorf("$.future_skew", "want a non-negative Go duration such as \"5m\", got %q", spec.FutureSkew)
		}
		v.skew = d
	}
	for i, c := range spec.TestCustomers {
		if strings.TrimSpace(c) == "" {
			return nil, rulesjson.Errorf(rulesjson.Index("$.test_customers", i), "must not be blank")
		}
		v.testCustomers[termKey(c)] = true
	}
	for i, s := range spec.SpamKeywords {
		k := foldString(strings.TrimSpace(s))
		if k == "" {
			return nil, rulesjson.Errorf(rulesjson.Index("$.spam_keywords", i), "must not be blank")
		}
		v.spam = append(v.spam, k)
	}
	return v, nil
}

// Location returns the zone in which offset-less timestamps are read.
func (v *Validator) Location() *time.Location { return v.loc }

// Taxonomy returns the taxonomy the validator checks values against (nil if none).
func (v *Validator) Taxonomy() *Taxonomy { return v.tax }

// exactLayouts are the accepted timestamp layouts: document 003's
// "YYYY-MM-DD HH:MM:SS" (in the rules' zone) and RFC 3339 with an offset.
var exactLayouts = []string{"2006-01-02 15:04:05", time.RFC3339Nano, "2006-01-02 15:04:05Z07:00"}

// ParseExactTime reads a timestamp that must be exact to the second:
// "YYYY-MM-DD HH:MM:SS" in loc, or RFC 3339 with an offset. Anything else
// ("2024-03-01 10:30", "yesterday", "近日") wraps [ErrInexactTime].
func ParseExactTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for i, layout := range exactLayouts {
		var t time.Time
		var err error
		if i == 0 {
			t, err = time.ParseInLocation(layout, s, loc)
		} else {
			t, err = time.Parse(layout, s)
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q (want YYYY-MM-DD HH:MM:SS)", ErrInexactTime, textcheck.Truncate(s, 40))
}

// parseDateOrTime reads a purchase/service date: "YYYY-MM-DD" or an exact timestamp.
func parseDateOrTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc); err == nil {
		return t, nil
	}
	t, err := ParseExactTime(s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q (want YYYY-MM-DD)", ErrInexactTime, textcheck.Truncate(s, 40))
	}
	return t, nil
}

// Parse converts a text form into an [Intake] and validates it (see
// [Validator.Validate]). All problems, from parsing and validation alike, come
// back together in one *[Error].
func (v *Validator) Parse(f Form, now time.Time) (Intake, error) {
	in := Intake{
		FeedbackID: f.FeedbackID, TicketNumber: f.TicketNumber, CustomerID: f.CustomerID,
		CustomerName: f.CustomerName, Contact: f.Contact, Product: f.Product, Channel: f.Channel,
		Description: f.Description, Expected: f.Expected, TriedRemedies: f.TriedRemedies,
		Kind: f.Kind, Category: f.Category, SubCategory: f.SubCategory, Stage: f.Stage, Tier: f.Tier,
		Owner: f.Owner, Tags: f.Tags, Attributes: f.Attributes,
	}
	var probs []FieldProblem
	add := func(field string, err error) {
		probs = append(probs, FieldProblem{Field: field, Message: problemMessage(err), Err: err})
	}
	parseTime := func(field, s string, dateOK bool) time.Time {
		if strings.TrimSpace(s) == "" {
			return time.Time{}
		}
		if msg := textcheck.Problem(s, false); msg != "" {
			add(field, fmt.Errorf("%w: %s", ErrBadText, msg))
			return time.Time{}
		}
		var t time.Time
		var err error
		if dateOK {
			t, err = parseDateOrTime(s, v.loc)
		} else {
			t, err = ParseExactTime(s, v.loc)
		}
		if err != nil {
			add(field, err)
		}
		return t
	}
	in.PurchaseDate = parseTime(FieldPurchaseDate, f.PurchaseDate, true)
	in.ReceivedAt = parseTime(FieldReceivedAt, f.ReceivedAt, false)
	in.OccurredAt = parseTime(FieldOccurredAt, f.OccurredAt, false)
	if s, err := ParseSentiment(f.Sentiment); err != nil {
		if msg := textcheck.Problem(f.Sentiment, false); msg != "" {
			err = fmt.Errorf("%w: %s", ErrBadText, msg)
		}
		add(FieldSentiment, err)
	} else {
		in.Sentiment = s
	}
	out, err := v.validate(in, now, probs)
	return out, err
}

// ParseBatch parses an import (a spreadsheet, a day's channel export) in one
// go. Each form is parsed as by [Validator.Parse]; in addition a feedback ID
// must be unique (document 003): used by an earlier form of the batch, or known
// to the host (known may be nil), it is a problem of that form's feedback_id
// wrapping [ErrDuplicateID]. The result has one entry per form: the intake and
// a nil error, or the partly normalised intake and its *[Error]. One bad
// row never affects the others.
func (v *Validator) ParseBatch(forms []Form, now time.Time, known func(feedbackID string) bool) ([]Intake, []error) {
	ins := make([]Intake, len(forms))
	errs := make([]error, len(forms))
	first := map[string]int{}
	for i, f := range forms {
		in, err := v.Parse(f, now)
		ins[i] = in
		var dup error
		if id := in.FeedbackID; id != "" && textcheck.Problem(id, false) == "" {
			if j, ok := first[id]; ok {
				dup = fmt.Errorf("%w by row %d of this batch", ErrDuplicateID, j)
			} else if known != nil && known(id) {
				dup = fmt.Errorf("%w by a recorded ticket", ErrDuplicateID)
			} else {
				first[id] = i
			}
		}
		if dup != nil {
			p := FieldProblem{Field: FieldFeedbackID, Message: dup.Error(), Err: dup}
			var ie *Error
			if errors.As(err, &ie) {
				ie.Problems = append([]FieldProblem{p}, ie.Problems...)
			} else {
				err = &Error{FeedbackID: in.FeedbackID, Problems: []FieldProblem{p}}
			}
		}
		errs[i] = err
	}
	return ins, errs
}

func problemMessage(err error) string {
	var uv *UnknownValueError
	if errors.As(err, &uv) {
		if uv.Dimension == DimensionSubCategory {
			return fmt.Sprintf("%q is not a sub-category of %q", textcheck.Truncate(uv.Value, 40), uv.Category)
		}
		return fmt.Sprintf("%q is not a known %s", textcheck.Truncate(uv.Value, 40), strings.ReplaceAll(string(uv.Dimension), "_", "-"))
	}
	return err.Error()
}

// Validate checks an intake and returns it normalised: text trimmed,
// taxonomy values replaced by their term IDs, tags de-duplicated. now is the
// host's current instant; a zero now skips the "not in the future" check.
//
// Rules: required fields present; each text field within its length limit
// and free of control characters (line breaks only in description,
// expected and tried_remedies) and valid UTF-8; the feedback ID without
// spaces; taxonomy values known unless free; received_at and occurred_at
// not after now + [ValidatorSpec.FutureSkew]; occurred_at and purchase_date not
// after received_at; test customers and spam rejected. Every problem is
// reported in one *[Error].
func (v *Validator) Validate(in Intake, now time.Time) (Intake, error) {
	return v.validate(in, now, nil)
}

func (v *Validator) validate(in Intake, now time.Time, probs []FieldProblem) (Intake, error) {
	add := func(field string, err error) {
		probs = append(probs, FieldProblem{Field: field, Message: problemMessage(err), Err: err})
	}
	textPtrs := map[string]*string{
		FieldFeedbackID: &in.FeedbackID, FieldTicketNumber: &in.TicketNumber, FieldCustomerID: &in.CustomerID,
		FieldCustomerName: &in.CustomerName, FieldContact: &in.Contact, FieldProduct: &in.Product,
		FieldChannel: &in.Channel, FieldDescription: &in.Description, FieldExpected: &in.Expected,
		FieldTriedRemedies: &in.TriedRemedies, FieldKind: &in.Kind, FieldCategory: &in.Category,
		FieldSubCategory: &in.SubCategory, FieldStage: &in.Stage, FieldTier: &in.Tier, FieldOwner: &in.Owner,
	}
	bad := map[string]bool{}
	for _, f := range intakeTextFields {
		p := textPtrs[f.name]
		if msg := textcheck.Problem(*p, f.multiLine); msg != "" {
			add(f.name, fmt.Errorf("%w: %s", ErrBadText, msg))
			bad[f.name] = true
			continue
		}
		*p = strings.TrimSpace(*p)
		if *p == "" {
			if v.required[f.name] {
				add(f.name, ErrRequired)
				bad[f.name] = true
			}
			continue
		}
		if n := utf8.RuneCountInString(*p); n > v.maxLen[f.name] {
			add(f.name, fmt.Errorf("%w: %d characters, at most %d", ErrTooLong, n, v.maxLen[f.name]))
			bad[f.name] = true
		}
	}
	if in.FeedbackID != "" && !bad[FieldFeedbackID] && strings.IndexFunc(in.FeedbackID, unicode.IsSpace) >= 0 {
		add(FieldFeedbackID, fmt.Errorf("%w: must not contain spaces", ErrBadFormat))
	}
	// Times.
	for _, tf := range []struct {
		name string
		t    time.Time
	}{{FieldPurchaseDate, in.PurchaseDate}, {FieldReceivedAt, in.ReceivedAt}, {FieldOccurredAt, in.OccurredAt}} {
		if tf.t.IsZero() && v.required[tf.name] && !hasProblem(probs, tf.name) {
			add(tf.name, ErrRequired)
		}
	}
	if !now.IsZero() {
		limit := now.Add(v.skew)
		if in.ReceivedAt.After(limit) {
			add(FieldReceivedAt, fmt.Errorf("%w: %s is after now (%s)", ErrTimeOrder, in.ReceivedAt.Format(time.RFC3339), now.Format(time.RFC3339)))
		}
		if in.OccurredAt.After(limit) {
			add(FieldOccurredAt, fmt.Errorf("%w: %s is after now (%s)", ErrTimeOrder, in.OccurredAt.Format(time.RFC3339), now.Format(time.RFC3339)))
		}
	}
	if !in.ReceivedAt.IsZero() {
		if in.OccurredAt.After(in.ReceivedAt) {
			add(FieldOccurredAt, fmt.Errorf("%w: after received_at", ErrTimeOrder))
		}
		if !in.PurchaseDate.IsZero() {
			py, pm, pd := in.PurchaseDate.Date()
			ry, rm, rd := in.ReceivedAt.In(in.PurchaseDate.Location()).Date()
			if py*10000+int(pm)*100+pd > ry*10000+int(rm)*100+rd {
				add(FieldPurchaseDate, fmt.Errorf("%w: after the day of received_at", ErrTimeOrder))
			}
		}
	}
	if v.required[FieldSentiment] && in.Sentiment == "" && !hasProblem(probs, FieldSentiment) {
		add(FieldSentiment, ErrRequired)
	} else if in.Sentiment != "" {
		if s, err := ParseSentiment(string(in.Sentiment)); err != nil {
			if !hasProblem(probs, FieldSentiment) {
				add(FieldSentiment, err)
			}
		} else {
			in.Sentiment = s
		}
	}
	// Taxonomy values.
	if v.tax != nil {
		for _, d := range []struct {
			field string
			dim   TaxonomyDimension
			p     *string
		}{
			{FieldChannel, DimensionChannel, &in.Channel}, {FieldKind, DimensionKind, &in.Kind},
			{FieldCategory, DimensionCategory, &in.Category}, {FieldStage, DimensionStage, &in.Stage},
			{FieldTier, DimensionTier, &in.Tier},
		} {
			if *d.p == "" || bad[d.field] {
				continue
			}
			id, err := v.tax.Resolve(d.dim, *d.p)
			if err != nil {
				add(d.field, err)
				bad[d.field] = true
				continue
			}
			*d.p = id
		}
		if in.SubCategory != "" && !bad[FieldSubCategory] {
			switch {
			case in.Category == "":
				add(FieldSubCategory, fmt.Errorf("%w: a sub-category needs a category", ErrRequired))
			case bad[FieldCategory]:
			default:
				id, err := v.tax.ResolveSubCategory(in.Category, in.SubCategory)
				if err != nil {
					add(FieldSubCategory, err)
				} else {
					in.SubCategory = id
				}
			}
		}
	}
	// Tags.
	if len(in.Tags) > v.maxTags {
		add(FieldTags, fmt.Errorf("%w: %d tags, at most %d", ErrTooMany, len(in.Tags), v.maxTags))
	} else {
		var tags []string
		seen := map[string]bool{}
		for i, tag := range in.Tags {
			field := rulesjson.Index(FieldTags, i)
			if msg := textcheck.Problem(tag, false); msg != "" {
				add(field, fmt.Errorf("%w: %s", ErrBadText, msg))
				continue
			}
			tag = strings.TrimSpace(tag)
			if tag == "" {
				add(field, fmt.Errorf("%w: blank tag", ErrBadFormat))
				continue
			}
			if n := utf8.RuneCountInString(tag); n > v.maxLen["tag"] {
				add(field, fmt.Errorf("%w: %d characters, at most %d", ErrTooLong, n, v.maxLen["tag"]))
				continue
			}
			if v.tax != nil {
				id, err := v.tax.Resolve(DimensionTag, tag)
				if err != nil {
					add(field, err)
					continue
				}
				tag = id
			}
			if !seen[tag] {
				seen[tag] = true
				tags = append(tags, tag)
			}
		}
		in.Tags = tags
	}
	if v.required[FieldTags] && len(in.Tags) == 0 && !hasProblemPrefix(probs, FieldTags) {
		add(FieldTags, ErrRequired)
	}
	// Attributes.
	if len(in.Attributes) > v.maxAttributes {
		add(FieldAttributes, fmt.Errorf("%w: %d attributes, at most %d", ErrTooMany, len(in.Attributes), v.maxAttributes))
	} else if len(in.Attributes) > 0 {
		attrs := make(map[string]string, len(in.Attributes))
		for _, k := range sortedKeys(in.Attributes) {
			val := in.Attributes[k]
			field := attributeField(k)
			switch {
			case textcheck.Problem(k, false) != "":
				add(field, fmt.Errorf("%w: key %s", ErrBadText, textcheck.Problem(k, false)))
			case strings.TrimSpace(k) == "":
				add(field, fmt.Errorf("%w: blank key", ErrBadFormat))
			case utf8.RuneCountInString(k) > v.maxLen["attribute_key"]:
				add(field, fmt.Errorf("%w: key longer than %d characters", ErrTooLong, v.maxLen["attribute_key"]))
			case textcheck.Problem(val, true) != "":
				add(field, fmt.Errorf("%w: %s", ErrBadText, textcheck.Problem(val, true)))
			case utf8.RuneCountInString(val) > v.maxLen["attribute_value"]:
				add(field, fmt.Errorf("%w: value longer than %d characters", ErrTooLong, v.maxLen["attribute_value"]))
			default:
				attrs[k] = val
			}
		}
		in.Attributes = attrs
	}
	if v.required[FieldAttributes] && len(in.Attributes) == 0 && !hasProblemPrefix(probs, FieldAttributes) {
		add(FieldAttributes, ErrRequired)
	}
	// Invalid records (document 003): test accounts and spam.
	if len(v.testCustomers) > 0 {
		if in.CustomerID != "" && v.testCustomers[termKey(in.CustomerID)] {
			add(FieldCustomerID, fmt.Errorf("%w: test account", ErrRejected))
		} else if in.CustomerName != "" && v.testCustomers[termKey(in.CustomerName)] {
			add(FieldCustomerName, fmt.Errorf("%w: test account", ErrRejected))
		}
	}
	if len(v.spam) > 0 && in.Description != "" && !bad[FieldDescription] {
		folded := foldString(in.Description)
		for _, s := range v.spam {
			if strings.Contains(folded, s) {
				add(FieldDescription, fmt.Errorf("%w: looks like spam (contains %q)", ErrRejected, s))
				break
			}
		}
	}
	if len(probs) > 0 {
		sortProblems(probs)
		return in, &Error{FeedbackID: in.FeedbackID, Problems: probs}
	}
	return in, nil
}

func attributeField(k string) string {
	if !utf8.ValidString(k) {
		k = strings.ToValidUTF8(k, "\uFFFD")
	}
	return rulesjson.Field(FieldAttributes, textcheck.Truncate(k, 64))
}

func hasProblem(probs []FieldProblem, field string) bool {
	for _, p := range probs {
		if p.Field == field {
			return true
		}
	}
	return false
}

func hasProblemPrefix(probs []FieldProblem, field string) bool {
	for _, p := range probs {
		if strings.HasPrefix(p.Field, field) {
			return true
		}
	}
	return false
}

// fieldOrder gives problems the order of the registration form.
func fieldOrder(field string) int {
	base := field
	if i := strings.IndexAny(field, ".["); i >= 0 {
		base = field[:i]
	}
	order := []string{FieldFeedbackID, FieldTicketNumber, FieldCustomerID, FieldCustomerName, FieldContact,
		FieldProduct, FieldPurchaseDate, FieldChannel, FieldReceivedAt, FieldOccurredAt, FieldDescription,
		FieldExpected, FieldTriedRemedies, FieldSentiment, FieldKind, FieldCategory, FieldSubCategory,
		FieldStage, FieldTier, FieldOwner, FieldTags, FieldAttributes}
	for i, f := range order {
		if f == base {
			return i
		}
	}
	return len(order)
}

func sortProblems(probs []FieldProblem) {
	// insertion sort: stable, lists are short
	for i := 1; i < len(probs); i++ {
		for j := i; j > 0 && fieldOrder(probs[j].Field) < fieldOrder(probs[j-1].Field); j-- {
			probs[j], probs[j-1] = probs[j-1], probs[j]
		}
	}
}
