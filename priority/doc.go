// Package priority decides how urgent a customer's feedback is: P0 (most
// urgent) to P3, with the reasons.
package priority
