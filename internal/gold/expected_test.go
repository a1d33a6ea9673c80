package gold_test

import (
	"math/big"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// expected computes, for every gold view, the rows it should hold for the
// snapshot s, with plain Go maps and loops over the JSON documents. Each
// function restates its view's definition in docs/gold.md; none reads the
// database.
var expected = map[string]func(t *testing.T, s *snapshotData) table{
	"gold.core_flights":                wantCoreFlights,
	"gold.core_reuse":                  wantCoreReuse,
	"gold.crew_flights":                wantCrewFlights,
	"gold.crew_flights_by_agency":      wantCrewFlightsByAgency,
	"gold.fairing_recovery_by_year":    wantFairingRecoveryByYear,
	"gold.landings_by_type":            wantLandingsByType,
	"gold.landpad_utilisation":         wantLandpadUtilisation,
	"gold.launch_stats_by_year_rocket": wantLaunchStatsByYearRocket,
	"gold.launchpad_utilisation":       wantLaunchpadUtilisation,
	"gold.payload_flights":             wantPayloadFlights,
	"gold.payload_mass_by_customer":    wantPayloadMassByCustomer,
	"gold.payload_mass_by_orbit":       wantPayloadMassByOrbit,
	"gold.rocket_cost_efficiency":      wantRocketCostEfficiency,
	"gold.static_fire_lead_time":       wantStaticFireLeadTime,
}

func wantRocketCostEfficiency(t *testing.T, s *snapshotData) table {
	out := table{key: []string{"rocket_id"}}
	add := func(id string, r *rocket) {
		var flown, succeeded, failed int64
		delivered := map[string]bool{}
		for _, l := range s.launches {
			if !l.flown() || l.Rocket == nil || *l.Rocket != id {
				continue
			}
			flown++
			if isTrue(l.Success) {
				succeeded++
				for _, id := range l.Payloads {
					delivered[id] = true
				}
			}
			if isFalse(l.Success) {
				failed++
			}
		}
		var mass sum
		for payloadID := range delivered {
			if p := s.payloads[payloadID]; p != nil {
				mass.add(number(t, p.MassKg))
			}
		}
		var name any
		var cost *big.Rat
		if r != nil {
			name, cost = str(r.Name), number(t, r.CostPerLaunch)
		}
		var spend, perKg any
		if cost != nil {
			sp := new(big.Rat).Mul(cost, big.NewRat(flown, 1))
			spend, perKg = sp, ratio(sp, mass.orZero())
		}
		out.rows = append(out.rows, row{
			"rocket_id":                 id,
			"rocket_name":               name,
			"launches_flown":            flown,
			"launches_succeeded":        succeeded,
			"launches_failed":           failed,
			"success_rate":              countRatio(succeeded, succeeded+failed),
			"cost_per_launch_usd":       rat(cost),
			"estimated_spend_usd":       spend,
			"payload_mass_delivered_kg": mass.orZero(),
			"cost_per_kg_usd":           perKg,
		})
	}
	// Every live rocket, then each rocket id flown launches name that no
	// rocket has (a broken reference).
	known := map[string]bool{}
	for _, r := range s.rockets {
		known[r.ID] = true
		add(r.ID, r)
	}
	for _, l := range s.launches {
		if l.flown() && l.Rocket != nil && !known[*l.Rocket] {
			known[*l.Rocket] = true
			add(*l.Rocket, nil)
		}
	}
	return out
}

func wantLaunchStatsByYearRocket(t *testing.T, s *snapshotData) table {
	type counts struct {
		year, rocket                                any
		flown, succeeded, failed, unknown, upcoming int64
	}
	groups := map[[2]any]*counts{}
	var order [][2]any
	for _, l := range s.launches {
		if l.Upcoming == nil {
			continue
		}
		k := [2]any{l.year(), str(l.Rocket)}
		c := groups[k]
		if c == nil {
			c = &counts{year: k[0], rocket: k[1]}
			groups[k] = c
			order = append(order, k)
		}
		switch {
		case *l.Upcoming:
			c.upcoming++
		case isTrue(l.Success):
			c.flown++
			c.succeeded++
		case isFalse(l.Success):
			c.flown++
			c.failed++
		default:
			c.flown++
			c.unknown++
		}
	}
	names := map[string]any{}
	for _, r := range s.rockets {
		names[r.ID] = str(r.Name)
	}
	out := table{key: []string{"launch_year", "rocket_id"}}
	for _, k := range order {
		c := groups[k]
		var name any
		if id, ok := c.rocket.(string); ok {
			name = names[id]
		}
		out.rows = append(out.rows, row{
			"launch_year":              c.year,
			"rocket_id":                c.rocket,
			"rocket_name":              name,
			"launches_flown":           c.flown,
			"launches_succeeded":       c.succeeded,
			"launches_failed":          c.failed,
			"launches_outcome_unknown": c.unknown,
			"success_rate":             countRatio(c.succeeded, c.succeeded+c.failed),
			"launches_upcoming":        c.upcoming,
		})
	}
	return out
}

// coreFlight is one flight of a core: a core named in launch.cores[] of a
// flown launch, in the core's order.
type coreFlight struct {
	coreID string
	l      *launch
	elem   int
	number int64
	prev   *coreFlight
}

func (f *coreFlight) days() any {
	if f.prev == nil || f.l.date == nil || f.prev.l.date == nil {
		return nil
	}
	return approx{new(big.Rat).Quo(seconds(*f.prev.l.date, *f.l.date), big.NewRat(86400, 1))}
}

// coreFlightsOf lists each core's flights in the core's order, keyed by
// core id, and the core ids in the order launches first name them. A flight
// is a core named in launch.cores[] of a flown launch; a launch that names
// a core twice is one flight of it, shown by its first element
// (docs/gold.md, gold.core_flights).
func coreFlightsOf(s *snapshotData) (map[string][]*coreFlight, []string) {
	byCore := map[string][]*coreFlight{}
	var order []string
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		for i, c := range l.Cores {
			if c.Core == nil || firstElement(l, *c.Core) != i {
				continue
			}
			if byCore[*c.Core] == nil {
				order = append(order, *c.Core)
			}
			byCore[*c.Core] = append(byCore[*c.Core], &coreFlight{coreID: *c.Core, l: l, elem: i})
		}
	}
	for _, flights := range byCore {
		slices.SortFunc(flights, func(a, b *coreFlight) int { return flightOrder(a.l, b.l) })
		for i, f := range flights {
			f.number = int64(i + 1)
			if i > 0 {
				f.prev = flights[i-1]
			}
		}
	}
	return byCore, order
}

