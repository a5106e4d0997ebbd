package cost

import (
	"fmt"
	"math"

	"github.com/basalt-dev/basalt/internal/model"
)

// longContextThreshold is the input size above which a documented
// long-context price replaces the standard one for the whole request
// (reference §8: input plus cache reads and writes).
const longContextThreshold = 200_000

// Cost is an amount in US dollars that may be unknown.
//
// When Known is false the amount must not be shown as a price: USD is
// then only the part that could be priced, a lower bound (useful for a
// budget check, wrong as a bill), and String says "unknown".
type Cost struct {
	USD   float64
	Known bool
}

// Of is the cost of one API call to model m through id, the ID that went
// into the request (it decides global versus regional price, see
// [model.Model.PriceFor]). The cost is unknown when m is nil (an ID the
// catalog does not know) or its prices are not known.
//
// Of prices a single request: the long-context price applies when the
// model documents one and this request's total input exceeds 200,000
// tokens. Summed usage of several calls must be priced call by call
// ([Meter] does), never by passing the sum here.
func Of(m *model.Model, id string, u Usage) Cost {
	if m == nil || !m.PricesKnown {
		return Cost{}
	}
	p := m.PriceFor(id)
	if u.TotalInput() > longContextThreshold {
		if lp, ok := m.LongContextPriceFor(id); ok {
			p = lp
		}
	}
	return Cost{USD: dollars(p, u), Known: true}
}

// Savings is what caching saved on one API call: the cost of the same
// tokens with every input token billed as uncached input, minus the actual
// cost. It is negative when writes were never read back. Unknown when
// the price is.
func Savings(m *model.Model, id string, u Usage) Cost {
	actual := Of(m, id, u)
	if !actual.Known {
		return Cost{}
	}
	uncached := Of(m, id, Usage{InputTokens: u.TotalInput(), OutputTokens: u.OutputTokens})
	return Cost{USD: uncached.USD - actual.USD, Known: true}
}

// dollars prices u per million tokens.
func dollars(p model.Price, u Usage) float64 {
	micro := float64(u.InputTokens)*p.Input +
		float64(u.OutputTokens)*p.Output +
		float64(u.CacheWrite5m)*p.CacheWrite5m +
		float64(u.CacheWrite1h)*p.CacheWrite1h +
		float64(u.CacheRead)*p.CacheRead
	return micro / 1e6
}

// Add returns the sum of c and d, unknown if either is.
func (c Cost) Add(d Cost) Cost {
	return Cost{USD: c.USD + d.USD, Known: c.Known && d.Known}
}

// String formats the cost for people: "$0.0123" below one dollar, where
// cents would hide what a turn costs, "$12.34" from one dollar on, and
// "unknown" when the price is not known.
func (c Cost) String() string {
	if !c.Known {
		return "unknown"
	}
	usd, sign := c.USD, ""
	if usd < 0 {
		usd, sign = -usd, "-"
	}
	// Decide on the rounded value, so 0.99996 prints "$1.00", not "$1.0000".
	if math.Round(usd*1e4)/1e4 < 1 {
		if math.Round(usd*1e4) == 0 {
			sign = "" // no "-$0.0000"
		}
		return fmt.Sprintf("%s$%.4f", sign, usd)
	}
	return fmt.Sprintf("%s$%.2f", sign, usd)
}
