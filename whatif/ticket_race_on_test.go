//go:build race

package whatif

// ticketRaceSlack widens DecodeTicket's allocation ceilings under the race
// detector, which allocates beside the code it watches.
const ticketRaceSlack = 2