// firstElement is the position of the first element of l.cores[] that
// names core id.
func firstElement(l *launch, id string) int {
	return slices.IndexFunc(l.Cores, func(c launchCore) bool { return c.Core != nil && *c.Core == id })
}

// flightOrder orders a core's flights as core_flight_number counts them:
// by date_utc, flights without a date after the dated ones, then by launch
// id.
func flightOrder(a, b *launch) int {
	switch {
	case a.date != nil && b.date != nil:
		if c := a.date.Compare(*b.date); c != 0 {
			return c
		}
	case a.date != nil:
		return -1
	case b.date != nil:
		return 1
	}
	return strings.Compare(a.ID, b.ID)
}

func wantCoreFlights(t *testing.T, s *snapshotData) table {
	serials := map[string]any{}
	for _, c := range s.cores {
		serials[c.ID] = str(c.Serial)
	}
	byCore, order := coreFlightsOf(s)
	out := table{key: []string{"core_id", "launch_id"}}
	for _, id := range order {
		for _, f := range byCore[id] {
			c := f.l.Cores[f.elem]
			var prevID, exactTurnaround any
			if f.prev != nil {
				prevID = f.prev.l.ID
				exactTurnaround = exact(f.l) && exact(f.prev.l)
			}
			out.rows = append(out.rows, row{
				"core_id":                    id,
				"core_serial":                serials[id],
				"launch_id":                  f.l.ID,
				"launch_name":                str(f.l.Name),
				"flight_number":              integer(f.l.FlightNumber),
				"date_utc":                   timestamp(f.l.date),
				"date_precision":             str(f.l.DatePrecision),
				"core_flight_number":         f.number,
				"api_core_flight":            integer(c.Flight),
				"reused":                     boolean(c.Reused),
				"previous_launch_id":         prevID,
				"days_since_previous_flight": f.days(),
				"turnaround_exact":           exactTurnaround,
				"launch_success":             boolean(f.l.Success),
				"landing_attempt":            boolean(c.LandingAttempt),
				"landing_success":            boolean(c.LandingSuccess),
				"landing_type":               str(c.LandingType),
				"landpad_id":                 str(c.Landpad),
			})
		}
	}
	return out
}

