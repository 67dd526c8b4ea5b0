module github.com/closeloop/closeloop

go 1.24.0

require (
	github.com/DataDog/sketches-go v1.4.8
	github.com/emersion/go-ical v0.0.0-20250329121855-f41e73efc392
	github.com/qmuntal/stateless v1.7.2
	github.com/rickar/cal/v2 v2.1.13
	github.com/shopspring/decimal v1.6.0
	github.com/stretchr/testify v1.11.1
	github.com/teambition/rrule-go v1.8.2
	golang.org/x/image v0.30.0
	golang.org/x/text v0.28.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
