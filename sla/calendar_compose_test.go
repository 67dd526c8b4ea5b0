package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestComposeAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	nCal := 24
	if !fullSize() {
		nCal = 8
	}
	for i := range nCal {
		sa, sb := randomSpec(rng), randomSpec(rng)
		if i%3 == 0 {
			sb.TimeZone = sa.TimeZone // exercise the aligned-days path too
		}
		a, err := NewCalendar(sa)
		require.NoError(t, err)
		b, err := NewCalendar(sb)
		require.NoError(t, err)
		oa, ob := newOracle(t, sa), newOracle(t, sb)
		for _, and := range []bool{true, false} {
			var c *Calendar
			if and {
				c, err = Intersect(a, b)
			} else {
				c, err = Union(a, b)
			}
			require.NoError(t, err)
			require.Equal(t, a.Location(), c.Location())
			open := func(x time.Time) bool {
				if and {
					return oa.open(x) && ob.open(x)
				}
				return oa.open(x) || ob.open(x)
			}
			for j := range 6 {
				s := randomInstant(rng, oa.loc)
				e := s.Add(time.Duration(rng.IntN(2*1440)) * time.Minute)
				ctx := fmt.Sprintf("%d/%d and=%v %s×%s %s..%s", i, j, and, sa.TimeZone, sb.TimeZone, s, e)
				var want time.Duration
				for x := s; x.Before(e); x = x.Add(time.Minute) {
					if open(x) {
						want += time.Minute
					}
				}
				got, err := c.Between(s, e)
				require.NoError(t, err, ctx)
				require.Equal(t, want, got, ctx)
				require.Equal(t, open(s), c.IsOpen(s), ctx)
				if want > 0 {
					end, err := c.Add(s, want)
					require.NoError(t, err)
					back, _ := c.Between(s, end)
					require.Equal(t, want, back, ctx)
				}
			}
		}
	}
}

func TestIntersectCustomerAndTeam(t *testing.T) {
	nine := []Hours{{"09:00", "17:00"}}
	week := WeekHours{Mon: nine, Tue: nine, Wed: nine, Thu: nine, Fri: nine}
	team, err := NewCalendar(CalendarSpec{Name: "team", TimeZone: "Europe/London", Week: week, PublicHolidays: []string{"GB"}})
	require.NoError(t, err)
	customer, err := NewCalendar(CalendarSpec{Name: "customer", TimeZone: "America/New_York", Week: week, PublicHolidays: []string{"US"}})
	require.NoError(t, err)
	both, err := Intersect(team, customer)
	require.NoError(t, err)
	assert.Equal(t, "team ∩ customer", both.Name())
	lon := team.Location()
	// London 14:00–17:00 overlaps New York 09:00–12:00 (5 h apart in winter).
	d, err := both.Between(time.Date(2024, 1, 15, 0, 0, 0, 0, lon), time.Date(2024, 1, 16, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 0*time.Hour, d, "Jan 15 2024 is MLK day in the US")
	d, err = both.Between(time.Date(2024, 1, 16, 0, 0, 0, 0, lon), time.Date(2024, 1, 17, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 3*time.Hour, d)
	// 2024-03-12: the US is on DST, London not yet: 4 h apart, overlap 13:00–17:00 London.
	d, err = both.Between(time.Date(2024, 3, 12, 0, 0, 0, 0, lon), time.Date(2024, 3, 13, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 4*time.Hour, d)
	u, err := Union(team, customer)
	require.NoError(t, err)
	d, err = u.Between(time.Date(2024, 1, 16, 0, 0, 0, 0, lon), time.Date(2024, 1, 17, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 13*time.Hour, d)
	_, ok := both.Spec()
	assert.False(t, ok)

	short, err := NewCalendar(CalendarSpec{TimeZone: "UTC", FirstYear: 2020, LastYear: 2030})
	require.NoError(t, err)
	_, err = Intersect(team, short)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = Union(nil, short)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}