func wantCoreReuse(t *testing.T, s *snapshotData) table {
	byCore, order := coreFlightsOf(s)
	out := table{key: []string{"core_id"}}
	add := func(id string, c *core) {
		flights := byCore[id]
		var first, last *time.Time
		var turnaround sum
		var minDays, maxDays any
		attempts := map[string]int64{}
		successes := map[string]int64{}
		for _, f := range flights {
			first, last = minTime(first, f.l.date), maxTime(last, f.l.date)
			if d, ok := f.days().(approx); ok {
				turnaround.add(d.r)
				if minDays == nil || d.r.Cmp(minDays.(approx).r) < 0 {
					minDays = d
				}
				if maxDays == nil || d.r.Cmp(maxDays.(approx).r) > 0 {
					maxDays = d
				}
			}
			e := f.l.Cores[f.elem]
			if !isTrue(e.LandingAttempt) {
				continue
			}
			typ := ""
			if e.LandingType != nil {
				typ = *e.LandingType
			}
			attempts["all"]++
			attempts[typ]++
			if isTrue(e.LandingSuccess) {
				successes["all"]++
				successes[typ]++
			}
		}
		r := row{
			"core_id":             id,
			"serial":              nil,
			"block":               nil,
			"status":              nil,
			"flights":             int64(len(flights)),
			"reflights":           max(int64(len(flights))-1, 0),
			"first_flight_utc":    timestamp(first),
			"last_flight_utc":     timestamp(last),
			"landing_attempts":    attempts["all"],
			"landing_successes":   successes["all"],
			"rtls_attempts":       attempts["RTLS"],
			"rtls_successes":      successes["RTLS"],
			"asds_attempts":       attempts["ASDS"],
			"asds_successes":      successes["ASDS"],
			"ocean_attempts":      attempts["Ocean"],
			"ocean_successes":     successes["Ocean"],
			"min_turnaround_days": minDays,
			"avg_turnaround_days": turnaround.avg(),
			"max_turnaround_days": maxDays,
			"api_reuse_count":     nil,
			"api_rtls_attempts":   nil,
			"api_rtls_landings":   nil,
			"api_asds_attempts":   nil,
			"api_asds_landings":   nil,
		}
		if c != nil {
			r["serial"], r["block"], r["status"] = str(c.Serial), integer(c.Block), str(c.Status)
			r["api_reuse_count"] = integer(c.ReuseCount)
			r["api_rtls_attempts"], r["api_rtls_landings"] = integer(c.RTLSAttempts), integer(c.RTLSLandings)
			r["api_asds_attempts"], r["api_asds_landings"] = integer(c.ASDSAttempts), integer(c.ASDSLandings)
		}
		out.rows = append(out.rows, r)
	}
	known := map[string]bool{}
	for _, c := range s.cores {
		known[c.ID] = true
		add(c.ID, c)
	}
	for _, id := range order {
		if !known[id] {
			add(id, nil)
		}
	}
	return out
}

