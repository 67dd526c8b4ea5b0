//go:build !race

package feedback

// snapshotRaceSlack widens the snapshot codec's allocation ceilings under
// the race detector, which allocates beside the code it watches.
const snapshotRaceSlack = 1
