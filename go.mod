module github.com/closeloop/closeloop

go 1.24

require (
	github.com/qmuntal/stateless v1.7.2 // indirect
	github.com/rickar/cal/v2 v2.1.13 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
)