func wantLandingsByType(t *testing.T, s *snapshotData) table {
	type counts struct {
		typ                                    any
		attempts, successes, failures, unknown int64
		first, last                            *time.Time
	}
	groups := map[any]*counts{}
	var order []any
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		for _, c := range l.Cores {
			if !isTrue(c.LandingAttempt) {
				continue
			}
			k := str(c.LandingType)
			g := groups[k]
			if g == nil {
				g = &counts{typ: k}
				groups[k] = g
				order = append(order, k)
			}
			g.attempts++
			switch {
			case isTrue(c.LandingSuccess):
				g.successes++
			case isFalse(c.LandingSuccess):
				g.failures++
			default:
				g.unknown++
			}
			g.first, g.last = minTime(g.first, l.date), maxTime(g.last, l.date)
		}
	}
	out := table{key: []string{"landing_type"}}
	for _, k := range order {
		g := groups[k]
		out.rows = append(out.rows, row{
			"landing_type":      g.typ,
			"attempts":          g.attempts,
			"successes":         g.successes,
			"failures":          g.failures,
			"outcome_unknown":   g.unknown,
			"success_rate":      countRatio(g.successes, g.successes+g.failures),
			"first_attempt_utc": timestamp(g.first),
			"last_attempt_utc":  timestamp(g.last),
		})
	}
	return out
}

func wantFairingRecoveryByYear(t *testing.T, s *snapshotData) table {
	type counts struct {
		year                                                        any
		flown, noData, reused, attempts, recovered, failed, unknown int64
	}
	groups := map[any]*counts{}
	var order []any
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		k := l.year()
		g := groups[k]
		if g == nil {
			g = &counts{year: k}
			groups[k] = g
			order = append(order, k)
		}
		g.flown++
		var reused, attempt, recovered *bool
		if f := l.Fairings; f != nil {
			reused, attempt, recovered = f.Reused, f.RecoveryAttempt, f.Recovered
		}
		if reused == nil && attempt == nil && recovered == nil {
			g.noData++
		}
		if isTrue(reused) {
			g.reused++
		}
		if isTrue(attempt) {
			g.attempts++
			switch {
			case isTrue(recovered):
				g.recovered++
			case isFalse(recovered):
				g.failed++
			default:
				g.unknown++
			}
		}
	}
	out := table{key: []string{"launch_year"}}
	for _, k := range order {
		g := groups[k]
		out.rows = append(out.rows, row{
			"launch_year":                   g.year,
			"launches_flown":                g.flown,
			"launches_without_fairing_data": g.noData,
			"launches_reused_fairings":      g.reused,
			"recovery_attempts":             g.attempts,
			"recoveries":                    g.recovered,
			"recovery_failures":             g.failed,
			"recovery_outcome_unknown":      g.unknown,
			"recovery_rate":                 countRatio(g.recovered, g.recovered+g.failed),
		})
	}
	return out
}

// payloadFlight is a payload that flew: listed by at least one flown launch.
type payloadFlight struct {
	p           *payload
	launches    map[string]bool
	delivered   bool
	first, last *time.Time
}

func payloadFlightsOf(s *snapshotData) []*payloadFlight {
	byID := map[string]*payloadFlight{}
	var out []*payloadFlight
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		for _, id := range l.Payloads {
			p := s.payloads[id]
			if p == nil {
				continue // a broken reference: no orbit or mass to report
			}
			f := byID[id]
			if f == nil {
				f = &payloadFlight{p: p, launches: map[string]bool{}}
				byID[id] = f
				out = append(out, f)
			}
			f.launches[l.ID] = true
			f.delivered = f.delivered || isTrue(l.Success)
			f.first, f.last = minTime(f.first, l.date), maxTime(f.last, l.date)
		}
	}
	return out
}

