module github.com/closeloop/closeloop

go 1.24

require (
	github.com/DataDog/sketches-go v1.4.8 // indirect
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/emersion/go-ical v0.0.0-20250329121855-f41e73efc392 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/qmuntal/stateless v1.7.2 // indirect
	github.com/rickar/cal/v2 v2.1.13 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
	github.com/teambition/rrule-go v1.8.2 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