func wantPayloadFlights(t *testing.T, s *snapshotData) table {
	out := table{key: []string{"payload_id"}}
	for _, f := range payloadFlightsOf(s) {
		out.rows = append(out.rows, row{
			"payload_id":       f.p.ID,
			"payload_name":     str(f.p.Name),
			"payload_type":     str(f.p.Type),
			"orbit":            str(f.p.Orbit),
			"mass_kg":          rat(number(t, f.p.MassKg)),
			"launches":         int64(len(f.launches)),
			"delivered":        f.delivered,
			"first_launch_utc": timestamp(f.first),
			"last_launch_utc":  timestamp(f.last),
		})
	}
	return out
}

// massGroup sums payloads of one orbit or customer.
type massGroup struct {
	key                 any
	payloads, delivered int64
	mass, massDelivered sum
	first, last         *time.Time
}

func (g *massGroup) add(t *testing.T, f *payloadFlight) {
	m := number(t, f.p.MassKg)
	g.payloads++
	g.mass.add(m)
	if f.delivered {
		g.delivered++
		g.massDelivered.add(m)
	}
	g.first, g.last = minTime(g.first, f.first), maxTime(g.last, f.last)
}

func wantPayloadMassByOrbit(t *testing.T, s *snapshotData) table {
	groups := map[any]*massGroup{}
	var order []any
	for _, f := range payloadFlightsOf(s) {
		k := str(f.p.Orbit)
		if groups[k] == nil {
			groups[k] = &massGroup{key: k}
			order = append(order, k)
		}
		groups[k].add(t, f)
	}
	out := table{key: []string{"orbit"}}
	for _, k := range order {
		g := groups[k]
		out.rows = append(out.rows, row{
			"orbit":              g.key,
			"payloads":           g.payloads,
			"payloads_with_mass": g.mass.known,
			"mass_kg":            g.mass.orZero(),
			"avg_mass_kg":        g.mass.avg(),
			"payloads_delivered": g.delivered,
			"mass_delivered_kg":  g.massDelivered.orZero(),
		})
	}
	return out
}

func wantPayloadMassByCustomer(t *testing.T, s *snapshotData) table {
	groups := map[string]*massGroup{}
	var order []string
	for _, f := range payloadFlightsOf(s) {
		seen := map[string]bool{}
		for _, c := range f.p.Customers {
			if seen[c] {
				continue // a customer listed twice counts the payload once
			}
			seen[c] = true
			if groups[c] == nil {
				groups[c] = &massGroup{key: c}
				order = append(order, c)
			}
			groups[c].add(t, f)
		}
	}
	out := table{key: []string{"customer"}}
	for _, k := range order {
		g := groups[k]
		out.rows = append(out.rows, row{
			"customer":           g.key,
			"payloads":           g.payloads,
			"payloads_with_mass": g.mass.known,
			"mass_kg":            g.mass.orZero(),
			"payloads_delivered": g.delivered,
			"mass_delivered_kg":  g.massDelivered.orZero(),
			"first_launch_utc":   timestamp(g.first),
			"last_launch_utc":    timestamp(g.last),
		})
	}
	return out
}

// padCounts counts launches or landings at one pad.
type padCounts struct {
	attempts, successes, failures, upcoming int64
	first, last                             *time.Time
}

func (c *padCounts) add(l *launch, success *bool) {
	c.attempts++
	if isTrue(success) {
		c.successes++
	}
	if isFalse(success) {
		c.failures++
	}
	c.first, c.last = minTime(c.first, l.date), maxTime(c.last, l.date)
}

// rate is successes / (successes + failures): NULL for a pad nothing used.
func (c *padCounts) rate() any {
	return countRatio(c.successes, c.successes+c.failures)
}

func wantLaunchpadUtilisation(t *testing.T, s *snapshotData) table {
	counts := map[string]*padCounts{}
	var named []string
	for _, l := range s.launches {
		if l.Upcoming == nil || l.Launchpad == nil {
			continue
		}
		c := counts[*l.Launchpad]
		if c == nil {
			c = &padCounts{}
			counts[*l.Launchpad] = c
			named = append(named, *l.Launchpad)
		}
		if *l.Upcoming {
			c.upcoming++
		} else {
			c.add(l, l.Success)
		}
	}
	out := table{key: []string{"launchpad_id"}}
	add := func(id string, p *launchpad) {
		c := counts[id]
		if c == nil {
			c = &padCounts{}
		}
		r := row{
			"launchpad_id":         id,
			"name":                 nil,
			"full_name":            nil,
			"locality":             nil,
			"region":               nil,
			"status":               nil,
			"launches_flown":       c.attempts,
			"launches_succeeded":   c.successes,
			"launches_failed":      c.failures,
			"success_rate":         c.rate(),
			"first_launch_utc":     timestamp(c.first),
			"last_launch_utc":      timestamp(c.last),
			"launches_upcoming":    c.upcoming,
			"api_launch_attempts":  nil,
			"api_launch_successes": nil,
		}
		if p != nil {
			r["name"], r["full_name"], r["locality"], r["region"], r["status"] = str(p.Name), str(p.FullName), str(p.Locality), str(p.Region), str(p.Status)
			r["api_launch_attempts"], r["api_launch_successes"] = integer(p.LaunchAttempts), integer(p.LaunchSuccesses)
		}
		out.rows = append(out.rows, r)
	}
	known := map[string]bool{}
	for _, p := range s.launchpads {
		known[p.ID] = true
		add(p.ID, p)
	}
	for _, id := range named {
		if !known[id] {
			add(id, nil)
		}
	}
	return out
}

func wantLandpadUtilisation(t *testing.T, s *snapshotData) table {
	counts := map[string]*padCounts{}
	var named []string
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		for _, c := range l.Cores {
			if !isTrue(c.LandingAttempt) || c.Landpad == nil {
				continue
			}
			if counts[*c.Landpad] == nil {
				counts[*c.Landpad] = &padCounts{}
				named = append(named, *c.Landpad)
			}
			counts[*c.Landpad].add(l, c.LandingSuccess)
		}
	}
	out := table{key: []string{"landpad_id"}}
	add := func(id string, p *landpad) {
		c := counts[id]
		if c == nil {
			c = &padCounts{}
		}
		r := row{
			"landpad_id":                id,
			"name":                      nil,
			"full_name":                 nil,
			"type":                      nil,
			"locality":                  nil,
			"region":                    nil,
			"status":                    nil,
			"landing_attempts":          c.attempts,
			"landing_successes":         c.successes,
			"landing_failures":          c.failures,
			"success_rate":              c.rate(),
			"first_landing_attempt_utc": timestamp(c.first),
			"last_landing_attempt_utc":  timestamp(c.last),
			"api_landing_attempts":      nil,
			"api_landing_successes":     nil,
		}
		if p != nil {
			r["name"], r["full_name"], r["type"], r["locality"], r["region"], r["status"] = str(p.Name), str(p.FullName), str(p.Type), str(p.Locality), str(p.Region), str(p.Status)
			r["api_landing_attempts"], r["api_landing_successes"] = integer(p.LandingAttempts), integer(p.LandingSuccesses)
		}
		out.rows = append(out.rows, r)
	}
	known := map[string]bool{}
	for _, p := range s.landpads {
		known[p.ID] = true
		add(p.ID, p)
	}
	for _, id := range named {
		if !known[id] {
			add(id, nil)
		}
	}
	return out
}

func wantStaticFireLeadTime(t *testing.T, s *snapshotData) table {
	out := table{key: []string{"launch_id"}}
	for _, l := range s.launches {
		if !l.flown() || l.staticFire == nil || l.date == nil {
			continue
		}
		lead := seconds(*l.staticFire, *l.date)
		out.rows = append(out.rows, row{
			"launch_id":                 l.ID,
			"launch_name":               str(l.Name),
			"flight_number":             integer(l.FlightNumber),
			"rocket_id":                 str(l.Rocket),
			"launch_year":               l.year(),
			"static_fire_date_utc":      timestamp(l.staticFire),
			"date_utc":                  timestamp(l.date),
			"date_precision":            str(l.DatePrecision),
			"lead_time_hours":           approx{new(big.Rat).Quo(lead, big.NewRat(3600, 1))},
			"lead_time_days":            approx{new(big.Rat).Quo(lead, big.NewRat(86400, 1))},
			"launch_time_exact":         exact(l),
			"static_fire_before_launch": l.staticFire.Before(*l.date),
		})
	}
	return out
}

// crewFlight is an astronaut's row of gold.crew_flights, with the launches
// flown.
type crewFlight struct {
	id          string
	c           *crewMember
	launches    map[string]bool
	roles       map[string]bool
	first, last *time.Time
}

func crewFlightsOf(s *snapshotData) []*crewFlight {
	byID := map[string]*crewFlight{}
	var out []*crewFlight
	for _, c := range s.crew {
		f := &crewFlight{id: c.ID, c: c, launches: map[string]bool{}, roles: map[string]bool{}}
		byID[c.ID] = f
		out = append(out, f)
	}
	for _, l := range s.launches {
		if !l.flown() {
			continue
		}
		for _, seat := range l.Crew {
			if seat.Crew == nil {
				continue
			}
			f := byID[*seat.Crew]
			if f == nil { // a crew id bronze.crew lacks
				f = &crewFlight{id: *seat.Crew, launches: map[string]bool{}, roles: map[string]bool{}}
				byID[*seat.Crew] = f
				out = append(out, f)
			}
			f.launches[l.ID] = true
			if seat.Role != nil {
				f.roles[*seat.Role] = true
			}
			f.first, f.last = minTime(f.first, l.date), maxTime(f.last, l.date)
		}
	}
	return out
}

func (f *crewFlight) agency() any {
	if f.c == nil {
		return nil
	}
	return str(f.c.Agency)
}

func wantCrewFlights(t *testing.T, s *snapshotData) table {
	out := table{key: []string{"crew_id"}}
	for _, f := range crewFlightsOf(s) {
		roles := []string{}
		for r := range f.roles {
			roles = append(roles, r)
		}
		sort.Strings(roles) // sorted bytewise (docs/gold.md)
		r := row{
			"crew_id":          f.id,
			"name":             nil,
			"agency":           f.agency(),
			"status":           nil,
			"flights":          int64(len(f.launches)),
			"first_flight_utc": timestamp(f.first),
			"last_flight_utc":  timestamp(f.last),
			"roles":            roles,
			"api_launches":     nil,
		}
		if f.c != nil {
			r["name"], r["status"] = str(f.c.Name), str(f.c.Status)
			r["api_launches"] = int64(len(f.c.Launches))
		}
		out.rows = append(out.rows, r)
	}
	return out
}

func wantCrewFlightsByAgency(t *testing.T, s *snapshotData) table {
	type counts struct {
		agency                   any
		astronauts, flown, seats int64
		launches                 map[string]bool
		first, last              *time.Time
	}
	groups := map[any]*counts{}
	var order []any
	for _, f := range crewFlightsOf(s) {
		k := f.agency()
		g := groups[k]
		if g == nil {
			g = &counts{agency: k, launches: map[string]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		g.astronauts++
		if len(f.launches) > 0 {
			g.flown++
		}
		g.seats += int64(len(f.launches))
		for id := range f.launches {
			g.launches[id] = true
		}
		g.first, g.last = minTime(g.first, f.first), maxTime(g.last, f.last)
	}
	out := table{key: []string{"agency"}}
	for _, k := range order {
		g := groups[k]
		out.rows = append(out.rows, row{
			"agency":           g.agency,
			"astronauts":       g.astronauts,
			"astronauts_flown": g.flown,
			"seats":            g.seats,
			"launches":         int64(len(g.launches)),
			"first_flight_utc": timestamp(g.first),
			"last_flight_utc":  timestamp(g.last),
		})
	}
	return out
}
